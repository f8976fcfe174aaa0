"""What the client's sheet buttons do, and the session log's record of a visit: the work
outside the window. Printing and export run on the devices worker and end with an
Outcome, the message the client is told as a function of the language; the window only
shows it (SPEC §19: a printer's cause in the client's words, then what happens next)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kiosk.issuing import Sheet, warm_up
from kiosk.printing import printer_status
from kiosk.storage.sessions import SessionLog, VisitRecord
from kiosk.storage.sheet_numbers import SheetNumberError
from kiosk.ui.sheets import (
    PRINT_TIMEOUT_S,
    ExportResult,
    PrintResult,
    export_sheet,
    make_sheet,
    print_sheet,
    removable_drives,
)
from kiosk.wording import printer_cause, sentences

if TYPE_CHECKING:
    from kiosk.engine import Questionnaire
    from kiosk.flow import Visit
    from kiosk.settings import Settings
    from kiosk.ui.tasks import Tasks
    from kiosk.ui.texts import Language

log = logging.getLogger("kiosk.ui")

Message = Callable[["Language"], str]


@dataclass(frozen=True)
class Outcome:
    """How a print or an export ended, for the client: the message, and whether to offer
    another try."""

    message: Message
    retry: bool = False


Done = Callable[[Outcome], None]


def visit_sheet(visit: Visit) -> Sheet | None:
    """The visit's one sheet, if it has been made."""
    return visit.sheet if isinstance(visit.sheet, Sheet) else None


def _sheet_work(
    visit: Visit, questionnaire: Questionnaire, settings: Settings
) -> Callable[[], Sheet]:
    """The visit's sheet, made on the devices worker from what the screen holds now."""
    profile, lang, existing = visit.profile, visit.lang, visit_sheet(visit)
    assert profile is not None
    return lambda: make_sheet(questionnaire, profile, settings, lang, existing)


def print_visit(
    visit: Visit,
    *,
    questionnaire: Questionnaire,
    settings: Settings,
    sessions: SessionLog,
    tasks: Tasks,
    done: Done,
    timeout_s: float | None = None,
) -> None:
    """Make (or keep) the visit's sheet and print it; `done` gets the outcome."""
    make = _sheet_work(visit, questionnaire, settings)
    printer = settings.printing.printer
    visit.print_tries += 1
    timeout = PRINT_TIMEOUT_S if timeout_s is None else timeout_s
    tasks.devices.run(
        lambda: print_sheet(make(), printer, timeout),
        lambda result: done(printed(visit, result, settings, sessions, tasks)),
        lambda error: done(sheet_failed(visit, error)),
    )


def printed(
    visit: Visit, result: PrintResult, settings: Settings, sessions: SessionLog, tasks: Tasks
) -> Outcome:
    visit.sheet = result.sheet
    number, outcome = result.sheet.number, result.outcome
    at = datetime.now()
    tasks.log.write(
        lambda: sessions.record_print(number, outcome.printer, outcome.reason or "printed", at)
    )
    if outcome.ok:
        visit.outcome = "printed"
        return Outcome(
            lambda lang: lang.gettext(
                "Please take your sheet from the printer. Its number is {number}."
            ).format(number=number)
        )
    visit.outcome = "print_failed" if visit.outcome != "exported" else visit.outcome
    retry = settings.printing.on_failure == "retry" and visit.print_tries < 2
    return Outcome(failure_text(result.sheet, retry, outcome.reason), retry=retry)


def check_printer(visit: Visit, settings: Settings, tasks: Tasks, done: Callable[[], None]) -> None:
    """Ask whether the printer can print now (on the devices worker: a network printer may
    take seconds to answer), so that the result screen knows before it offers printing
    (SPEC §19): `visit.printer_cause` becomes '' or the reason, then `done()` runs. A check
    that fails says nothing: printing itself will tell."""
    printer = settings.printing.printer

    def known(cause: str) -> None:
        visit.printer_cause = cause
        done()

    tasks.devices.run(
        lambda: printer_status(printer).reason,
        known,
        lambda error: log.error("the printer could not be checked: %s", error),
    )


