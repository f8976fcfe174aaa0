"""The staff panel behind the PIN: the day's numbers, the printer, reprints, the session log
as CSV, the main settings, the PIN, and the way out. Slow work runs on the two workers
(kiosk.ui.tasks: the session log's, and the devices' for printers and drives).
Each section is a module of its own: kiosk.ui.admin_overview, admin_printer,
admin_reprint, admin_export and admin_settings, on kiosk.ui.admin_section."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.engine import Questionnaire
from kiosk.settings import Settings
from kiosk.storage.sessions import SessionLog
from kiosk.ui.admin_export import ExportSection
from kiosk.ui.admin_overview import OverviewSection
from kiosk.ui.admin_printer import PrinterSection
from kiosk.ui.admin_reprint import ReprintSection
from kiosk.ui.admin_section import Section, StaffContext, set_texts
from kiosk.ui.admin_settings import SettingsSection
from kiosk.ui.page import Page
from kiosk.ui.pages import touch_scroll
from kiosk.ui.tasks import Tasks
from kiosk.ui.texts import Language
from kiosk.ui.widgets import Label, button, label, set_state

SECTIONS = ("overview", "printer", "reprint", "export", "settings")


class Notice(Label):
    """A warning that takes no room while it has nothing to say (the menu must fit)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setProperty("role", "warning")
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self.setVisible(bool(text))


class AdminPanel(Page):
    """Staff screen. The window gives it what it works on; it reports back by signals."""

    back = Signal()
    exit_requested = Signal()
    change_pin = Signal()
    settings_saved = Signal(object)
    """The new Settings, once validated and written."""

    def __init__(
        self,
        lang: Language,
        questionnaire: Questionnaire,
        *,
        tasks: Tasks,
        sessions: SessionLog,
        settings: Callable[[], Settings],
        save: Callable[[dict[str, dict[str, object]]], Settings],
    ) -> None:
        super().__init__(lang)
        self.questionnaire = questionnaire
        self.tasks = tasks
        self.sessions = sessions
        self.current = settings
        self.save = save
        outer = QHBoxLayout(self)
        outer.setContentsMargins(40, 20, 40, 20)
        outer.setSpacing(24)
        menu_box = QWidget()
        menu = QVBoxLayout(menu_box)
        menu.setContentsMargins(0, 0, 0, 0)
        self.title = label("", "title", "admin.title")
        menu.addWidget(self.title)
        menu.addSpacing(12)
        self.notice = Notice("admin.notice")
        menu.addWidget(self.notice)
        self.menu: dict[str, QPushButton] = {}
        for section in SECTIONS:
            choice = button(f"admin.section.{section}", "quiet")
            choice.clicked.connect(lambda _=False, s=section: self.show_section(s))
            self.menu[section] = choice
            menu.addWidget(choice)
        menu.addStretch(1)
        self.back_button = button("admin.back", "primary")
        self.exit_button = button("admin.exit")
        self.back_button.clicked.connect(self.back.emit)
        self.exit_button.clicked.connect(self.exit_requested.emit)
        for widget in (self.back_button, self.exit_button):
            menu.addWidget(widget)
        self.menu_box = menu_box
        self.menu_area = touch_scroll(menu_box)
        outer.addWidget(self.menu_area, 1)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 3)
        staff = StaffContext(lang, questionnaire, tasks, sessions, settings)
        overview = OverviewSection(staff)
        settings_section = SettingsSection(staff, save)
        settings_section.change_pin.connect(self.change_pin)
        settings_section.settings_saved.connect(self.settings_saved)
        self.sections: dict[str, Section] = {
            "overview": overview,
            "printer": PrinterSection(staff),
            "reprint": ReprintSection(staff),
            "export": ExportSection(staff),
            "settings": settings_section,
        }
        # What tests read off the panel: the level chart and the settings' field names.
        self.chart = overview.chart
        self.field_names = settings_section.field_names
        for content in self.sections.values():
            self.stack.addWidget(touch_scroll(content))
        self.section = "overview"

    # ------------------------------------------------------------------ behaviour

    def load(self, visit: object) -> None:
        super().load(visit)  # type: ignore[arg-type]
        self.show_section(self.section)

    def show_section(self, section: str) -> None:
        self.section = section
        self.stack.setCurrentIndex(SECTIONS.index(section))
        for name, choice in self.menu.items():
            set_state(choice, "current", name == section)
        self.sections[section].refresh()

    def _fit_menu(self) -> None:
        """The menu as wide as its widest button: its scroll area scrolls up and down only,
        and would cut off a long name (English, large text, a small screen)."""
        bar = self.menu_area.verticalScrollBar()
        extra = bar.sizeHint().width() if bar.isVisible() else 0
        self.menu_area.setMinimumWidth(self.menu_box.minimumSizeHint().width() + extra)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_menu()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        # (event.Type, not the module's QEvent: this also runs while Python shuts down)
        if event.type() == event.Type.StyleChange:  # a new text size or screen size
            QTimer.singleShot(0, self, self._fit_menu)

    def retranslate(self) -> None:
        _ = self.lang.gettext
        self.title.setText(_("Staff"))
        names = {
            "overview": _("Today's numbers"),
            "printer": _("Printer"),
            "reprint": _("Reprint a sheet"),
            "export": _("Export the session log"),
            "settings": _("Settings"),
        }
        set_texts(self.menu, names)
        self.back_button.setText(_("Back to the kiosk"))
        self.exit_button.setText(_("Exit to the desktop"))
        for content in self.sections.values():
            content.retranslate()
        self._fit_menu()


__all__ = ["AdminPanel"]
