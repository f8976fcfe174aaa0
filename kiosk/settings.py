"""The TOML settings file of SPEC §13: defaults, loading and validation.

The defaults are the bundled `resources/settings.default.toml`, which is also what a
first run writes to the default location. A bad file is never half-read: loading
either returns complete, valid Settings or raises SettingsError listing every problem
with the file, the key and the value.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Final, NamedTuple

from kiosk.engine.errors import KioskError, show_value
from kiosk.engine.resources import LANGS, default_resources_dir
from kiosk.files import write_atomic

APP_NAME: Final = "branch-risk-kiosk"
DEFAULTS_FILE: Final = "settings.default.toml"
SETTINGS_FILE: Final = "settings.toml"

# Constraints beyond the type of each default value.
_RANGES: Final[Mapping[tuple[str, str], tuple[int, int]]] = {
    ("branch", "kiosk_no"): (1, 9),
    ("kiosk", "idle_timeout_s"): (5, 3600),
    ("kiosk", "idle_countdown_s"): (0, 120),
    ("storage", "retention_days"): (1, 3650),
}
_CHOICES: Final[Mapping[tuple[str, str], tuple[str, ...]]] = {
    ("kiosk", "language"): LANGS,
    ("printing", "on_failure"): ("export", "retry"),
}
_PATTERNS: Final[Mapping[tuple[str, str], tuple[re.Pattern[str], str]]] = {
    ("branch", "name"): (re.compile(r"\S"), "a non-empty name"),
    ("branch", "code"): (re.compile(r"^[A-Za-z0-9]{1,16}$"), "1–16 letters or digits"),
    ("branch", "logo"): (
        re.compile(r"^$|\.(png|svg)$", re.IGNORECASE),
        "empty or a .png or .svg path",
    ),
    ("admin", "pin_hash"): (re.compile(r"^$|^scrypt\$"), 'empty or an "scrypt$…" hash'),
}


class SettingsError(KioskError):
    """A settings file that cannot be used; every problem names file, key and value."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


class BranchSettings(NamedTuple):
    name: str
    code: str
    kiosk_no: int
    logo: str


class KioskSettings(NamedTuple):
    language: str
    idle_timeout_s: int
    idle_countdown_s: int
    large_text: bool


class PrintingSettings(NamedTuple):
    printer: str
    on_failure: str


class StorageSettings(NamedTuple):
    data_dir: str
    retention_days: int


class AdminSettings(NamedTuple):
    pin_hash: str


class Settings(NamedTuple):
    branch: BranchSettings
    kiosk: KioskSettings
    printing: PrintingSettings
    storage: StorageSettings
    admin: AdminSettings
    path: Path | None = None
    """The file these settings came from; None for the built-in defaults."""

    @property
    def data_path(self) -> Path:
        """Folder of the session log, logs and outbox."""
        if self.storage.data_dir:
            return Path(self.storage.data_dir).expanduser()
        from platformdirs import user_data_path  # noqa: PLC0415 - see default_settings_path

        return user_data_path(APP_NAME, appauthor=False)


def default_settings_path() -> Path:
    # Imported here: only commands that use the default folders pay for platformdirs.
    from platformdirs import user_config_path  # noqa: PLC0415

    return user_config_path(APP_NAME, appauthor=False) / SETTINGS_FILE


def defaults_template() -> Path:
    return default_resources_dir() / DEFAULTS_FILE


def _defaults() -> dict[str, dict[str, object]]:
    with defaults_template().open("rb") as handle:
        raw = tomllib.load(handle)
    return {section: dict(values) for section, values in raw.items()}


def default_settings() -> Settings:
    return _build(_defaults(), None)