def prepare_sheets(questionnaire: Questionnaire, settings: Settings, tasks: Tasks) -> None:
    """While the client reads the result, make the sheet builder warm (the first sheet of
    the process waits ~0.9 s for reportlab and the fonts; later ones ~0.1 s)."""
    tasks.devices.run(
        lambda: warm_up(settings, questionnaire),
        lambda _none: None,
        lambda error: log.error("the sheet builder could not be prepared: %s", error),
    )


def export_visit(
    visit: Visit, *, questionnaire: Questionnaire, settings: Settings, tasks: Tasks, done: Done
) -> None:
    """Make (or keep) the visit's sheet and copy it to a USB drive, else leave it in the
    outbox; `done` gets the outcome."""
    make = _sheet_work(visit, questionnaire, settings)
    tasks.devices.run(
        lambda: export_sheet(make(), removable_drives()),
        lambda result: done(exported(visit, result)),
        lambda error: done(sheet_failed(visit, error)),
    )


def exported(visit: Visit, result: ExportResult) -> Outcome:
    visit.sheet = result.sheet
    if result.path is None:
        return Outcome(failure_text(result.sheet, retry=False))
    visit.outcome = visit.outcome if visit.outcome == "printed" else "exported"
    name = result.path.name
    if result.on_drive:
        return Outcome(
            lambda lang: lang.gettext("Your sheet was saved to the USB drive as {name}.").format(
                name=name
            )
        )
    return Outcome(
        lambda lang: lang.gettext(
            "Your sheet is saved as {name}. Our staff can print it or send it to you."
        ).format(name=name)
    )


def failure_text(sheet: Sheet, retry: bool, cause: str = "") -> Message:
    """The client's sentence: the cause in their words where it is known (SPEC §19),
    then what happens next."""

    def text(lang: Language) -> str:
        _ = lang.gettext
        if retry:
            then = _("The printer did not finish your sheet. Would you like to try again?")
        elif sheet.kept is None:
            then = _(
                "Sorry, your sheet could not be printed or saved. Please ask our staff for help."
            )
        else:
            then = _(
                "The printer is not available right now. Your sheet is saved under number "
                "{number}; our staff will print it for you."
            ).format(number=sheet.number)
        return sentences(lang.lang, printer_cause(cause, _), then)

    return text


def sheet_failed(visit: Visit, error: BaseException) -> Outcome:
    """The sheet could not be made at all (no number, no disk, a bug)."""
    log.error("the sheet could not be made: %s", error, exc_info=error)
    visit.outcome = visit.outcome or "print_failed"
    numbers_used_up = isinstance(error, SheetNumberError)

    def text(lang: Language) -> str:
        if numbers_used_up:  # never a reused number: staff see why in the log
            return lang.gettext(
                "This kiosk cannot number any more sheets today. Please show this "
                "screen to our staff: they will print your result at the counter."
            )
        return lang.gettext(
            "Sorry, your sheet could not be made just now. Please ask our staff for help."
        )

    return Outcome(text)


def visit_record(visit: Visit) -> VisitRecord | None:
    """What the session log keeps of an ended visit (nothing about the person), or None
    if nobody started."""
    if visit.at == "attract" and not visit.declined:
        return None
    if visit.outcome:
        outcome = visit.outcome
    elif visit.profile is not None:
        outcome = "completed"
    else:
        outcome = "declined" if visit.declined else "abandoned"
    sheet = visit_sheet(visit)
    return VisitRecord(
        started_at=visit.started_at,
        ended_at=datetime.now(),
        language=visit.lang,
        outcome=outcome,
        answers=dict(visit.answers),
        profile=visit.profile,
        sheet_number=sheet.number if sheet else None,
        sheet_code=sheet.code if sheet else None,
        abandoned_at=visit.at if outcome == "abandoned" else None,
        rating=visit.rating,
    )


def record_visit(visit: Visit, sessions: SessionLog, tasks: Tasks) -> None:
    """Keep the ended visit in the session log (on the log worker, like every write)."""
    record = visit_record(visit)
    if record is not None:
        tasks.log.write(lambda: sessions.record(record))
