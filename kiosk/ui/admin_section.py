"""What every section of the staff panel shares: what it works on (StaffContext), the
Section base (slow work off the GUI thread, results dropped once the panel is gone, the
staff-action log) and the helpers that lay a section out and set its texts."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import shiboken6
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.engine import Questionnaire
from kiosk.settings import Settings
from kiosk.storage.sessions import SessionLog
from kiosk.ui.tasks import Done, Failed, Tasks, Worker
from kiosk.ui.texts import Language

log = logging.getLogger("kiosk.ui")


@dataclass(frozen=True)
class StaffContext:
    """What the staff panel works on, handed to each of its sections."""

    lang: Language
    questionnaire: Questionnaire
    tasks: Tasks
    sessions: SessionLog
    current: Callable[[], Settings]
    """The settings in force (staff may save new ones)."""


def set_texts(
    widgets: Mapping[str, QLabel] | Mapping[str, QPushButton], texts: Mapping[str, str]
) -> None:
    """Give each widget the text under its key."""
    for key, widget in widgets.items():
        widget.setText(texts[key])


def column(box: QWidget, *widgets: QWidget) -> None:
    """Lay a section out: its widgets one under the other, packed at the top."""
    layout = QVBoxLayout(box)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)


class Section(QWidget):
    """One section of the staff panel: `refresh()` when staff open it, `retranslate()`
    for its texts, and slow work through `_run` (off the GUI thread)."""

    def __init__(self, staff: StaffContext) -> None:
        super().__init__()
        self.lang = staff.lang
        self.questionnaire = staff.questionnaire
        self.tasks = staff.tasks
        self.sessions = staff.sessions
        self.current = staff.current

    def refresh(self) -> None:
        """Renew what the section shows when staff open it (by default, nothing)."""

    def retranslate(self) -> None:
        raise NotImplementedError

    def _run(
        self, worker: Worker, work: Callable[[], Any], on_done: Done, on_error: Failed
    ) -> None:
        """worker.run, but a result that comes back after the panel was deleted (its window
        closed while the work ran) is dropped instead of touching deleted widgets.

        `self.tasks.log` for the session log (after every write asked before),
        `self.tasks.devices` for printers, USB drives and files: never the GUI thread."""

        def alive(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def deliver(value: Any) -> None:
                if shiboken6.isValid(self):  # (deleted with the panel)
                    callback(value)
                else:
                    log.debug("a staff-panel result arrived after the panel was gone")

            return deliver

        worker.run(work, alive(on_done), alive(on_error))

    def _log(self, action: str, detail: str) -> None:
        at = datetime.now()
        self._run(
            self.tasks.log, lambda: self.sessions.log_admin(action, detail, at), _ignore, _ignore
        )

    def _task_failed(self, target: QLabel, again: QPushButton) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            again.setEnabled(True)
            target.setText(str(error))

        return failed


def _ignore(_value: object) -> None:
    pass
