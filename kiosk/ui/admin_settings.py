"""The staff panel's settings: the branch name on the on-screen keyboard, the printer and
the language as big toggle buttons, the idle timeout with − and + beside its value, and
the way to the PIN pad (a new PIN is set there at once, not saved with the rest); and
whether the sheet code is signed (a key is set, never shown)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import language_names
from kiosk.printing import printer_names
from kiosk.settings import Settings
from kiosk.ui.admin_section import Section, StaffContext, set_texts
from kiosk.ui.keyboard import Keyboard
from kiosk.ui.widgets import button, label, set_state

log = logging.getLogger("kiosk.ui")

IDLE_STEPS = (5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 600, 900, 1200, 1800, 2700, 3600)
"""What − and + step through: the settings accept 5–3600 seconds (a value between two
steps, set in the settings file, moves to the next step either way)."""


class TapField(QLineEdit):
    """A field that shows a value; a tap on it asks for the on-screen keyboard (it takes
    no typing itself, so no system keyboard ever pops up over the kiosk)."""

    tapped = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setReadOnly(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mouseReleaseEvent(event)
        self.tapped.emit()


class SettingsSection(Section):
    """The settings as touch controls: the branch name through the on-screen keyboard,
    choices as big toggle buttons, the idle timeout with − and + beside its value; and
    the staff PIN (changed on the PIN pad at once, not saved with the rest)."""

    change_pin = Signal()
    settings_saved = Signal(object)
    """The new Settings, once validated and written."""

    def __init__(
        self,
        staff: StaffContext,
        save: Callable[[dict[str, dict[str, object]]], Settings],
    ) -> None:
        super().__init__(staff)
        self.save = save
        box = QWidget()
        form = QGridLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(32)  # a label never touches its field
        form.setVerticalSpacing(8)
        form.setColumnStretch(0, 1)  # names wrap rather than squeeze their fields
        form.setColumnStretch(1, 3)
        self.field_names: dict[str, QLabel] = {}
        self.branch_name = TapField("admin.settings.branch_name")
        self.branch_name.tapped.connect(self._open_keyboard)
        self.branch_edit = button("admin.settings.branch_name.edit")
        self.branch_edit.clicked.connect(self._open_keyboard)
        branch = QHBoxLayout()
        branch.setSpacing(16)
        branch.addWidget(self.branch_name, 1)
        branch.addWidget(self.branch_edit)
        self.printer = QWidget()
        self.printer.setObjectName("admin.settings.printer")
        # Two choices a row: a kiosk's one or two queues and the default stay on screen.
        self.printer_list = QGridLayout(self.printer)
        self.printer_list.setContentsMargins(0, 0, 0, 0)
        self.printer_list.setSpacing(12)
        self.printer_buttons: dict[str, QPushButton] = {}
        self.printer_choice = ""
        self.idle_seconds = IDLE_STEPS[0]
        self.idle_less = button("admin.settings.idle_timeout.less", "key", "−")
        self.idle_more = button("admin.settings.idle_timeout.more", "key", "+")
        self.idle_less.clicked.connect(lambda: self._step_idle(-1))
        self.idle_more.clicked.connect(lambda: self._step_idle(+1))
        self.idle = label("", "level", "admin.settings.idle_timeout", wrap=False)
        self.idle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle.setMinimumWidth(self.idle.fontMetrics().horizontalAdvance("0000") * 2)
        idle = QHBoxLayout()
        idle.setSpacing(16)
        for widget in (self.idle_less, self.idle, self.idle_more):
            idle.addWidget(widget)
        idle.addStretch(1)
        self.language = QWidget()
        self.language.setObjectName("admin.settings.language")
        languages = QHBoxLayout(self.language)
        languages.setContentsMargins(0, 0, 0, 0)
        languages.setSpacing(16)
        self.language_buttons: dict[str, QPushButton] = {}
        self.language_choice = ""
        for lang, name in language_names().items():
            choice = button(f"admin.settings.language.{lang}", "quiet", name)
            choice.clicked.connect(lambda _=False, lang=lang: self._choose_language(lang))
            self.language_buttons[lang] = choice
            languages.addWidget(choice, 1)
        fields: list[tuple[str, QWidget | QLayout]] = [
            ("branch", branch),
            ("printer", self.printer),
            ("idle", idle),
            ("language", self.language),
        ]
        for row, (key, field) in enumerate(fields):
            self._field_name(form, key, row)
            if isinstance(field, QWidget):
                form.addWidget(field, row, 1)
            else:
                form.addLayout(field, row, 1)
        self.save_button = button("admin.settings.save", "primary")
        self.save_button.clicked.connect(self._save_settings)
        self.settings_message = label("", "help", "admin.settings.message")
        form.addWidget(self.save_button, 4, 1)
        form.addWidget(self.settings_message, 5, 0, 1, 2)
        self.settings_message.hide()  # takes room only once there is something to say
        self._field_name(form, "pin", 6)
        self.pin_button = button("admin.change_pin", "quiet")
        self.pin_button.clicked.connect(self.change_pin.emit)
        form.addWidget(self.pin_button, 6, 1)
        # Whether the sheet code is signed (SPEC §16): the key itself is never shown; it
        # is set as branch.sheet_key in the settings file.
        # (Not a field: nothing to touch, so its name is not among field_names.)
        self.sheet_code_name = self._row_name(form, 7)
        self.sheet_code = label("", "", "admin.settings.sheet_code")
        form.addWidget(self.sheet_code, 7, 1, Qt.AlignmentFlag.AlignVCenter)
        form.setRowStretch(8, 1)
        # The keyboard takes the form's place while the branch name is typed.
        pages = QVBoxLayout(self)
        pages.setContentsMargins(0, 0, 0, 0)
        typing = QWidget()
        typing_layout = QVBoxLayout(typing)
        typing_layout.setContentsMargins(0, 0, 0, 0)
        typing_layout.setSpacing(12)
        self.keyboard_title = label("", "level", wrap=False)
        self.keyboard = Keyboard("admin.keyboard")
        self.keyboard.done.connect(self._keyboard_done)
        self.keyboard.cancelled.connect(self._close_keyboard)
        self.keyboard_note = label("", "help", "admin.keyboard.note")
        typing_layout.addWidget(self.keyboard_title)
        typing_layout.addWidget(self.keyboard)
        typing_layout.addWidget(self.keyboard_note)
        typing_layout.addStretch(1)
        # One shown, the other hidden (and so given no room: the section scrolls only
        # when the page on screen does not fit).
        self.settings_pages = (box, typing)
        for page in self.settings_pages:
            pages.addWidget(page)
        typing.hide()

    def _field_name(self, form: QGridLayout, key: str, row: int) -> None:
        """A field's name, left of it, as high as one button and centred on it (beside
        the first of a list of printers)."""
        self.field_names[key] = self._row_name(form, row)

    def _row_name(self, form: QGridLayout, row: int) -> QLabel:
        """A row's name in the form's first column, as high as one button."""
        name = label("", "help")
        name.setProperty("field", "true")
        name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
        return name

    def refresh(self) -> None:
        settings = self.current()
        self._settings_page(0)
        self.branch_name.setText(settings.branch.name)
        self.branch_name.home(False)  # a long name shows its beginning
        self._fill_printers(settings.printing.printer)
        self.idle_seconds = settings.kiosk.idle_timeout_s
        self._show_idle()
        self._choose_language(settings.kiosk.language)
        self._show_sheet_key()

    def _show_sheet_key(self) -> None:
        """Signed or unsigned: whether a key is set, never the key."""
        _ = self.lang.gettext
        if self.current().branch.sheet_key:
            self.sheet_code.setText(_("Signed (a key is set)"))
        else:
            self.sheet_code.setText(_("Unsigned (no key is set)"))

    def _fill_printers(self, wanted: str) -> None:
        """One big button a printer: the system default, every queue, and the chosen one
        even when it is gone (so that saving other settings keeps it). The queues come
        from CUPS on the devices worker; until they do, the default and the chosen one."""
        self._show_printers([], wanted, wanted)
        self._run(
            self.tasks.devices,
            printer_names,
            lambda queues: self._show_printers(queues, wanted, self.printer_choice),
            lambda error: log.error("cannot list the printers: %s", error),
        )

    def _show_printers(self, queues: list[str], wanted: str, chosen: str) -> None:
        names = ["", *queues]
        names += [name for name in dict.fromkeys((wanted, chosen)) if name not in names]
        if list(self.printer_buttons) == names:
            self._choose_printer(chosen)
            return
        for old in self.printer_buttons.values():
            old.hide()
            old.deleteLater()
        self.printer_buttons = {}
        for index, name in enumerate(names):
            key = f"queue.{name}" if name else "default"
            choice = button(f"admin.settings.printer.{key}", "quiet", name)
            choice.clicked.connect(lambda _=False, name=name: self._choose_printer(name))
            self.printer_buttons[name] = choice
            self.printer_list.addWidget(choice, index // 2, index % 2)
        self.printer_buttons[""].setText(self.lang.gettext("System default printer"))
        self._choose_printer(chosen)

    def _choose_printer(self, name: str) -> None:
        self.printer_choice = name
        for queue, choice in self.printer_buttons.items():
            set_state(choice, "current", queue == name)

    def _choose_language(self, lang: str) -> None:
        self.language_choice = lang
        for code, choice in self.language_buttons.items():
            set_state(choice, "current", code == lang)

    def _step_idle(self, direction: int) -> None:
        """The next step up or down, never beyond what the settings accept."""
        value = self.idle_seconds
        if direction > 0:
            self.idle_seconds = min((s for s in IDLE_STEPS if s > value), default=IDLE_STEPS[-1])
        else:
            self.idle_seconds = max((s for s in IDLE_STEPS if s < value), default=IDLE_STEPS[0])
        self._show_idle()

    def _show_idle(self) -> None:
        self.idle.setText(str(self.idle_seconds))
        self.idle_less.setEnabled(self.idle_seconds > IDLE_STEPS[0])
        self.idle_more.setEnabled(self.idle_seconds < IDLE_STEPS[-1])

    def _settings_page(self, index: int) -> None:
        """Show the form (0) or the keyboard (1) in the settings section."""
        for number, page in enumerate(self.settings_pages):
            page.setVisible(number == index)

    def _open_keyboard(self) -> None:
        self.keyboard.open(self.branch_name.text())
        self._settings_page(1)

    def _keyboard_done(self, text: str) -> None:
        self.branch_name.setText(text.strip())
        self.branch_name.home(False)
        self._close_keyboard()

    def _close_keyboard(self) -> None:
        self.keyboard.field.clearFocus()  # (a scroll area would keep scrolling to it)
        self._settings_page(0)

    def _save_settings(self) -> None:
        changes: dict[str, dict[str, object]] = {
            "branch": {"name": self.branch_name.text()},
            "printing": {"printer": self.printer_choice},
            "kiosk": {"idle_timeout_s": self.idle_seconds, "language": self.language_choice},
        }
        try:
            saved = self.save(changes)
        except Exception as exc:  # SettingsError or OSError: say it, keep the old settings
            self._say(self.lang.gettext("Not saved: {reason}").format(reason=exc))
            return
        self._say(self.lang.gettext("Saved."))
        self._log("settings", repr(changes))
        self.settings_saved.emit(saved)

    def _say(self, text: str) -> None:
        self.settings_message.setText(text)
        self.settings_message.setVisible(bool(text))

    def retranslate(self) -> None:
        _ = self.lang.gettext
        self.pin_button.setText(_("Change the PIN"))
        fields = {
            "branch": _("Branch name"),
            "printer": _("Printer"),
            "idle": _("Idle timeout (seconds)"),
            "language": _("Default language"),
            "pin": _("Staff PIN"),
        }
        set_texts(self.field_names, fields)
        self.sheet_code_name.setText(_("Sheet code (QR)"))
        self._show_sheet_key()
        if "" in self.printer_buttons:
            self.printer_buttons[""].setText(_("System default printer"))
        self.branch_edit.setText(_("Change…"))
        self.keyboard_title.setText(_("Branch name"))
        self.keyboard.set_texts(
            clear=_("Clear"), space=_("Space"), cancel=_("Cancel"), done=_("Done")
        )
        self.keyboard.set_names(
            delete=_("Delete"), shift=_("Shift"), left=_("Cursor left"), right=_("Cursor right")
        )
        self.idle_less.setAccessibleName(_("Shorter"))
        self.idle_more.setAccessibleName(_("Longer"))
        path = self.current().path
        self.keyboard_note.setText(
            _(
                "Latin letters and digits only. A Chinese name is set as branch.name in "
                "the settings file {path} on the kiosk's computer (usually at installation)."
            ).format(path=path or "settings.toml")
        )
        self.save_button.setText(_("Save the settings"))
