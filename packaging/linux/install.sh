#!/usr/bin/env bash
# Install (or update) the branch risk-profile kiosk as a locked-down kiosk session on
# Debian 12: `kiosk --lockdown` inside the cage Wayland compositor on tty1 from boot,
# as the user `kiosk`, restarted after any exit.
#
#   sudo packaging/linux/install.sh [options] [SOURCE]
#
# SOURCE: the project to pip-install: a checkout folder (default: the one this script is
# in), a wheel (.whl) or an sdist. Running it again updates the kiosk in place.
#
# Options:
#   --no-enable      install everything but do not enable the service or change the
#                    default target (for images, containers and tests)
#   --no-apt         do not apt-get anything (the packages are already there)
#   --set-pin        ask for the 6-digit staff PIN now (else: KIOSK_PIN=123456 in the
#                    environment; else the first staff unlock sets it)
#   --root DIR       install into DIR as the system root (a chroot's folder); implies that
#                    nothing is started; apt-get and useradd run inside it with chroot
#   -h, --help       this text
#
# What it does, each step idempotent:
#   1. apt-get: cage, polkitd, Python 3 + venv, Qt's libraries (the lists of scripts/_bootstrap.sh:
#      QT_LIBS, QT_WINDOW_LIBS, SPEECH_LIBS), Mesa, logind's PAM module, CUPS
#   2. the system user `kiosk` (groups video, input, render, audio; home /home/kiosk)
#   3. a new venv /opt/branch-risk-kiosk/venvs/<time> with SOURCE installed, checked with
#      `kiosk check-config`, then /opt/branch-risk-kiosk/venv pointed at it (the previous
#      one is kept for a rollback; older ones are removed)
#   4. /etc/branch-risk-kiosk/settings.toml (kept when it exists: it holds the PIN hash),
#      the folder owned by `kiosk` (the staff screen rewrites the file)
#   5. /etc/systemd/system/kiosk.service, graphical.target as the default, the service
#      enabled; on a running system an installed kiosk is restarted on the new version
set -euo pipefail
umask 022   # the venv and the unit must be readable by the user kiosk

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
APP=branch-risk-kiosk
KIOSK_USER=kiosk
PREFIX=/opt/$APP
CONF_DIR=/etc/$APP
DATA_DIR=/var/lib/$APP
UNIT=kiosk.service

ENABLE=1
APT=1
SET_PIN=0
TARGET_ROOT=""
SOURCE=""

say() { printf '== %s\n' "$*"; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --no-enable) ENABLE=0 ;;
        --no-apt) APT=0 ;;
        --set-pin) SET_PIN=1 ;;
        --root) TARGET_ROOT="$(cd "${2:?--root needs a folder}" && pwd)"; shift ;;
        --root=*) TARGET_ROOT="$(cd "${1#--root=}" && pwd)" ;;
        -h | --help) usage; exit 0 ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) [ -z "$SOURCE" ] || die "one SOURCE only"; SOURCE="$1" ;;
    esac
    shift
done
SOURCE="${SOURCE:-$HERE/../..}"
[ -e "$SOURCE" ] || die "$SOURCE does not exist"
SOURCE="$(realpath "$SOURCE")"
if [ -d "$SOURCE" ]; then
    [ -f "$SOURCE/pyproject.toml" ] || die "$SOURCE is not the project (no pyproject.toml)"
fi
[ "$(id -u)" = 0 ] || die "run as root (sudo $0 ...)"

# Commands inside the target system: directly, or through chroot with --root.
ROOT="${TARGET_ROOT:-}"
in_target() {
    if [ -n "$TARGET_ROOT" ]; then chroot "$TARGET_ROOT" "$@"; else "$@"; fi
}
[ -n "$TARGET_ROOT" ] && ENABLE_START=0 || ENABLE_START=1
if [ -z "$TARGET_ROOT" ] && [ ! -d /run/systemd/system ]; then
    ENABLE_START=0  # no running systemd (a container, a chroot): files only
