#!/bin/sh
# The job command of the test IPP printers (ippeveprinter -c, see scripts/cups.sh and
# tests/test_ipp_printing.py): ippeveprinter runs it with the spooled document as $1 and
# finishes the job when it exits: completed on 0, aborted otherwise. Without it
# ippeveprinter "prints" each job for a random 5-15 s.
#
# A test steers it with the file $KIOSK_IPP_CONTROL (given when the printer starts): if
# that file exists it is read as shell, one job at a time, e.g.
#   sleep 5                                   a slow printer (the job stays processing)
#   echo 'STATE: +media-jam-error' >&2        the printer reports a reason
#   echo 'ATTR: marker-levels=5' >&2          the printer updates its supplies
#   exit 1                                    the printer aborts the job
# ippeveprinter keeps the document itself (-k -d DIR).
if [ -n "${KIOSK_IPP_CONTROL:-}" ] && [ -f "$KIOSK_IPP_CONTROL" ]; then
    # shellcheck disable=SC1090 # written by the tests
    . "$KIOSK_IPP_CONTROL"
fi
exit 0
