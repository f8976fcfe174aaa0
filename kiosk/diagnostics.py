"""A diagnostics zip for support: the logs, the settings without the PIN hash, versions."""

from __future__ import annotations

import platform
import sys
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from kiosk import __version__
from kiosk.engine import load_questionnaire
from kiosk.settings import Settings, redacted_text


def write_diagnostics(folder: Path, settings: Settings, versions: Mapping[str, str]) -> Path:
    """Write kiosk-diagnostics-<time>.zip into `folder`; returns its path. Raises OSError."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"kiosk-diagnostics-{datetime.now():%Y%m%d-%H%M%S}.zip"
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("versions.txt", _versions(versions))
            # Written from the parsed values: the PIN hash never leaves the kiosk.
            archive.writestr("settings.toml", redacted_text(settings))
            logs = settings.data_path / "logs"
            for log in sorted(logs.glob("*.log*")) if logs.is_dir() else []:
                archive.write(log, f"logs/{log.name}")
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _versions(extra: Mapping[str, str]) -> str:
    try:
        questionnaire = load_questionnaire()
        data = f"{questionnaire.id} {questionnaire.version} sha256 {questionnaire.sha256}"
    except Exception as exc:  # the zip is for broken kiosks too
        data = f"cannot be loaded: {exc}"
    lines = {
        "kiosk": __version__,
        "python": sys.version.replace("\n", " "),
        "platform": platform.platform(),
        "questionnaire": data,
        **extra,
    }
    return "".join(f"{key}: {value}\n" for key, value in lines.items())
