# shellcheck shell=bash disable=SC2034 # the package lists are for the sourcing scripts
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

# The locks apt and dpkg take while they work: fcntl locks (which `flock` does not see).
# Another apt-get or dpkg, or unattended-upgrades (a fresh Debian runs it at its first
# boot), holds them for minutes. KIOSK_APT_LOCKS (colon-separated) replaces the list, for
# the tests; KIOSK_APT_LOCK_WAIT is how long to wait at most, in seconds.
KIOSK_APT_LOCKS="${KIOSK_APT_LOCKS:-/var/lib/dpkg/lock-frontend:/var/lib/dpkg/lock:/var/lib/apt/lists/lock:/var/cache/apt/archives/lock}"
KIOSK_APT_LOCK_WAIT="${KIOSK_APT_LOCK_WAIT:-1800}"

# apt_held_lock: print the first of KIOSK_APT_LOCKS that another process holds; status 1
# when none is. It only tests the lock (F_GETLK), never takes it, so apt is never in its way.
apt_held_lock() {
    "$PYTHON" - "$KIOSK_APT_LOCKS" 2>/dev/null <<'PY'
import os, sys
for path in sys.argv[1].split(":"):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        continue  # no lock file: nobody holds it
    try:
        os.lockf(fd, os.F_TEST, 0)
    except OSError:
        print(path)
        sys.exit(0)
    finally:
        os.close(fd)
sys.exit(1)
PY
}

# apt_wait_for_locks: return once no other package manager holds apt's or dpkg's locks,
# saying once that it waits; status 1 (with one line) after KIOSK_APT_LOCK_WAIT seconds.
apt_wait_for_locks() {
    local lock start="$SECONDS" said=0
    while lock="$(apt_held_lock)"; do
        if [ "$said" = 0 ]; then
            say "waiting for another package manager (apt) to finish… ($lock is held)"
            said=1
        fi
        if [ $((SECONDS - start)) -ge "$KIOSK_APT_LOCK_WAIT" ]; then
            say "error: $lock is still held after $KIOSK_APT_LOCK_WAIT s; run this again when the other package manager is done"
            return 1
        fi
        sleep 1
    done
}

# apt_get ARGS...: apt-get once the locks are free; its stdout is dropped, its stderr shown.
# apt's own DPkg::Lock::Timeout covers dpkg's locks but not the lists lock of `apt-get
# update` (apt 2.6), so a lock taken again in between (a timer of unattended-upgrades)
# is waited for here too, without apt's raw "Could not get lock".
apt_get() {
    local err status
    while :; do
        apt_wait_for_locks || return 1
        status=0
        err="$(apt-get -o DPkg::Lock::Timeout=60 "$@" 2>&1 >/dev/null)" || status=$?
        if [ "$status" != 0 ] && [[ $err == *"Could not get lock"* ]] && apt_held_lock >/dev/null; then
            continue
        fi
        [ -z "$err" ] || printf '%s\n' "$err" >&2
        return "$status"
    done
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
        apt_get update -qq
        apt_get install -y -qq --no-install-recommends "${missing[@]}"
    else
        say "note: system packages missing (install them as root): ${missing[*]}"
    fi
}

# Libraries Qt needs to run offscreen on a bare Debian, plus libcups2 for printers.
QT_LIBS=(libgl1 libegl1 libx11-6 libbrotli1 libdbus-1-3 libfontconfig1 libfreetype6
         libglib2.0-0 libxkbcommon0 libcups2)
# What pip needs to build pycups (libcups's Python bindings: no wheel on PyPI), which the
# kiosk prints with; at run time it needs only libcups2 (above).
CUPS_BUILD_LIBS=(libcups2-dev gcc python3-dev)
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
    [ -n "$extra" ] && spec="${ROOT}[$extra]"
    stamp="$VENV/.installed-${extra:-base}"
    local want
    want="$(sha256sum <"$ROOT/pyproject.toml" | cut -d' ' -f1)"
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
