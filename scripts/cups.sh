# shellcheck shell=bash
# A local CUPS with a PDF printer for the printing tests: the queue "kiosk-pdf"
# (cups-pdf backend), enabled, accepting and the system default.
# Sourced, not run: it only defines functions. Safe under the caller's
# `set -euo pipefail`: nothing here exits the caller, and every command that may
# fail is tested, so call it as `ensure_cups || ...` or `if ensure_cups; then`.
#
#   ensure_cups   when root on Debian: install cups, printer-driver-cups-pdf,
#                 cups-client, cups-bsd if missing; start cupsd if it is not
#                 running (no systemd needed); create the queue kiosk-pdf if
#                 missing; enable it, make it accept jobs and the default.
#                 Exports KIOSK_CUPS_PDF_DIR (where cups-pdf writes this user's
#                 jobs) and creates that folder.
#                 Returns 0 when the queue is ready; 1 (with a one-line note)
#                 when not root on Debian; 2 (with a one-line reason) when CUPS
#                 cannot be set up. One line on stderr says what it did.
#                 Idempotent: a second call changes nothing and is fast.
#
#   cups_release  at the end of a run that called ensure_cups: when this run
#                 (or an earlier one) started cupsd and no other run still uses
#                 it, stop that cupsd. A cupsd that was already running (the
#                 system's) is never stopped. Runs share one cupsd: each holds a
#                 shared flock on $KIOSK_CUPS_LOCK from ensure_cups on; the pid of
#                 a cupsd started here is kept in $KIOSK_CUPS_STARTED; the last
#                 run to leave (an exclusive lock) stops it.

KIOSK_CUPS_QUEUE="kiosk-pdf"
KIOSK_CUPS_PACKAGES=(cups printer-driver-cups-pdf cups-client cups-bsd)
KIOSK_CUPS_PPD="lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
KIOSK_CUPS_LOCK="${KIOSK_CUPS_LOCK:-/run/kiosk-test-cups.lock}"
KIOSK_CUPS_STARTED="${KIOSK_CUPS_STARTED:-/run/kiosk-test-cups.pid}"
KIOSK_CUPS_LOCK_FD=""

_cups_say() { printf '%s\n' "$*" >&2; }

# _cups_scheduler_running: lpstat -r prints "scheduler is running".
_cups_scheduler_running() {
    command -v lpstat >/dev/null 2>&1 || return 1
    [ "$(LC_ALL=C lpstat -r 2>/dev/null)" = "scheduler is running" ]
}

# _cups_cupsd_alive: a cupsd process exists that is not a zombie (a cupsd
# that was just stopped may linger as one when PID 1 does not reap).
_cups_cupsd_alive() {
    [ -n "$(_cups_cupsd_pids)" ]
}

# _cups_cupsd_pids: the pids of the cupsd processes that are not zombies (read from
# /proc: a minimal Debian has no ps).
_cups_cupsd_pids() {
    local dir comm stat
    for dir in /proc/[0-9]*; do
        { read -r comm <"$dir/comm" && read -r stat <"$dir/stat"; } 2>/dev/null || continue
        [ "$comm" = cupsd ] || continue
        stat="${stat##*) }"
        [[ $stat == Z* ]] || printf '%s\n' "${dir#/proc/}"
    done
}

# _cups_cupsd_is PID: that pid is a live cupsd.
_cups_cupsd_is() {
    [[ $'\n'"$(_cups_cupsd_pids)"$'\n' == *$'\n'"$1"$'\n'* ]]
}

# _cups_start_cupsd: start cupsd (it forks into the background) without this run's
# lock: a cupsd that held it could never be stopped by cups_release.
_cups_start_cupsd() {
    if [ -n "$KIOSK_CUPS_LOCK_FD" ]; then
        /usr/sbin/cupsd {KIOSK_CUPS_LOCK_FD}>&-
    else
        /usr/sbin/cupsd
    fi
}

# _cups_apt_get ARGS...: apt-get through scripts/_bootstrap.sh's apt_get when it is
# sourced (it waits for another package manager's lock), else apt-get itself.
_cups_apt_get() {
    if declare -F apt_get >/dev/null; then
        apt_get "$@"
    else
        apt-get -o DPkg::Lock::Timeout=600 "$@" >/dev/null
    fi
}

