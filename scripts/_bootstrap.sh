# Shared by scripts/run and scripts/test: make the machine ready, idempotently.
#  - when root on Debian, apt-get the system libraries that are missing;
#  - create .venv with Python 3.11+ and install the project (again only when
#    pyproject.toml changed).
# Sourced, not run: it defines functions and sets ROOT.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"

say() { printf '%s\n' "$*" >&2; }

is_root_debian() {
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1
}

# apt_ensure PKG...: install the packages that are not installed yet.
apt_ensure() {
    local missing=() pkg
    command -v dpkg-query >/dev/null 2>&1 || return 0
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    if is_root_debian; then
        say "installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        say "note: system packages missing (install them as root): ${missing[*]}"
    fi
}

# Libraries Qt needs to run offscreen on a bare Debian, plus libcups2 for printers.
QT_LIBS=(libgl1 libegl1 libx11-6 libbrotli1 libdbus-1-3 libfontconfig1 libfreetype6
         libglib2.0-0 libxkbcommon0 libcups2)
# Read-aloud: QtTextToSpeech's speech-dispatcher engine, with espeak-ng's voices.
SPEECH_LIBS=(libpulse0 libspeechd2 speech-dispatcher speech-dispatcher-espeak-ng espeak-ng)
# Extra libraries for a real window: under X11 (xcb) or Wayland (the cage kiosk session).
QT_WINDOW_LIBS=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
                libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0
                libwayland-cursor0 libwayland-egl1)

# ensure_venv EXTRA: .venv with the project installed, with the given extra ("" or "test").
ensure_venv() {
    local extra="$1" spec="$ROOT" stamp
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        say "error: $PYTHON is not Python 3.11 or newer; set PYTHON=/path/to/python3.11"
        return 1
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        if ! "$PYTHON" -m venv "$VENV" >/dev/null 2>&1; then
            # Debian's python3 ships venv separately.
            rm -rf "$VENV"
            is_root_debian && apt_ensure python3-venv
            "$PYTHON" -m venv "$VENV"
        fi
    fi
    [ -n "$extra" ] && spec="$ROOT[$extra]"
    stamp="$VENV/.installed-${extra:-base}"
    local want
    want="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say "installing Python packages into .venv ${extra:+(with $extra extra)}"
        rm -f "$stamp"
        local status=0 log
        log="$(mktemp)"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$spec" >"$log" 2>&1 \
            || status=$?
        grep -v "is ignored: it is neither a file nor a directory" "$log" >&2 || true
        rm -f "$log"
        # -P: import from the installed packages, not from this folder.
        if [ "$status" != 0 ] || ! "$VENV/bin/python" -P -c 'import kiosk, PySide6, reportlab'; then
            say "error: installing the Python packages failed (pip exit $status); see above"
            return 1
        fi
        if [ "$extra" = test ] && [ ! -x "$VENV/bin/ruff" ]; then
            say "error: the test tools were not installed; see above"
            return 1
        fi
        echo "$want" >"$stamp"
    fi
}
