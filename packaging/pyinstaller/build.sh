#!/usr/bin/env bash
# Build the standalone kiosk (PyInstaller, one folder) and smoke-test it.
#
#   packaging/pyinstaller/build.sh [SOURCE]      SOURCE: the project folder (default: this checkout)
#
# Environment:
#   PYTHON=/usr/bin/python3     the Python 3.11+ to build with (needs its shared libpython)
#   BUILD_DIR=...               scratch space (default packaging/pyinstaller/build): the
#                               throwaway build venv and PyInstaller's work folder
#   DIST_DIR=...                where the bundle goes (default packaging/pyinstaller/dist)
#   FRESH_VENV=1                recreate the build venv even when it is up to date
#
# The bundle is DIST_DIR/kiosk/ (run DIST_DIR/kiosk/kiosk); copy the whole folder.
# Exits non-zero, saying which step, when the build or any smoke test fails.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SOURCE="$(cd "${1:-$HERE/../..}" && pwd)"
BUILD_DIR="${BUILD_DIR:-$HERE/build}"
DIST_DIR="${DIST_DIR:-$HERE/dist}"
VENV="$BUILD_DIR/venv"
BUNDLE="$DIST_DIR/kiosk"
# Known-good versions; change them together and rerun this script.
PYINSTALLER_REQ="pyinstaller==6.22.3"
HOOKS_REQ="pyinstaller-hooks-contrib==2026.9"

say() { printf '== %s\n' "$*"; }
die() { printf 'build.sh: FAILED: %s\n' "$*" >&2; exit 1; }

start_time=$(date +%s)

# pip, quiet, without the notes of this machine's pip.conf about absent local indexes.
pip_install() {
    local log status=0
    log="$(mktemp)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$@" >"$log" 2>&1 || status=$?
    grep -v "WARNING: Location .* is ignored: it is" "$log" || true
    rm -f "$log"
    return "$status"
}

# ------------------------------------------------------------------ Python to build with
if [ -z "${PYTHON:-}" ]; then
    if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi
"$PYTHON" - <<'EOF' || die "$PYTHON cannot build: it must be Python 3.11+ with a shared libpython (set PYTHON=...)"
import sys, sysconfig
ok = sys.version_info >= (3, 11) and sysconfig.get_config_var("Py_ENABLE_SHARED")
print(f"python {sys.version.split()[0]} at {sys.executable}, shared libpython: {bool(ok)}")
sys.exit(0 if ok else 1)
EOF
[ -f "$SOURCE/pyproject.toml" ] || die "$SOURCE has no pyproject.toml"

# On a bare Debian: venv support, the libraries Qt's plugins link to (they are copied into
# the bundle: platforms, printing, read-aloud), and xvfb for the windowed start test.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (   # a subshell: _bootstrap.sh sets names of its own (ROOT, VENV, say)
        # shellcheck source=/dev/null
        source "$SOURCE/scripts/_bootstrap.sh"
        apt_ensure python3-venv binutils "${QT_LIBS[@]}" "${QT_WINDOW_LIBS[@]}" \
            libpulse0 libspeechd2 xvfb xauth "${CUPS_BUILD_LIBS[@]}"
    ) || die "installing system packages"
fi

# ------------------------------------------------------------------ the build venv
mkdir -p "$BUILD_DIR"
want="$(cat "$SOURCE/pyproject.toml" <(echo "$PYINSTALLER_REQ $HOOKS_REQ $PYTHON") | sha256sum | cut -d' ' -f1)"
if [ "${FRESH_VENV:-0}" = 1 ] || [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.stamp" 2>/dev/null)" != "$want" ]; then
    say "build venv: $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    pip_install --upgrade pip || die "upgrading pip in the build venv"
    pip_install "$PYINSTALLER_REQ" "$HOOKS_REQ" || die "installing PyInstaller"
    echo "$want" >"$VENV/.stamp"
