"""Logging to a rotating file in the data folder (details for staff, never for clients)."""

from __future__ import annotations

import logging
from pathlib import Path

LOG_NAME = "kiosk.log"


def log_file(data_path: Path) -> Path:
    return data_path / "logs" / LOG_NAME


def setup_logging(data_path: Path) -> Path | None:
    """Send the `kiosk` loggers to <data>/logs/kiosk.log; return the file, or None if unwritable."""
    # Imported here: logging.handlers pulls in socket, and only a running kiosk needs it.
    from logging.handlers import RotatingFileHandler  # noqa: PLC0415

    path = log_file(data_path)
    root = logging.getLogger("kiosk")
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        if isinstance(handler, RotatingFileHandler):
            root.removeHandler(handler)
            handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8", delay=True
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path
