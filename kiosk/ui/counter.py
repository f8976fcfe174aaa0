"""`kiosk counter`: the staff window at the branch counter (SPEC §16).

One input (`counter.input`) takes what a USB QR scanner types (the sheet code, then
Enter) or a typed sheet number; the whole profile appears at once (`counter.profile`):
the signature, both scores and levels, the allocation, the life stages, the explanation
of SPEC §15, the segment, key-client flag and service strategy, and every answer as the
client read it. A refused input shows only why (`counter.refused`), never a profile.
`counter.print` prints the staff copy on the devices worker, or saves it when it cannot
be printed. The window needs no PIN and only reads: the lookup and the words are
kiosk.counter_lookup and kiosk.counter_words (no Qt).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.counter_lookup import MAX_INPUT_CHARS, CounterLookup, Found, Refused, staff_copy
from kiosk.counter_words import profile_words, refusal_words
from kiosk.engine import Questionnaire
from kiosk.files import write_atomic
from kiosk.fleet.lookup import FleetSource
from kiosk.i18n import language_names
from kiosk.palette import ACCENT, LINE, MUTED, PANEL, PAPER, WARNING
from kiosk.printing import print_pdf
from kiosk.settings import Settings
from kiosk.ui.app import screen_scale, style_sheet
from kiosk.ui.counter_profile import ProfileView
from kiosk.ui.page_parts import touch_scroll
from kiosk.ui.staff_operations import STAFF_PRINT_TIMEOUT_S, StaffOutcome, staff_cause
from kiosk.ui.tasks import Tasks
from kiosk.ui.texts import Language
from kiosk.ui.widgets import button, label, set_state
from kiosk.wording import sentences

log = logging.getLogger("kiosk.counter")

COUNTER_FOLDER = "counter"
"""Where a staff copy that could not be printed is saved, in the data folder."""
WINDOW_SIZE = (1280, 800)
COUNTER_TEXT_SCALE = 0.9
"""The least text scale on a small screen (the kiosk's is 1.0: it is read standing)."""
WIDE = 1600
"""From this width on, the answers stand beside the rest of the profile, not below it."""


def counter_style(scale: float) -> str:
    """The kiosk's look, a little denser: the counter shows a whole profile at once, to
    staff at a desk (its text may go a little below the kiosk's least size)."""
    k = max(scale, COUNTER_TEXT_SCALE)

    def px(size: float) -> str:
        return f"{round(size * k)}px"

    return (
        style_sheet(False, scale)
        + f"""
    #counter {{ background: {PAPER}; }}
    #counter\\.bar {{ background: {PANEL}; border-bottom: 2px solid {LINE}; }}
    #counter QLabel[role="title"] {{ font-size: {px(36)}; }}
    #counter QLabel[role="fact"] {{ font-size: {px(24)}; }}
    #counter QLabel[role="cell"] {{ font-size: {px(21)}; }}
    #counter QLabel[role="points"] {{ font-size: {px(21)}; color: {MUTED}; }}
    #counter QLabel[role="small"] {{ font-size: {px(20)}; }}
    #counter QLabel[role="score"] {{ font-size: {px(52)}; }}
    #counter QLabel[role="level"] {{ font-size: {px(30)}; }}
    #counter QLabel[role="section"] {{ font-size: {px(24)}; color: {ACCENT}; }}
    #counter QLabel[role="refused"] {{ font-size: {px(30)}; color: {WARNING}; }}
    #counter QLabel[role="warning"] {{ font-size: {px(24)}; }}
    #counter QLabel#counter\\.print\\.message {{ font-size: {px(26)}; color: {ACCENT}; }}
    #counter QLabel[role="signature"] {{ font-size: {px(24)}; color: {WARNING}; }}
    #counter QLabel[role="signature"][ok="true"] {{ color: {ACCENT}; }}
    #counter QLineEdit {{ font-size: {px(30)}; min-height: {round(72 * scale)}px; }}
    """
    )


class CounterWindow(QWidget):
    """The counter: the input, the profile (or why not) and the staff copy's print."""

    def __init__(self, settings: Settings, questionnaire: Questionnaire) -> None:
        super().__init__()
        self.setObjectName("counter")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.settings = settings
        self.questionnaire = questionnaire
        fleet = FleetSource(settings.sync.url) if settings.sync.url else None
        self.lookup = CounterLookup.for_settings(settings, questionnaire, fleet)
        self.lang = Language(settings.kiosk.language)
        self.tasks = Tasks(self)
        self.found: Found | None = None
        self.refused: Refused | None = None
        self.printed: StaffOutcome | None = None
        self.scale = 0.0
        self.wide = True

        bar = QFrame()
        bar.setObjectName("counter.bar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        top = QHBoxLayout(bar)
        top.setContentsMargins(28, 10, 24, 10)
        self.title = label("", "title", "counter.title", wrap=False)
        self.branch = label(settings.branch.name, "help", "counter.branch", wrap=False)
        top.addWidget(self.title)
        top.addSpacing(24)
        top.addWidget(self.branch)
        top.addStretch(1)
        self.lang_buttons: dict[str, QPushButton] = {}
        for code, name in language_names().items():
            choice = button(f"lang.{code}", "lang", name)
            choice.clicked.connect(lambda _=False, code=code: self.lang.set(code))
            self.lang_buttons[code] = choice
            top.addWidget(choice)

        self.hint = label("", "help", "counter.hint")
        self.input = QLineEdit()
        self.input.setObjectName("counter.input")
        # A sheet code is under 100 characters: a longer paste is cut here, one past the
        # longest looked at, so that it is refused as too long, in no time, whatever its size.
        self.input.setMaxLength(MAX_INPUT_CHARS + 1)
        self.input.returnPressed.connect(self.show_input)
        self.show_button = button("counter.show", "primary")
        self.show_button.clicked.connect(self.show_input)
        self.print_button = button("counter.print", "primary")
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.print_staff_copy)
        entry = QHBoxLayout()
        entry.addWidget(self.input, 1)
        entry.addWidget(self.show_button)
        entry.addSpacing(12)
        entry.addWidget(self.print_button)
        self.status = label("", "refused", "counter.refused")
        self.status.setVisible(False)
        self.print_message = label("", "help", "counter.print.message")
        self.print_message.setVisible(False)

        self.profile = ProfileView(questionnaire)
        self.profile.setVisible(False)
        self.profile_area = touch_scroll(self.profile)
        self.profile_area.setObjectName("counter.scroll")
        self.profile_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        body = QVBoxLayout()
        body.setContentsMargins(28, 16, 28, 16)
        body.setSpacing(12)
        body.addWidget(self.hint)
        body.addLayout(entry)
        body.addWidget(self.status)
        body.addWidget(self.print_message)
        body.addWidget(self.profile_area, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(bar)
        outer.addLayout(body, 1)

        self.lang.changed.connect(lambda _lang: self.retranslate())
        self.retranslate()
        self.input.setFocus()

    # ------------------------------------------------------------------ what is shown

    def show_input(self) -> None:
        """Look at what the input holds (Enter from a scanner or the keyboard)."""
        text = self.input.text()
        if not text.strip():
            return
        result = self.lookup.read(text)
        if isinstance(result, Found):
            self.found, self.refused = result, None
            log.info("sheet %s shown (%s, from %s)", result.sheet, result.signature, result.source)
        else:
            self.found, self.refused = None, result
            log.info("refused (%s): %s", result.reason, result.detail)
        self.printed = None
        self._show()
        # The next scan replaces what is there (a scanner types, it does not clear).
        self.input.selectAll()

    def _show(self) -> None:
        _ = self.lang.gettext
        found, refused = self.found, self.refused
        self.print_button.setEnabled(found is not None)
        self._show_printed()
        if refused is not None:
            self.status.setText(
                refusal_words(
                    refused.reason,
                    self.lang.lang,
                    sheet=refused.sheet,
                    version=refused.version,
                    from_log=refused.from_log,
                )
            )
        self.status.setVisible(refused is not None)
        if found is not None:
            words = profile_words(
                found.questionnaire, found.profile, found.sheet, found.signature, self.lang.lang
            )
            self.profile.show_words(words, self.lang.lang, _)
        self.profile.setVisible(found is not None)

    def _show_printed(self) -> None:
        printed = self.printed
        self.print_message.setText(printed.message(self.lang) if printed else "")
        self.print_message.setVisible(printed is not None)

    def retranslate(self) -> None:
        _ = self.lang.gettext
        self.setWindowTitle(_("Counter: client risk profiles"))
        self.title.setText(_("Counter"))
        self.hint.setText(
            _("Scan the QR code on the client's sheet, or type a sheet number and press Enter.")
        )
        self.input.setPlaceholderText(_("Sheet code or sheet number, e.g. 0000-20261202-1001"))
        self.input.setAccessibleName(_("Sheet code or sheet number"))
        self.show_button.setText(_("Show"))
        self.print_button.setText(_("Print the staff copy"))
        for code, choice in self.lang_buttons.items():
            set_state(choice, "current", code == self.lang.lang)
        self._show()

    # ------------------------------------------------------------------ the staff copy

    def print_staff_copy(self) -> None:
        found = self.found
        if found is None:
            return
        lookup, settings, lang = self.lookup, self.settings, self.lang.lang
        self.print_button.setEnabled(False)
        self.printed = None
        self.print_message.setText(self.lang.gettext("Printing…"))
        self.print_message.setVisible(True)

        def done(outcome: StaffOutcome) -> None:
            log.info("%s", outcome.log)
            self.printed = outcome
            self._show_printed()
            self.print_button.setEnabled(self.found is not None)

        def failed(error: BaseException) -> None:
            detail = str(error)
            done(
                StaffOutcome(
                    lambda lang: lang.gettext("Not printed: {detail}").format(detail=detail)
                )
            )

        self.tasks.devices.run(
            lambda: print_staff_copy(lookup, found, settings, lang), done, failed
        )

    # ------------------------------------------------------------------ the window

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        scale = screen_scale(self.width(), self.height())
        if scale != self.scale:
            self.scale = scale
            self.setStyleSheet(counter_style(scale))
        wide = self.width() >= WIDE
        if wide != self.wide:
            self.wide = wide
            self.profile.set_wide(wide)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.tasks.shutdown()
        super().closeEvent(event)


def print_staff_copy(
    lookup: CounterLookup, found: Found, settings: Settings, lang: str
) -> StaffOutcome:
    """The staff copy printed as a job named by its sheet number (not asking the printer
    first: a staff print); saved in the data folder when it is not printed. Blocks: for
    the devices worker."""
    number, pdf = staff_copy(lookup, found, settings, lang)
    outcome = print_pdf(
        pdf, settings.printing.printer, number, STAFF_PRINT_TIMEOUT_S, check_first=False
    )
    if outcome.ok:
        printer = outcome.printer

        def printed(lang: Language) -> str:
            return lang.gettext("Staff copy of {number} printed on {name}.").format(
                number=number, name=printer
            )

        return StaffOutcome(printed, ok=True, log=f"staff copy {number} printed on {printer}")
    reason, detail = outcome.reason, outcome.detail
    target = settings.data_path / COUNTER_FOLDER / f"{number}-staff.pdf"
    saved: Path | None = target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, pdf)
    except OSError:
        saved = None

    def not_printed(lang: Language) -> str:
        _ = lang.gettext
        why = _("Not printed: {detail}").format(detail=staff_cause(reason, _) or detail)
        if saved is None:
            return sentences(lang.lang, why, _("It could not be saved either."))
        return sentences(lang.lang, why, _("Saved as {path}.").format(path=saved))

    return StaffOutcome(not_printed, log=f"staff copy {number} not printed: {reason}: {detail}")


def build_counter(settings: Settings) -> QWidget:
    """The counter window for these settings, not shown."""
    from kiosk.engine import load_questionnaire  # noqa: PLC0415

    window = CounterWindow(settings, load_questionnaire())
    window.resize(*WINDOW_SIZE)
    return window
