#!/usr/bin/env bash
# Check the Linux kiosk packaging offline (no running systemd needed, nothing enabled):
#   1. `systemd-analyze verify` of kiosk.service in a temporary root (the system's unit
#      files, stand-ins for the ExecStart binaries); any warning counts as a failure
#   2. `systemctl --root` enable works and lands in graphical.target.wants
#   3. the directives the kiosk session depends on are there
#   4. settings.toml: the keys of resources/settings.default.toml, defaults but for
#      storage.data_dir = /var/lib/<StateDirectory>; `kiosk check-config` accepts it
#   5. install.sh and ../pyinstaller/build.sh parse (bash -n) and pass shellcheck;
#      install.sh adds the kiosk's user to lpadmin (staff resume a stopped queue)
#
#   packaging/linux/verify.sh        exit 0: all good; 1: problems (each one printed)
#
# KIOSK=/path/to/kiosk picks the kiosk used for check-config (default: the checkout's
# .venv, else /opt/branch-risk-kiosk/venv). KIOSK_VERIFY_UNIT_DIR picks the system unit
# folder to verify against (default: /usr/lib/systemd/system).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT="$(cd "$HERE/../.." && pwd)"
UNIT_FILE="$HERE/kiosk.service"
SETTINGS="$HERE/settings.toml"
problems=0

say() { printf '== %s\n' "$*"; }
ok() { printf '   ok: %s\n' "$*"; }
bad() { printf '   PROBLEM: %s\n' "$*"; problems=$((problems + 1)); }

apt_install() {
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "   installing $*"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null 2>&1 \
                 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; }
    fi
}

# The value(s) of a key in the unit, e.g. `unit_values ExecStart`.
unit_values() { sed -n "s/^$1=//p" "$UNIT_FILE"; }

# ------------------------------------------------------------------ 1. systemd-analyze verify
say "systemd-analyze verify kiosk.service"
command -v systemd-analyze >/dev/null 2>&1 || apt_install systemd
if ! command -v systemd-analyze >/dev/null 2>&1; then
    bad "systemd-analyze is missing and could not be installed (apt-get install systemd)"