fi
[ -f "$ROOT/etc/debian_version" ] || die "this installer is for Debian (no $ROOT/etc/debian_version)"

# ------------------------------------------------------------------ 1. system packages
# The library lists are the project's own (scripts/_bootstrap.sh), so they stay in step
# with what the tests run on; the fallbacks are for a SOURCE that is a wheel.
QT_LIBS=(libgl1 libegl1 libx11-6 libbrotli1 libdbus-1-3 libfontconfig1 libfreetype6
         libglib2.0-0 libxkbcommon0 libcups2)
QT_WINDOW_LIBS=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
                libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0
                libwayland-cursor0 libwayland-egl1)
SPEECH_LIBS=(libpulse0 libspeechd2 speech-dispatcher speech-dispatcher-espeak-ng espeak-ng)
for bootstrap in "$SOURCE/scripts/_bootstrap.sh" "$HERE/../../scripts/_bootstrap.sh"; do
    if [ -f "$bootstrap" ]; then
        # Only the arrays: run in a subshell, print them, read them back.
        lists="$(bash -c 'source "$1" >/dev/null 2>&1
            printf "%s\n" "${QT_LIBS[*]:-}" "${QT_WINDOW_LIBS[*]:-}" "${SPEECH_LIBS[*]:-}"' _ "$bootstrap")"
        { read -r -a a; read -r -a b; read -r -a c; } <<<"$lists"
        [ "${#a[@]}" -gt 0 ] && QT_LIBS=("${a[@]}")
        [ "${#b[@]}" -gt 0 ] && QT_WINDOW_LIBS=("${b[@]}")
        [ "${#c[@]}" -gt 0 ] && SPEECH_LIBS=("${c[@]}")
        break
    fi
done
PACKAGES=(
    cage xwayland                          # the kiosk compositor; Debian's cage will not
                                           # start without Xwayland (it does not depend on it)
    libgl1-mesa-dri libegl-mesa0 libgbm1   # GPU drivers for cage and Qt (EGL)
    dbus libpam-systemd                    # logind session: seat, devices, XDG_RUNTIME_DIR
    polkitd                                # lets the session's user activate it: without it
                                           # libseat's logind backend gets "Could not activate
                                           # session: Permission denied" and cage never starts
    procps                                 # pkill: kiosk-session hands SIGTERM to the kiosk
    python3 python3-venv                   # Debian 12: Python 3.11
    "${QT_LIBS[@]}" "${QT_WINDOW_LIBS[@]}" # Qt from the PySide6 wheels: offscreen, xcb, wayland
    "${SPEECH_LIBS[@]}"                    # read-aloud (QtTextToSpeech → speech-dispatcher)
    alsa-utils                             # aplay: the idle countdown's chime
    libcups2-dev gcc python3-dev           # pip builds pycups (printing in IPP) from source
    cups cups-client cups-bsd              # printing (IPP through libcups; lp/lpstat for staff)
)
if [ "$APT" = 1 ]; then
    say "apt-get install: ${PACKAGES[*]}"
    export DEBIAN_FRONTEND=noninteractive
    in_target apt-get update -qq
    in_target apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
fi
in_target test -x /usr/bin/cage || die "cage is not installed (drop --no-apt?)"
PYTHON=/usr/bin/python3
in_target "$PYTHON" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' \
    || die "$PYTHON must be Python 3.11+ with venv (Debian 12: python3 python3-venv)"

# ------------------------------------------------------------------ 2. the user
if ! in_target getent passwd "$KIOSK_USER" >/dev/null; then
    say "creating the system user $KIOSK_USER"
    in_target useradd --system --user-group --create-home --home-dir "/home/$KIOSK_USER" \
        --shell /usr/sbin/nologin --comment "Branch risk-profile kiosk" "$KIOSK_USER"
