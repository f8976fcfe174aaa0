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

KIOSK_CUPS_QUEUE="kiosk-pdf"
KIOSK_CUPS_PACKAGES=(cups printer-driver-cups-pdf cups-client cups-bsd)
KIOSK_CUPS_PPD="lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"

_cups_say() { printf '%s\n' "$*" >&2; }

# _cups_scheduler_running: lpstat -r prints "scheduler is running".
_cups_scheduler_running() {
    command -v lpstat >/dev/null 2>&1 || return 1
    [ "$(LC_ALL=C lpstat -r 2>/dev/null)" = "scheduler is running" ]
}

# _cups_cupsd_alive: a cupsd process exists that is not a zombie (a cupsd
# that was just stopped may linger as one when PID 1 does not reap).
_cups_cupsd_alive() {
    local states
    states="$(ps -C cupsd -o stat= 2>/dev/null)" || return 1
    [[ $'\n'"$states" == *$'\n'[!Z]* ]]
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

    # 1. Packages.
    for pkg in "${KIOSK_CUPS_PACKAGES[@]}"; do
        [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] \
            || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        if ! out="$(export DEBIAN_FRONTEND=noninteractive
                    apt-get update -qq 2>&1 \
                    && apt-get install -y -qq --no-install-recommends "${missing[@]}" 2>&1)"; then
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
                if ! out="$(/usr/sbin/cupsd 2>&1)"; then
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
        [ "$started" -gt 0 ] && did+=("started cupsd")
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