else
    systemd-analyze --version | head -n 1 | sed 's/^/   /'
    ROOTDIR="$(mktemp -d /tmp/kiosk-verify.XXXXXX)"
    trap 'rm -rf "$ROOTDIR"' EXIT
    units=""
    for dir in ${KIOSK_VERIFY_UNIT_DIR:-} /usr/lib/systemd/system /lib/systemd/system; do
        [ -d "$dir" ] && units="$dir" && break
    done
    if [ -z "$units" ]; then
        bad "no system unit folder (/usr/lib/systemd/system) to verify against"
    else
        mkdir -p "$ROOTDIR/usr/lib/systemd" "$ROOTDIR/etc/systemd/system"
        cp -a "$units" "$ROOTDIR/usr/lib/systemd/system"
        cp "$UNIT_FILE" "$ROOTDIR/etc/systemd/system/kiosk.service"
        # Stand-ins for the programs the unit runs (cage and the kiosk are not installed
        # on a build machine); verify checks that ExecStart's program exists.
        for program in $(unit_values 'Exec[A-Za-z]*' | awk '{print $1}' | sed 's/^[-@:+!]*//') \
                       /opt/branch-risk-kiosk/venv/bin/kiosk; do
            mkdir -p "$ROOTDIR$(dirname "$program")"
            printf '#!/bin/sh\nexit 0\n' >"$ROOTDIR$program"
            chmod 755 "$ROOTDIR$program"
        done
        output="$(systemd-analyze verify --man=no --generators=no --root="$ROOTDIR" kiosk.service 2>&1)"
        status=$?
        if [ "$status" != 0 ] || [ -n "$output" ]; then
            printf '%s\n' "$output" | sed 's/^/   /'
            bad "systemd-analyze verify: exit $status, $(printf '%s' "$output" | grep -c .) line(s) of warnings"
        else
            ok "systemd-analyze verify: no warnings"
        fi

        # ---------------------------------------------------------- 2. enable offline
        say "systemctl --root enable kiosk.service"
        if enable_out="$(systemctl --root="$ROOTDIR" enable kiosk.service 2>&1)"; then
            printf '%s\n' "$enable_out" | sed 's/^/   /'
            for target in $(unit_values WantedBy); do
                if [ -L "$ROOTDIR/etc/systemd/system/$target.wants/kiosk.service" ]; then
                    ok "enabled into $target.wants"
                else
                    bad "enable did not link kiosk.service into $target.wants"
                fi
                [ -e "$ROOTDIR/usr/lib/systemd/system/$target" ] || bad "WantedBy=$target: no such unit"
            done
        else
            printf '%s\n' "$enable_out" | sed 's/^/   /'
            bad "systemctl --root enable failed"
        fi
        # Units of packages that install.sh installs may be missing on a build machine (a
        # minimal Debian has no D-Bus): those are only reported, once install.sh is seen
        # to install their package. Any other missing unit is a problem (a typo).
        seen=" "
        for dep in $(unit_values After) $(unit_values Wants) $(unit_values Conflicts); do
            [[ $seen == *" $dep "* ]] && continue  # once, whether in After or in Wants
            seen+="$dep "
            [ -e "$ROOTDIR/usr/lib/systemd/system/$dep" ] && continue
            [ -e "$ROOTDIR/usr/lib/systemd/system/${dep%%@*}@.service" ] && continue
            case "$dep" in
                cups.service | plymouth-quit-wait.service) ;;  # optional: ordering only
                dbus.socket)
                    if grep -Eq '^[[:space:]]+dbus[[:space:]]' "$HERE/install.sh"; then
                        echo "   (for information) $dep is not installed here; package dbus, which install.sh installs"
                    else
                        bad "$dep is not installed here, and install.sh does not install dbus"
                    fi ;;
                *) bad "$dep (After/Wants/Conflicts) is not a unit of this systemd" ;;
            esac
        done
        sec="$(systemd-analyze security --offline=true --root="$ROOTDIR" kiosk.service 2>/dev/null | grep 'Overall exposure' || true)"
        [ -n "$sec" ] && echo "   (for information) ${sec#→ }"
    fi
fi

# ------------------------------------------------------------------ 3. the kiosk session's directives
say "directives of the cage-on-tty1 kiosk session"
required=(
    "User=kiosk" "PAMName=login" "TTYPath=/dev/tty1" "StandardInput=tty" "UtmpIdentifier=tty1"
    "Conflicts=getty@tty1.service" "Environment=QT_QPA_PLATFORM=wayland"
    "Environment=XDG_SESSION_TYPE=wayland" "Restart=always" "RestartSec=2"
    "StateDirectory=branch-risk-kiosk" "WantedBy=graphical.target" "StartLimitIntervalSec=0"
)
for line in "${required[@]}"; do
    if grep -qxF "$line" "$UNIT_FILE"; then ok "$line"; else bad "missing: $line"; fi
done
if unit_values After | tr ' ' '\n' | grep -qxF systemd-user-sessions.service; then
    ok "After=systemd-user-sessions.service"
else
    bad "missing: After=systemd-user-sessions.service"
fi
exec_start="$(unit_values ExecStart)"
read -r -a argv <<<"$exec_start"
expected=(/opt/branch-risk-kiosk/bin/kiosk-session -d -s -- /opt/branch-risk-kiosk/venv/bin/kiosk --lockdown --settings /etc/branch-risk-kiosk/settings.toml)
if [ "${argv[*]}" = "${expected[*]}" ]; then
    ok "ExecStart=${argv[*]}"
else
    bad "ExecStart is '${argv[*]}', expected '${expected[*]}'"
fi

# ------------------------------------------------------------------ 4. settings.toml
say "settings.toml"
state_dir="/var/lib/$(unit_values StateDirectory)"
settings_check="$(python3 - "$SETTINGS" "$PROJECT/resources/settings.default.toml" "$state_dir" <<'EOF'
import sys, tomllib
settings_path, defaults_path, state_dir = sys.argv[1:]
with open(settings_path, "rb") as f:
    settings = tomllib.load(f)