fi
# video, input, render, audio: the seat's screen, touch and sound (cage, read-aloud).
# lpadmin: CUPS's administrators (SystemGroup), so that staff can resume a stopped queue
# and cancel stuck jobs from the staff screen (cupsenable, cupsaccept, cancel).
for group in video input render audio lpadmin; do
    if in_target getent group "$group" >/dev/null; then
        in_target usermod -a -G "$group" "$KIOSK_USER"
    fi
done
in_target passwd -l "$KIOSK_USER" >/dev/null 2>&1 || true   # no password login, ever

# ------------------------------------------------------------------ 3. the venv
# A new venv per install, then an atomic switch of the `venv` link: a failed update
# leaves the running kiosk untouched, and the previous venv stays for a rollback.
stamp="$(date +%Y%m%d-%H%M%S)"
NEW="$PREFIX/venvs/$stamp"
mkdir -p "$ROOT$PREFIX/venvs"
if [ -e "$ROOT$PREFIX/venv" ] && [ ! -L "$ROOT$PREFIX/venv" ]; then
    die "$PREFIX/venv is a folder, not the link this installer makes; move it away first"
fi
say "creating $NEW and installing $SOURCE"
in_target "$PYTHON" -m venv "$NEW"
# With --root, the source must be visible inside the chroot: copy it in.
SRC_IN_TARGET="$SOURCE"
if [ -n "$TARGET_ROOT" ]; then
    SRC_IN_TARGET="/tmp/$APP-src-$stamp"
    mkdir -p "$ROOT$SRC_IN_TARGET"
    if [ -d "$SOURCE" ]; then
        tar -C "$SOURCE" --exclude=.venv --exclude=.git --exclude='*/build' --exclude='*/dist' \
            --exclude=__pycache__ -cf - . | tar -C "$ROOT$SRC_IN_TARGET" -xf -
    else
        cp "$SOURCE" "$ROOT$SRC_IN_TARGET/"
        SRC_IN_TARGET="$SRC_IN_TARGET/$(basename "$SOURCE")"
    fi
fi
pip() {
    # Quiet, without the notes of a pip.conf naming local indexes that are not there.
    local log status=0
    log="$(mktemp)"
    in_target "$NEW/bin/python" -m pip --disable-pip-version-check "$@" >"$log" 2>&1 || status=$?
    grep -v "WARNING: Location .* is ignored: it is" "$log" >&2 || true
    rm -f "$log"
    return "$status"
}
if ! pip install -q --upgrade pip || ! pip install -q "$SRC_IN_TARGET"; then
    rm -rf "${ROOT:?}$NEW"
    die "pip could not install $SOURCE (above); the installed kiosk is unchanged"
fi
[ -n "$TARGET_ROOT" ] && rm -rf "${ROOT:?}$SRC_IN_TARGET"
in_target "$NEW/bin/python" -P -c 'import kiosk, PySide6, reportlab' \
    || { rm -rf "${ROOT:?}$NEW"; die "the new venv cannot import the kiosk"; }
version="$(in_target "$NEW/bin/kiosk" --version)"
say "installed $version"

# ------------------------------------------------------------------ 4. settings + data
install -d -o root -g root -m 0755 "$ROOT$PREFIX"
in_target install -d -o "$KIOSK_USER" -g "$KIOSK_USER" -m 0750 "$CONF_DIR"
in_target install -d -o "$KIOSK_USER" -g "$KIOSK_USER" -m 0750 "$DATA_DIR"
if [ -f "$ROOT$CONF_DIR/settings.toml" ]; then
    say "keeping $CONF_DIR/settings.toml (branch, printer, PIN hash)"
else
    say "installing $CONF_DIR/settings.toml"
    install -m 0640 "$HERE/settings.toml" "$ROOT$CONF_DIR/settings.toml"
    in_target chown "$KIOSK_USER:$KIOSK_USER" "$CONF_DIR/settings.toml"
