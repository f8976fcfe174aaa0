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
#                 Then, best effort (a one-line note when it cannot, and the IPP
#                 tests skip): a real IPP Everywhere printer, CUPS's simulator
#                 ippeveprinter on port $KIOSK_IPP_PORT, behind the driverless
#                 queue kiosk-ipp (`lpadmin -m everywhere`). It needs avahi-daemon,
#                 which needs the D-Bus system bus: whichever of dbus-daemon,
#                 avahi-daemon and ippeveprinter is not running is started (no
#                 systemd needed). Exports KIOSK_IPP_QUEUE, KIOSK_IPP_URI,
#                 KIOSK_IPP_SPOOL (where the printer keeps what it received),
#                 KIOSK_IPP_CONTROL (a file scripts/ipp-job.sh reads for each job)
#                 and KIOSK_IPP_JOB_COMMAND (that script).
#
#   cups_release  at the end of a run that called ensure_cups: when this run
#                 (or an earlier one) started cupsd and no other run still uses
#                 it, stop that cupsd. A cupsd that was already running (the
#                 system's) is never stopped. Runs share one cupsd: each holds a
#                 shared flock on $KIOSK_CUPS_LOCK from ensure_cups on; the pid of
#                 a cupsd started here is kept in $KIOSK_CUPS_STARTED; the last
#                 run to leave (an exclusive lock) stops it. The same holds for
#                 the ippeveprinter, avahi-daemon and dbus-daemon started here
#                 (their pids are kept in $KIOSK_IPP_STATE): the last run stops
#                 them, first the printer, then avahi, then D-Bus.

KIOSK_CUPS_QUEUE="kiosk-pdf"
KIOSK_CUPS_PACKAGES=(cups printer-driver-cups-pdf cups-client cups-bsd)
KIOSK_CUPS_PPD="lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
KIOSK_CUPS_LOCK="${KIOSK_CUPS_LOCK:-/run/kiosk-test-cups.lock}"
KIOSK_CUPS_STARTED="${KIOSK_CUPS_STARTED:-/run/kiosk-test-cups.pid}"
KIOSK_CUPS_LOCK_FD=""
KIOSK_IPP_QUEUE="kiosk-ipp"
KIOSK_IPP_PORT="${KIOSK_IPP_PORT:-8631}"
KIOSK_IPP_PACKAGES=(cups-ipp-utils avahi-daemon dbus)
KIOSK_IPP_STATE="${KIOSK_IPP_STATE:-${KIOSK_CUPS_STARTED%.pid}-ipp}"
KIOSK_IPP_JOB_COMMAND="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/ipp-job.sh"

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

    # 5. The IPP Everywhere printer and its driverless queue (best effort).
    _ipp_ensure || true

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
    [ -s "$KIOSK_CUPS_STARTED" ] || _ipp_started_any || return 0
    exec {fd}>>"$KIOSK_CUPS_LOCK" || return 0
    if flock -n -x "$fd"; then  # no other run uses the scheduler
        _ipp_release
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

# ---------------------------------------------------------------- the IPP printer

