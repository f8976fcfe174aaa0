"""The staff panel's export section: the session log as CSV and a diagnostics file for
support, to a USB drive when one is plugged in (else the data folder's exports/)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import PySide6
from PySide6.QtCore import qVersion

from kiosk.diagnostics import write_diagnostics
from kiosk.ui.admin_section import Section, StaffContext, column
from kiosk.ui.sheets import removable_drives
from kiosk.ui.widgets import button, label


class ExportSection(Section):
    """The session log as CSV, and the diagnostics file."""

    def __init__(self, staff: StaffContext) -> None:
        super().__init__(staff)
        self.export_help = label("", "help")
        self.export_button = button("admin.export_csv", "primary")
        self.export_button.clicked.connect(self._export_csv)
        self.export_result = label("", "help", "admin.export.result")
        self.diagnostics_button = button("admin.diagnostics")
        self.diagnostics_button.clicked.connect(self._diagnostics)
        self.diagnostics_result = label("", "help", "admin.diagnostics.result")
        column(
            self,
            self.export_help,
            self.export_button,
            self.export_result,
            self.diagnostics_button,
            self.diagnostics_result,
        )

    def _export_csv(self) -> None:
        data_path, sessions = self.current().data_path, self.sessions
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.export_button.setEnabled(False)

        def work() -> tuple[Path, int]:
            folders = [*removable_drives(), data_path / "exports"]
            last: OSError | None = None
            for folder in folders:
                target = folder / f"kiosk-sessions-{stamp}.csv"
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                    return target, sessions.export_csv(target)
                except OSError as exc:
                    last = exc
            raise last or OSError("no folder to export to")

        def done(result: tuple[Path, int]) -> None:
            path, rows = result
            self.export_button.setEnabled(True)
            self.export_result.setText(
                self.lang.gettext("{rows} visits exported to {path}").format(rows=rows, path=path)
            )
            self._log("export_csv", str(path))

        failed = self._task_failed(self.export_result, self.export_button)
        # Every visit recorded before the tap is in the file: the log worker first writes
        # what it was asked to; then the file (on a USB drive, maybe slow) is written on
        # the devices worker while the session log goes on writing.
        self._run(
            self.tasks.log,
            lambda: None,
            lambda _written: self._run(self.tasks.devices, work, done, failed),
            failed,
        )

    def _diagnostics(self) -> None:
        settings = self.current()
        versions = {"PySide6": PySide6.__version__, "Qt": qVersion()}
        self.diagnostics_button.setEnabled(False)

        def work() -> Path:
            for folder in [*removable_drives(), settings.data_path / "exports"]:
                try:
                    return write_diagnostics(folder, settings, versions)
                except OSError:
                    continue
            raise OSError("no folder to write the diagnostics to")

        def done(path: Path) -> None:
            self.diagnostics_button.setEnabled(True)
            self.diagnostics_result.setText(
                self.lang.gettext("Diagnostics saved to {path}").format(path=path)
            )
            self._log("diagnostics", str(path))

        self._run(
            self.tasks.devices,
            work,
            done,
            self._task_failed(self.diagnostics_result, self.diagnostics_button),
        )

    def retranslate(self) -> None:
        _ = self.lang.gettext
        self.export_help.setText(
            _("The session log as CSV (opens in Excel), to a USB drive if one is plugged in.")
        )
        self.export_button.setText(_("Export as CSV"))
        self.diagnostics_button.setText(_("Save a diagnostics file for support"))