fi
say "installing the project from $SOURCE (a wheel, not editable: resources land in kiosk/resources)"
# --force-reinstall --no-deps: the kiosk's own code and data always fresh; dependencies
# resolved by the first install.
pip_install "$SOURCE" || die "installing the project"
pip_install --force-reinstall --no-deps "$SOURCE" || die "reinstalling the project"
"$VENV/bin/python" -P -c 'import kiosk, PySide6, PyInstaller; print("kiosk", kiosk.__version__, "PySide6", PySide6.__version__, "PyInstaller", PyInstaller.__version__)'

# ------------------------------------------------------------------ PyInstaller
say "pyinstaller kiosk.spec"
build_start=$(date +%s)
rm -rf "$BUNDLE"
(
    cd "$BUILD_DIR"  # nothing of the checkout on sys.path: only the installed package
    "$VENV/bin/python" -P -m PyInstaller --noconfirm --clean --log-level WARN \
        --distpath "$DIST_DIR" --workpath "$BUILD_DIR/work" "$HERE/kiosk.spec"
) || die "pyinstaller"
build_end=$(date +%s)
[ -x "$BUNDLE/kiosk" ] || die "no $BUNDLE/kiosk after the build"

# ------------------------------------------------------------------ what must be inside
say "checking the bundle's contents"
internal="$BUNDLE/_internal"
for f in kiosk/resources/questionnaire.toml kiosk/resources/tables.toml \
         kiosk/resources/settings.default.toml kiosk/resources/i18n/zh_CN.po \
         kiosk/resources/i18n/languages.toml kiosk/resources/fonts/wqy-microhei.ttc \
         kiosk/resources/examples/worked_example.json \
         babel/locale-data/zh.dat babel/locale-data/zh_Hans_CN.dat \
         PySide6/Qt/plugins/platforms/libqoffscreen.so \
         PySide6/Qt/plugins/platforms/libqxcb.so \
         PySide6/Qt/plugins/platforms/libqwayland.so \
         PySide6/Qt/plugins/printsupport/libcupsprintersupport.so; do
    [ -e "$internal/$f" ] || die "the bundle lacks _internal/$f"
done
ls "$internal"/PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so >/dev/null 2>&1 \
    || die "the bundle lacks the Wayland xdg-shell plugin"
ls "$internal"/PySide6/Qt/lib/libQt6Pdf.so* "$internal"/PySide6/Qt/lib/libQt6PrintSupport.so* >/dev/null 2>&1 \
    || die "the bundle lacks QtPdf or QtPrintSupport"
# Every Qt plugin the kiosk may load must find its libraries (in the bundle or the system).
for plugin in platforms/libqoffscreen.so platforms/libqxcb.so platforms/libqwayland.so \
              printsupport/libcupsprintersupport.so; do
    missing="$(LD_LIBRARY_PATH="$internal:$internal/PySide6/Qt/lib" ldd "$internal/PySide6/Qt/plugins/$plugin" | grep 'not found' || true)"
    [ -z "$missing" ] || die "$plugin: libraries not found: $missing"
done