# _ipp_alive PID COMM: that pid is a live process (not a zombie) named COMM.
_ipp_alive() {
    local comm stat
    [[ $1 =~ ^[0-9]+$ ]] || return 1
    { read -r comm <"/proc/$1/comm" && read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    stat="${stat##*) }"
    [ "$comm" = "$2" ] && [[ $stat != Z* ]]
}

# _ipp_started_any: a pid file of a daemon started here exists.
_ipp_started_any() {
    local f
    for f in ippeveprinter avahi dbus; do
        [ -s "$KIOSK_IPP_STATE/$f.pid" ] && return 0
    done
    return 1
}

# _ipp_daemon CMD...: run a command that starts a daemon, without this run's lock (a
# daemon that held it could never be stopped by cups_release).
_ipp_daemon() {
    if [ -n "$KIOSK_CUPS_LOCK_FD" ]; then
        "$@" {KIOSK_CUPS_LOCK_FD}>&-
    else
        "$@"
    fi
}

# _ipp_system_bus: the D-Bus system bus answers (a session bus is another dbus-daemon).
_ipp_system_bus() {
    timeout 5 dbus-send --system --print-reply --dest=org.freedesktop.DBus / \
        org.freedesktop.DBus.GetId >/dev/null 2>&1
}

# _ipp_answers: the printer answers an IPP Get-Printer-Attributes.
_ipp_answers() {
    ipptool -q -T 2 "ipp://localhost:$KIOSK_IPP_PORT/ipp/print" get-printer-attributes.test \
        >/dev/null 2>&1
}

# _ipp_ensure: dbus-daemon, avahi-daemon, ippeveprinter and the queue kiosk-ipp.
# Returns 0 when the queue is ready; else 1 after one line saying why.
_ipp_ensure() {
    local q="$KIOSK_IPP_QUEUE" did=() missing=() pkg i out pid uri
    uri="ipp://localhost:$KIOSK_IPP_PORT/ipp/print"
    for pkg in "${KIOSK_IPP_PACKAGES[@]}"; do
        [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] \
            || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        if ! out="$(DEBIAN_FRONTEND=noninteractive _cups_apt_get update -qq 2>&1 \
                    && DEBIAN_FRONTEND=noninteractive \
                       _cups_apt_get install -y -qq --no-install-recommends "${missing[@]}" 2>&1)"; then
            _cups_say "note: no IPP test printer: apt-get install ${missing[*]} failed: $(printf '%s' "$out" | tail -n 1)"
            return 1
        fi
        did+=("installed ${missing[*]}")
    fi
    if ! mkdir -p "$KIOSK_IPP_STATE" 2>/dev/null; then
        _cups_say "note: no IPP test printer: cannot create $KIOSK_IPP_STATE"
        return 1
    fi

    # 1. The D-Bus system bus (avahi-daemon talks to it).
    if ! _ipp_system_bus; then
        pid="$(cat /run/dbus/pid 2>/dev/null)" || pid=""
        _ipp_alive "$pid" dbus-daemon || rm -f /run/dbus/pid  # a stale one stops it
        mkdir -p /run/dbus
        if ! out="$(_ipp_daemon dbus-daemon --system --fork --print-pid 2>&1)" \
                || ! [[ ${out%%$'\n'*} =~ ^[0-9]+$ ]]; then
            _cups_say "note: no IPP test printer: dbus-daemon --system failed: $(printf '%s' "$out" | tail -n 1)"
            return 1
        fi
        printf '%s\n' "${out%%$'\n'*}" >"$KIOSK_IPP_STATE/dbus.pid"
        did+=("started dbus-daemon")
    fi

    # 2. avahi-daemon (ippeveprinter exits with "Unable to initialize DNS-SD" without it).
    if ! avahi-daemon --check 2>/dev/null; then
        # A pid file left by an avahi-daemon that is gone (or a zombie) would stop it.
        pid="$(cat /run/avahi-daemon/pid 2>/dev/null)" || pid=""
        _ipp_alive "$pid" avahi-daemon || rm -f /run/avahi-daemon/pid
        for ((i = 0; i < 3; i++)); do  # the bus may need a moment after its start
            out="$(_ipp_daemon avahi-daemon --daemonize --no-chroot 2>&1)" && break
            sleep 0.5
        done
        for ((i = 0; i < 50; i++)); do
            avahi-daemon --check 2>/dev/null && break
            sleep 0.1
        done
        if ! avahi-daemon --check 2>/dev/null; then
            _cups_say "note: no IPP test printer: avahi-daemon did not start${out:+: $(printf '%s' "$out" | tail -n 1)} (see syslog or run avahi-daemon --debug)"
            return 1
        fi
        pid="$(cat /run/avahi-daemon/pid 2>/dev/null)" || pid=""
        [[ $pid =~ ^[0-9]+$ ]] && printf '%s\n' "$pid" >"$KIOSK_IPP_STATE/avahi.pid"
        did+=("started avahi-daemon")
    fi

    # 3. The printer: kept documents in $KIOSK_IPP_STATE/spool, steered by the control file.
    KIOSK_IPP_SPOOL="$KIOSK_IPP_STATE/spool"
    KIOSK_IPP_CONTROL="$KIOSK_IPP_STATE/control"
    pid="$(cat "$KIOSK_IPP_STATE/ippeveprinter.pid" 2>/dev/null)" || pid=""
    if ! { _ipp_alive "$pid" ippeveprinter && _ipp_answers; }; then
        if _ipp_answers; then
            _cups_say "note: no IPP test printer: port $KIOSK_IPP_PORT is taken by another printer (set KIOSK_IPP_PORT)"
            return 1
        fi
        rm -rf "$KIOSK_IPP_SPOOL" "$KIOSK_IPP_CONTROL"
        mkdir -p "$KIOSK_IPP_SPOOL"
        # A simple command put in the background, so that $! is the printer itself (setsid
        # execs it: its own session, out of reach of this run's Ctrl-C), and without the
        # lock (see _ipp_daemon).
        local printer=(setsid ippeveprinter -p "$KIOSK_IPP_PORT" -k -d "$KIOSK_IPP_SPOOL"
                       -c "$KIOSK_IPP_JOB_COMMAND" -f "application/pdf,image/pwg-raster"
                       "Kiosk Test IPP $KIOSK_IPP_PORT")
        # A just-started avahi-daemon may still be registering its host name: ippeveprinter
        # then exits at once ("Ignored Avahi state 1"); try again a moment later.
        local attempt
        for ((attempt = 0; attempt < 5; attempt++)); do
            if [ -n "$KIOSK_CUPS_LOCK_FD" ]; then
                KIOSK_IPP_CONTROL="$KIOSK_IPP_CONTROL" "${printer[@]}" {KIOSK_CUPS_LOCK_FD}>&- \
                    </dev/null >"$KIOSK_IPP_STATE/ippeveprinter.log" 2>&1 &
            else
                KIOSK_IPP_CONTROL="$KIOSK_IPP_CONTROL" "${printer[@]}" \
                    </dev/null >"$KIOSK_IPP_STATE/ippeveprinter.log" 2>&1 &
            fi
            pid=$!
            printf '%s\n' "$pid" >"$KIOSK_IPP_STATE/ippeveprinter.pid"
            for ((i = 0; i < 50; i++)); do
                _ipp_answers && break
                _ipp_alive "$pid" ippeveprinter || break
                sleep 0.2
            done
            _ipp_answers && break
            grep -q "Avahi state" "$KIOSK_IPP_STATE/ippeveprinter.log" 2>/dev/null || break
            sleep 1
        done
        if ! _ipp_answers; then
            out="$(tail -n 1 "$KIOSK_IPP_STATE/ippeveprinter.log" 2>/dev/null)" || out=""
            _cups_say "note: no IPP test printer: ippeveprinter did not start: ${out:-no answer after 10 s}"
            return 1
        fi
        did+=("started ippeveprinter on port $KIOSK_IPP_PORT")
    fi

    # 4. The driverless queue.
    out="$(LC_ALL=C lpstat -v "$q" 2>/dev/null)" || out=""
    if [ "$out" != "device for $q: $uri" ]; then
        if ! out="$(lpadmin -p "$q" -v "$uri" -m everywhere -E 2>&1)"; then
            _cups_say "note: no IPP test printer: lpadmin -p $q -m everywhere failed: $(printf '%s' "$out" | tail -n 1)"
            return 1
        fi
        did+=("created queue $q")
    fi
    cupsenable "$q" 2>/dev/null || true
    cupsaccept "$q" 2>/dev/null || true

    KIOSK_IPP_URI="$uri"
    export KIOSK_IPP_QUEUE KIOSK_IPP_URI KIOSK_IPP_SPOOL KIOSK_IPP_CONTROL KIOSK_IPP_JOB_COMMAND
    local summary="" item
    for item in "${did[@]}"; do summary+="$item; "; done
    _cups_say "cups: ${summary}IPP printer $uri ready behind queue $q"
    return 0
}

# _ipp_stop NAME COMM: stop the daemon whose pid $KIOSK_IPP_STATE/NAME.pid keeps, if it is
# still that program, and forget it.
_ipp_stop() {
    local file="$KIOSK_IPP_STATE/$1.pid" pid i
    pid="$(cat "$file" 2>/dev/null)" || pid=""
    if _ipp_alive "$pid" "$2"; then
        kill "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do
            _ipp_alive "$pid" "$2" || break
            sleep 0.1
        done
        if _ipp_alive "$pid" "$2"; then
            _cups_say "note: the $2 started for the tests (pid $pid) did not stop"
        else
            _cups_say "cups: stopped the $2 started for the tests"
        fi
    fi
    rm -f "$file"
}

# _ipp_release: stop what _ipp_ensure started (called under the exclusive lock).
_ipp_release() {
    _ipp_started_any || return 0
    _ipp_stop ippeveprinter ippeveprinter
    rm -rf "$KIOSK_IPP_STATE/spool" "$KIOSK_IPP_STATE/control"
    _ipp_stop avahi avahi-daemon
    _ipp_stop dbus dbus-daemon
    return 0
}