fi
as_kiosk() {
    in_target runuser -u "$KIOSK_USER" -- env HOME="/home/$KIOSK_USER" LANG=C.UTF-8 "$@"
}
say "kiosk check-config with $CONF_DIR/settings.toml (as $KIOSK_USER)"
if ! as_kiosk "$NEW/bin/kiosk" --settings "$CONF_DIR/settings.toml" check-config; then
    rm -rf "${ROOT:?}$NEW"
    die "the new version rejects $CONF_DIR/settings.toml (above); fix it and run again"
fi
pin="${KIOSK_PIN:-}"
if [ "$SET_PIN" = 1 ] && [ -z "$pin" ]; then
    read -r -s -p "staff PIN (6 digits): " pin; echo
    read -r -s -p "again: " again; echo
    [ "$pin" = "$again" ] || die "the two PINs differ"
fi
if [ -n "$pin" ]; then
    # The kiosk's own command hashes the PIN and rewrites the file (validated, atomic).
    printf '%s\n%s\n' "$pin" "$pin" \
        | as_kiosk "$NEW/bin/kiosk" --settings "$CONF_DIR/settings.toml" set-pin \
        || die "setting the PIN failed"
elif grep -q '^pin_hash = ""' "$ROOT$CONF_DIR/settings.toml"; then
    echo "note: no staff PIN yet: the locked-down kiosk has no staff access until one is set." >&2
    echo "      Set it now with --set-pin or KIOSK_PIN=..., or later with:" >&2
    echo "      runuser -u $KIOSK_USER -- $PREFIX/venv/bin/kiosk --settings $CONF_DIR/settings.toml set-pin" >&2
fi

# Switch: the `venv` link to the new venv (rename over the old link: atomic).
ln -sfn "venvs/$stamp" "$ROOT$PREFIX/venv.new"
mv -T "$ROOT$PREFIX/venv.new" "$ROOT$PREFIX/venv"
say "$PREFIX/venv -> venvs/$stamp"
# Keep the newest two venvs (the one in use and the previous one).
mapfile -t old < <(find "$ROOT$PREFIX/venvs" -mindepth 1 -maxdepth 1 -type d | sort | head -n -2)
for dir in "${old[@]}"; do rm -rf "$dir"; done
if [ -f "$HERE/../README.md" ]; then
    install -m 0644 "$HERE/../README.md" "$ROOT$PREFIX/README.md"
fi

# ------------------------------------------------------------------ 5. the service
say "installing /etc/systemd/system/$UNIT"
install -d "$ROOT$PREFIX/bin"
install -m 0755 "$HERE/kiosk-session" "$ROOT$PREFIX/bin/kiosk-session"
install -m 0644 "$HERE/kiosk.service" "$ROOT/etc/systemd/system/$UNIT"
# Logs that survive a reboot (journalctl -b -1 -u kiosk).
mkdir -p "$ROOT/var/log/journal"
# Without a running systemd (a chroot, an image, a container) systemctl works on the
# files of the given root instead of asking the manager.
SYSTEMCTL=(systemctl)
[ "$ENABLE_START" = 1 ] || SYSTEMCTL=(systemctl --root="${TARGET_ROOT:-/}")
[ "$ENABLE_START" = 1 ] && systemctl daemon-reload
if [ "$ENABLE" = 1 ]; then
    say "enabling $UNIT and cups; default target graphical.target"
    "${SYSTEMCTL[@]}" enable "$UNIT" cups.service >/dev/null 2>&1 \
        || "${SYSTEMCTL[@]}" enable "$UNIT"
    "${SYSTEMCTL[@]}" set-default graphical.target >/dev/null
    # A kiosk keyboard must not reboot the machine.
    "${SYSTEMCTL[@]}" mask ctrl-alt-del.target >/dev/null
    if [ "$ENABLE_START" = 1 ]; then
        if systemctl is-active --quiet "$UNIT"; then
            say "restarting the running kiosk on $version"
            systemctl restart "$UNIT"
        else
            echo "The kiosk starts at the next boot (or now: systemctl start $UNIT)."
        fi
    fi
else
    echo "not enabled (--no-enable): systemctl enable --now $UNIT when ready"
fi
say "done: $version"