# ------------------------------------------------------------------ smoke tests
# A clean environment: a temporary home and XDG folders, cwd outside the checkout, no
# venv on PATH, so the bundle can only use what is inside it.
SMOKE="$(mktemp -d /tmp/kiosk-bundle-smoke.XXXXXX)"
trap 'rm -rf "$SMOKE"' EXIT
run_bundle() {
    (cd "$SMOKE" && env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$SMOKE/home" LANG=C.UTF-8 \
        XDG_CONFIG_HOME="$SMOKE/config" XDG_DATA_HOME="$SMOKE/data" XDG_CACHE_HOME="$SMOKE/cache" \
        XDG_RUNTIME_DIR="$SMOKE/runtime" "$@")
}
mkdir -p "$SMOKE/home" "$SMOKE/runtime" && chmod 700 "$SMOKE/runtime"
ANSWERS="$SOURCE/resources/examples/worked_example.json"

say "smoke: kiosk --version"
version="$(run_bundle "$BUNDLE/kiosk" --version)" || die "kiosk --version"
echo "$version"
[[ "$version" == "kiosk "* ]] || die "kiosk --version printed: $version"

say "smoke: kiosk check-config (resources found inside the bundle, default settings)"
run_bundle "$BUNDLE/kiosk" check-config || die "kiosk check-config"

say "smoke: kiosk score --answers worked_example.json"
run_bundle "$BUNDLE/kiosk" score --answers "$ANSWERS" >"$SMOKE/profile.json" || die "kiosk score"
capacity="$("$PYTHON" -c 'import json,sys; p=json.load(open(sys.argv[1])); print(p["capacity"]["score"], p["attitude"]["score"], p["allocation"])' "$SMOKE/profile.json")" \
    || die "kiosk score did not print a profile: $(head -c 300 "$SMOKE/profile.json")"
echo "capacity score, attitude score, allocation: $capacity"
[ "${capacity%% *}" = 67 ] || die "capacity score is ${capacity%% *}, expected 67"

say "smoke: kiosk score --answers - (bad input: exit 2 and one line)"
status=0
err="$(echo '{"age": 17}' | run_bundle "$BUNDLE/kiosk" score --answers - 2>&1 >/dev/null)" || status=$?
echo "exit $status: $err"
[ "$status" = 2 ] || die "bad answers gave exit $status, expected 2"

for lang in zh_CN en; do
    say "smoke: kiosk report --lang $lang --staff-copy"
    pdf="/tmp/kiosk-bundle-report-$lang.pdf"
    rm -f "$pdf"
    run_bundle "$BUNDLE/kiosk" report --answers "$ANSWERS" --lang "$lang" --staff-copy --out "$pdf" \
        || die "kiosk report --lang $lang"
    [ "$(head -c 5 "$pdf")" = "%PDF-" ] || die "$pdf is not a PDF"
    grep -a -q "WenQuanYi\|wqy\|WQY" "$pdf" || die "$pdf does not embed the bundled font"
    echo "$pdf: $(stat -c %s "$pdf") bytes"
done
cp /tmp/kiosk-bundle-report-zh_CN.pdf /tmp/x.pdf

say "smoke: QT_QPA_PLATFORM=offscreen kiosk screenshots --out /tmp/shots-bundle"
rm -rf /tmp/shots-bundle
run_bundle env QT_QPA_PLATFORM=offscreen "$BUNDLE/kiosk" screenshots --out /tmp/shots-bundle \
    || die "kiosk screenshots"
shots=$(find /tmp/shots-bundle -name '*.png' -size +1k | wc -l)
echo "$shots PNG files in /tmp/shots-bundle"
[ "$shots" -ge 10 ] || die "only $shots screenshots"

if command -v xvfb-run >/dev/null 2>&1; then
    say "smoke: kiosk --lockdown in a real window (xcb, under Xvfb) for 8 s"
    status=0
    run_bundle xvfb-run -a -s "-screen 0 1920x1080x24" timeout -s TERM 8 \
        "$BUNDLE/kiosk" --lockdown >"$SMOKE/window.log" 2>&1 || status=$?
    # timeout's 124: still running after 8 s, i.e. it started and did not crash.
    if [ "$status" != 124 ]; then
        cat "$SMOKE/window.log" >&2
        die "kiosk --lockdown under Xvfb ended with status $status before 8 s"
    fi
    log="$SMOKE/data/branch-risk-kiosk/logs/kiosk.log"
    if [ -f "$log" ] && grep -E " (ERROR|CRITICAL) " "$log"; then
        die "the windowed kiosk logged errors (above)"
    fi
    echo "ran 8 s without a crash"
else
    say "smoke: skipped the windowed start (no xvfb-run)"
fi

# ------------------------------------------------------------------ figures
end_time=$(date +%s)
say "bundle: $BUNDLE"
echo "size: $(du -sh "$BUNDLE" | cut -f1) ($(du -sb "$BUNDLE" | cut -f1) bytes), $(find "$BUNDLE" -type f | wc -l) files"
echo "pyinstaller: $((build_end - build_start)) s; whole script: $((end_time - start_time)) s"
echo "build.sh: OK"