def load_settings(path: Path | None = None) -> Settings:
    """Load `path`, or the default location (written with the defaults on first run).

    Raises SettingsError naming file, key and value; never returns a half-read file.
    """
    if path is None:
        path = default_settings_path()
        if not path.exists():
            _write_first_run(path)
            if not path.exists():
                return default_settings()
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        raise SettingsError([f"{path}: file not found; expected a TOML settings file"]) from None
    except IsADirectoryError:
        raise SettingsError([f"{path}: is a folder; expected a TOML settings file"]) from None
    except OSError as exc:
        raise SettingsError(
            [f"{path}: cannot be read ({exc.strerror}); check its permissions"]
        ) from None
    try:
        raw = tomllib.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError:
        raise SettingsError([f"{path}: is not UTF-8 text; save it as UTF-8"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError([f"{path}: is not valid TOML ({exc}); fix the syntax"]) from None
    problems, merged = validate(raw, path)
    if problems:
        raise SettingsError(problems)
    return _build(merged, path)


def validate(
    raw: Mapping[str, object], path: Path | str
) -> tuple[list[str], dict[str, dict[str, object]]]:
    """Check a parsed settings file against the defaults; return problems and merged values."""
    defaults = _defaults()
    merged = {section: dict(values) for section, values in defaults.items()}
    problems: list[str] = []

    def bad(key: str, value: object, problem: str) -> None:
        problems.append(f"{path}: {key}: {show_value(value)} {problem}")

    for section, values in raw.items():
        if section not in defaults:
            bad(section, values, f"is an unknown section; expected one of {', '.join(defaults)}")
            continue
        if not isinstance(values, dict):
            bad(section, values, "is not a table; expected a [section] with keys")
            continue
        for key, value in values.items():
            where = f"{section}.{key}"
            if key not in defaults[section]:
                bad(
                    where,
                    value,
                    f"is an unknown key; expected one of {', '.join(defaults[section])}",
                )
                continue
            problem = _check(section, key, value, defaults[section][key])
            if problem:
                bad(where, value, problem)
            else:
                merged[section][key] = value
    return problems, merged


def _check(section: str, key: str, value: object, default: object) -> str | None:
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "is not a boolean; expected true or false"
    if isinstance(default, int):
        limits = _RANGES.get((section, key))
        accepted = f"an integer {limits[0]}–{limits[1]}" if limits else "an integer"
        if not isinstance(value, int) or isinstance(value, bool):
            return f"is not an integer; expected {accepted}"
        if limits and not limits[0] <= value <= limits[1]:
            return f"is out of range; expected {accepted}"
        return None
    if not isinstance(value, str):
        return "is not a string; expected text in quotes"
    choices = _CHOICES.get((section, key))
    if choices and value not in choices:
        return f"is not accepted; expected one of {', '.join(choices)}"
    pattern = _PATTERNS.get((section, key))
    if pattern and not pattern[0].search(value):
        return f"is not accepted; expected {pattern[1]}"
    return None


def check_files(settings: Settings) -> list[str]:
    """Problems with files the settings point to (for `kiosk check-config`)."""
    problems: list[str] = []
    where = settings.path if settings.path is not None else "defaults"
    logo = settings.branch.logo
    if logo and not Path(logo).expanduser().is_file():
        problems.append(
            f"{where}: branch.logo: {show_value(logo)} is not a file; expected a PNG or SVG path"
        )
    return problems


def save_settings(settings: Settings, changes: Mapping[str, Mapping[str, object]]) -> Settings:
    """Apply `changes` ({section: {key: value}}) to the settings' file and return the result.

    The values are validated like a loaded file (SettingsError names every problem, and
    nothing is written then); the file is rewritten from the commented template, whole,
    through a temporary file and a rename. Raises OSError when it cannot be written.
    """
    path = settings.path if settings.path is not None else default_settings_path()
    current = {
        name: getattr(settings, name)._asdict()
        for name in ("branch", "kiosk", "printing", "storage", "admin")
    }
    for section, values in changes.items():
        current.setdefault(section, {}).update(values)
    problems, merged = validate(current, path)
    if problems:
        raise SettingsError(problems)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, _render(merged).encode("utf-8"))
    return _build(merged, path)


_KEY_LINE = re.compile(r"^(?P<key>\w+)(?P<eq>\s*=\s*)(?P<value>.*?)(?P<comment>\s+#.*)?$")


def _render(values: Mapping[str, Mapping[str, object]]) -> str:
    """The defaults template with every value replaced by `values` (comments kept)."""
    out: list[str] = []
    section = ""
    for line in defaults_template().read_text("utf-8").splitlines():
        header = re.match(r"^\[(\w+)\]", line)
        match = _KEY_LINE.match(line)
        if header:
            section = header.group(1)
        elif match and match.group("key") in values.get(section, {}):
            value = _toml_value(values[section][match.group("key")])
            comment = (match.group("comment") or "").strip()
            assignment = f"{match.group('key')}{match.group('eq')}{value}"
            out.append(f"{assignment.ljust(30)} {comment}" if comment else assignment)
            continue
        out.append(line.rstrip())
    return "\n".join(out) + "\n"


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _write_first_run(path: Path) -> None:
    import logging  # noqa: PLC0415 - a rare path; keeps start-up light

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".toml.tmp")
        tmp.write_bytes(defaults_template().read_bytes())
        tmp.replace(path)
    except OSError as exc:
        logging.getLogger(__name__).warning(
            "could not write default settings to %s: %s; using the defaults", path, exc
        )


def _build(values: Mapping[str, Mapping[str, object]], path: Path | None) -> Settings:
    def section(name: str) -> dict[str, object]:
        return dict(values[name])

    return Settings(
        branch=BranchSettings(**section("branch")),  # type: ignore[arg-type]
        kiosk=KioskSettings(**section("kiosk")),  # type: ignore[arg-type]
        printing=PrintingSettings(**section("printing")),  # type: ignore[arg-type]
        storage=StorageSettings(**section("storage")),  # type: ignore[arg-type]
        admin=AdminSettings(**section("admin")),  # type: ignore[arg-type]
        path=path,
    )