with open(defaults_path, "rb") as f:
    defaults = tomllib.load(f)
problems = []
if list(settings) != list(defaults):
    problems.append(f"sections {list(settings)}, expected {list(defaults)}")
for section, values in defaults.items():
    got = settings.get(section, {})
    if list(got) != list(values):
        problems.append(f"[{section}] keys {list(got)}, expected {list(values)}")
    for key, default in values.items():
        want = state_dir if (section, key) == ("storage", "data_dir") else default
        if got.get(key) != want:
            problems.append(f"{section}.{key} = {got.get(key)!r}, expected {want!r}")
for p in problems:
    print(p)
EOF
)" || settings_check="settings.toml could not be read: $settings_check"
if [ -z "$settings_check" ]; then
    ok "same sections and keys as resources/settings.default.toml; defaults but data_dir = \"$state_dir\""
else
    while IFS= read -r line; do bad "settings.toml: $line"; done <<<"$settings_check"
fi
kiosk_bin="${KIOSK:-}"
if [ -z "$kiosk_bin" ]; then
    for candidate in "$PROJECT/.venv/bin/kiosk" /opt/branch-risk-kiosk/venv/bin/kiosk; do
        [ -x "$candidate" ] && kiosk_bin="$candidate" && break
    done
fi
if [ -n "$kiosk_bin" ]; then
    tmp_home="$(mktemp -d)"
    check="$(cd "$tmp_home" && env HOME="$tmp_home" XDG_CONFIG_HOME="$tmp_home/config" \
        XDG_DATA_HOME="$tmp_home/data" "$kiosk_bin" --settings "$SETTINGS" check-config 2>&1)"
    status=$?
    rm -rf "$tmp_home"
    # Warnings (exit 0, then "ok") are expected for the template: the installer sets
    # the branch's code and name.
    if [ "$status" = 0 ] && [ "${check##*$'\n'}" = ok ]; then
        ok "$kiosk_bin --settings settings.toml check-config: ok"
        [ "$check" = ok ] || printf '%s\n' "${check%$'\n'*}" | sed 's/^/   (for information) /'
    else
        printf '%s\n' "$check" | sed 's/^/   /'
        bad "kiosk check-config rejects settings.toml (exit $status)"
    fi
else
    echo "   (no kiosk executable found: check-config skipped; set KIOSK=...)"
fi

# ------------------------------------------------------------------ 5. the scripts
say "install.sh, kiosk-session, build.sh"
command -v shellcheck >/dev/null 2>&1 || apt_install shellcheck
for script in "$HERE/install.sh" "$HERE/kiosk-session" "$HERE/verify.sh" "$HERE/../pyinstaller/build.sh"; do
    name="${script#"$HERE/"}"
    if ! bash -n "$script"; then
        bad "$name does not parse"
    elif command -v shellcheck >/dev/null 2>&1; then
        if shellcheck -x "$script" >/tmp/kiosk-verify-shellcheck.txt 2>&1; then
            ok "$name: bash -n, shellcheck"
        else
            sed 's/^/   /' /tmp/kiosk-verify-shellcheck.txt
            bad "$name: shellcheck"
        fi
        rm -f /tmp/kiosk-verify-shellcheck.txt
    else
        ok "$name: bash -n (shellcheck not available)"
    fi
done
# install.sh must put things where the unit and the settings expect them.
for path in /opt/branch-risk-kiosk /etc/branch-risk-kiosk /var/lib/branch-risk-kiosk kiosk.service; do
    grep -q -- "${path##*/}" "$HERE/install.sh" || bad "install.sh never mentions $path"
done
# The kiosk's user resumes a stopped printer queue from the staff screen: a CUPS admin.
grep -Eq '^for group in .*[[:space:]]lpadmin([[:space:]]|;)' "$HERE/install.sh" \
    || bad "install.sh does not add the kiosk's user to the group lpadmin"
"$HERE/install.sh" --help >/dev/null 2>&1 || bad "install.sh --help fails"

echo
if [ "$problems" = 0 ]; then
    echo "verify.sh: OK"
    exit 0
fi
echo "verify.sh: $problems problem(s)"
exit 1