# _cups_pdf_dir: the folder cups-pdf writes the current user's jobs to: the
# `Out` setting of /etc/cups/cups-pdf.conf (default ${HOME}/PDF), where
# ${HOME} is the user's home from the password database and ${USER} the name.
_cups_pdf_dir() {
    local conf=/etc/cups/cups-pdf.conf out="" user home
    user="$(id -un)"
    home="$(getent passwd "$user" 2>/dev/null | cut -d: -f6)" || home=""
    [ -n "$home" ] || home="${HOME:-/root}"
    if [ -r "$conf" ]; then
        out="$(sed -n 's/^[[:space:]]*Out[[:space:]]\{1,\}\(.*[^[:space:]]\)[[:space:]]*$/\1/p' "$conf" | tail -n 1)" || out=""
    fi
    # shellcheck disable=SC2016 # cups-pdf's own ${HOME}, replaced below
    [ -n "$out" ] || out='${HOME}/PDF'
    out="${out//\$\{HOME\}/$home}"
    out="${out//\$\{USER\}/$user}"
    printf '%s\n' "$out"
}

ensure_cups() {
    local q="$KIOSK_CUPS_QUEUE" did=() missing=() pkg i out
    if ! { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
            && command -v dpkg-query >/dev/null 2>&1; }; then
        _cups_say "note: not root on Debian; skipping the CUPS setup (queue $q)"
        return 1
    fi

    # 0. This run uses the scheduler from now on (see cups_release). The lock is taken
    # once, and waits while a run that is leaving stops a cupsd it started.
    if [ -z "$KIOSK_CUPS_LOCK_FD" ] && command -v flock >/dev/null 2>&1 \
            && { : >>"$KIOSK_CUPS_LOCK"; } 2>/dev/null && exec {KIOSK_CUPS_LOCK_FD}>>"$KIOSK_CUPS_LOCK"; then
        flock -s "$KIOSK_CUPS_LOCK_FD" || true
    fi

    # 1. Packages.
    for pkg in "${KIOSK_CUPS_PACKAGES[@]}"; do
        [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] \
            || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        # Wait for another package manager here, where the message can be seen.
        if declare -F apt_wait_for_locks >/dev/null && ! apt_wait_for_locks; then
            _cups_say "error: CUPS not set up: another package manager holds apt's lock"
            return 2
        fi
        if ! out="$(export DEBIAN_FRONTEND=noninteractive
                    _cups_apt_get update -qq 2>&1 \
                    && _cups_apt_get install -y -qq --no-install-recommends "${missing[@]}" 2>&1)"; then
            _cups_say "error: CUPS not set up: apt-get install ${missing[*]} failed: $(printf '%s' "$out" | tail -n 1)"
            return 2
        fi
        did+=("installed ${missing[*]}")
    fi

    # 2. The scheduler, without systemd: cupsd forks into the background. A
    # cupsd that is still shutting down is waited for, then started again.
    if ! _cups_scheduler_running; then
        local started=0
        for ((i = 0; i < 50; i++)); do
            _cups_scheduler_running && break
            if [ "$started" -lt 2 ] && ! _cups_cupsd_alive; then
                if ! out="$(_cups_start_cupsd 2>&1)"; then
                    _cups_say "error: CUPS not set up: /usr/sbin/cupsd failed: $(printf '%s' "$out" | tail -n 1)"
                    return 2
                fi
                started=$((started + 1))
            fi
            sleep 0.2
        done
        if ! _cups_scheduler_running; then
            _cups_say "error: CUPS not set up: the scheduler is not running after 10 s (see /var/log/cups/error_log)"
            return 2
        fi
        if [ "$started" -gt 0 ]; then
            # No cupsd was alive before: the one alive now is ours, to stop at the end.
            out="$(_cups_cupsd_pids)"
            { printf '%s\n' "${out%%$'\n'*}" >"$KIOSK_CUPS_STARTED"; } 2>/dev/null || true
            did+=("started cupsd")
        fi
    fi

    # 3. The queue.
    if ! lpstat -p "$q" >/dev/null 2>&1; then
        if ! out="$(lpadmin -p "$q" -v cups-pdf:/ -E -m "$KIOSK_CUPS_PPD" 2>&1)" \
                || ! lpstat -p "$q" >/dev/null 2>&1; then
            _cups_say "error: CUPS not set up: lpadmin -p $q failed: $(printf '%s' "$out" | tail -n 1)"
            return 2
        fi
        did+=("created queue $q")
    fi
    # Enabled: the first line of `lpstat -p` is "printer kiosk-pdf is idle.  enabled
    # since ..." or, when stopped, "printer kiosk-pdf disabled since ...".
    # (Outputs are read into variables, not piped to grep -q: under the caller's
    # pipefail an early-exiting reader could make a pipeline fail by SIGPIPE.)
    out="$(LC_ALL=C lpstat -p "$q" 2>/dev/null)" || out=""
    if [[ ${out%%$'\n'*} == *" disabled "* ]]; then
        if ! out="$(cupsenable "$q" 2>&1)"; then
            _cups_say "error: CUPS not set up: cupsenable $q failed: $out"
            return 2
        fi
        did+=("enabled $q")
    fi
    # Accepting ("kiosk-pdf accepting requests since ..." / "not accepting requests").
    out="$(LC_ALL=C lpstat -a "$q" 2>/dev/null)" || out=""
    if [[ $out == *"not accepting"* ]]; then
        if ! out="$(cupsaccept "$q" 2>&1)"; then
            _cups_say "error: CUPS not set up: cupsaccept $q failed: $out"
            return 2
        fi
        did+=("made $q accept jobs")
    fi
    # Default ("system default destination: kiosk-pdf").
    if [ "$(LC_ALL=C lpstat -d 2>/dev/null)" != "system default destination: $q" ]; then
        if ! out="$(lpadmin -d "$q" 2>&1)"; then
            _cups_say "error: CUPS not set up: lpadmin -d $q failed: $out"
            return 2
        fi
        did+=("made $q the default")
    fi

    # 4. Where cups-pdf writes our jobs.
    KIOSK_CUPS_PDF_DIR="$(_cups_pdf_dir)"
    export KIOSK_CUPS_PDF_DIR
    if [ ! -d "$KIOSK_CUPS_PDF_DIR" ]; then
        if ! mkdir -p "$KIOSK_CUPS_PDF_DIR" 2>/dev/null; then
            _cups_say "error: CUPS not set up: cannot create $KIOSK_CUPS_PDF_DIR"
            return 2
        fi
        did+=("created $KIOSK_CUPS_PDF_DIR")
    fi

    if [ "${#did[@]}" -eq 0 ]; then
        _cups_say "cups: queue $q ready (nothing to do); PDFs in $KIOSK_CUPS_PDF_DIR"
    else
        local summary="" item
        for item in "${did[@]}"; do summary+="$item; "; done
        _cups_say "cups: ${summary}queue $q ready; PDFs in $KIOSK_CUPS_PDF_DIR"
    fi
    return 0
}

cups_release() {
    local fd pid i
    [ -n "$KIOSK_CUPS_LOCK_FD" ] || return 0
    exec {KIOSK_CUPS_LOCK_FD}>&-
    KIOSK_CUPS_LOCK_FD=""
    [ -s "$KIOSK_CUPS_STARTED" ] || return 0
    exec {fd}>>"$KIOSK_CUPS_LOCK" || return 0
    if flock -n -x "$fd"; then  # no other run uses the scheduler
        pid="$(cat "$KIOSK_CUPS_STARTED" 2>/dev/null)" || pid=""
        if [[ $pid =~ ^[0-9]+$ ]] && _cups_cupsd_is "$pid"; then
            kill "$pid" 2>/dev/null || true
            for ((i = 0; i < 50; i++)); do
                _cups_cupsd_is "$pid" || break
                sleep 0.1
            done
            if _cups_cupsd_is "$pid"; then
                _cups_say "note: the cupsd started for the tests (pid $pid) did not stop"
            else
                _cups_say "cups: stopped the cupsd started for the tests"
            fi
        fi
        rm -f "$KIOSK_CUPS_STARTED"
    fi
    exec {fd}>&-
    return 0
}
