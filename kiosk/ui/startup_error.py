"""The window staff see instead of the kiosk when its settings or data cannot be used."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.i18n import in_every_language
from kiosk.ui.app import style_sheet
from kiosk.ui.widgets import button, label


def _(message: str) -> str:
    """Marks a text for the catalogue; in_every_language translates it."""
    return message


class StartupErrorWindow(QWidget):
    """Shown to staff instead of the kiosk when its settings or data cannot be used."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.setObjectName("kiosk")
        self.setStyleSheet(style_sheet(False))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 60, 80, 60)
        layout.setSpacing(20)
        title = label(in_every_language(_("The kiosk cannot start"), " · "), "title", "error.title")
        body = label(
            in_every_language(
                _(
                    "Staff: fix the problems below, then restart the kiosk. "
                    "The command kiosk check-config lists them all."
                )
            ),
            "help",
        )
        details = label("\n".join(problems), "", "error.problems")
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        exit_button = button("error.exit", "primary", in_every_language(_("Exit"), " · "))
        exit_button.clicked.connect(lambda: self.window().close())  # also in the boot screen
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addWidget(details, 1)
        layout.addWidget(exit_button)


__all__ = ["StartupErrorWindow"]
