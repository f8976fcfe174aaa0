"""The TOML settings file of SPEC §13: defaults, loading and validation.

The defaults are the bundled `resources/settings.default.toml`, which is also what a
first run writes to the default location. A bad file is never half-read: loading
either returns complete, valid Settings or raises SettingsError listing every problem
with the file, the key and the value.
"""

from __future__ import annotations

import json
import logging
import re
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

from platformdirs import user_config_path, user_data_path

from kiosk.engine.errors import KioskError, shorten, show_value
from kiosk.engine.resources import LANGS, default_resources_dir
from kiosk.files import write_atomic
from kiosk.logo_files import logo_problem
from kiosk.pin import pin_hash_problem

APP_NAME: Final = "branch-risk-kiosk"
DEFAULTS_FILE: Final = "settings.default.toml"
SETTINGS_FILE: Final = "settings.toml"

SHEET_KEY_ACCEPTED: Final = "empty or 64 hex digits (the bank's 32-byte sheet key)"

# Constraints beyond the type of each default value.
_RANGES: Final[Mapping[tuple[str, str], tuple[int, int]]] = {
    ("branch", "kiosk_no"): (1, 9),
    ("kiosk", "idle_timeout_s"): (5, 3600),
    ("kiosk", "idle_countdown_s"): (20, 120),
    ("storage", "retention_days"): (1, 3650),
    ("sync", "interval_s"): (5, 3600),
}
_CHOICES: Final[Mapping[tuple[str, str], tuple[str, ...]]] = {
    ("kiosk", "language"): LANGS,
    ("printing", "on_failure"): ("export", "retry"),
}
# Each must match the whole value (fullmatch: `$` would also match before a final newline).
_PATTERNS: Final[Mapping[tuple[str, str], tuple[re.Pattern[str], str]]] = {
    ("branch", "name"): (re.compile(r".*\S.*", re.DOTALL), "a non-empty name"),
    ("branch", "code"): (re.compile(r"[A-Za-z0-9]{1,16}"), "1–16 letters or digits"),
    ("branch", "logo"): (
        re.compile(r"|.*\.(png|svg)", re.IGNORECASE | re.DOTALL),
        "empty or a .png or .svg path",
    ),
    ("sync", "url"): (
        re.compile(r"|postgres(ql)?://\S*", re.DOTALL),
        "empty or a PostgreSQL connection URI (postgresql://user@host:5432/database)",
    ),
    ("sync", "kiosk_id"): (
        re.compile(r"|[A-Za-z0-9][A-Za-z0-9._-]{0,63}"),
        "empty or 1–64 letters, digits, dots, dashes or underscores",
    ),
}
_MAX_CHARS: Final[Mapping[tuple[str, str], tuple[int, str]]] = {
    ("branch", "name"): (40, "a name"),  # what fits the attract screen and the sheet's header
}
_PATHS: Final[Mapping[tuple[str, str], str]] = {
    ("storage", "data_dir"): "a folder path",
    ("branch", "logo"): "empty or a .png or .svg path",
}
_SHEET_KEY: Final = re.compile(r"|[0-9A-Fa-f]{64}")
_HEX: Final = re.compile(r"[0-9A-Fa-f]*")
# C0 and C1 controls, DEL, line and paragraph separators, bidirectional overrides.
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")

# Never shown in an error: the start-up screen stands in the lobby.
_HIDDEN_KEYS: Final = ("admin.pin_hash", "branch.sheet_key")

MAX_SETTINGS_BYTES: Final = 1024 * 1024
REDACTED: Final = "(removed)"


_SECTIONS: Final = ("branch", "kiosk", "printing", "storage", "admin", "sync")


class SettingsError(KioskError):
    """A settings file that cannot be used; every problem names file, key and value."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class BranchSettings:
    name: str
    code: str
    kiosk_no: int
    logo: str
    sheet_key: str = ""
    """64 hex digits that sign the sheet code (SPEC §16), or empty. A secret: never in
    repr, a log, the diagnostics zip or a sheet (only the tag it makes is printed)."""

    def __repr__(self) -> str:
        key = "(set)" if self.sheet_key else "(empty)"
        return (  # the key's value never: only whether one is set
            f"BranchSettings(name={self.name!r}, code={self.code!r}, "
            f"kiosk_no={self.kiosk_no!r}, logo={self.logo!r}, sheet_key={key})"
        )


@dataclass(frozen=True)
class KioskSettings:
    language: str
    idle_timeout_s: int
    idle_countdown_s: int
    large_text: bool


@dataclass(frozen=True)
class PrintingSettings:
    printer: str
    on_failure: str


@dataclass(frozen=True)
class StorageSettings:
    data_dir: str
    retention_days: int


@dataclass(frozen=True)
class AdminSettings:
    pin_hash: str


@dataclass(frozen=True)
class SyncSettings:
    """The fleet database (SPEC §18): `url` empty = off; `kiosk_id` empty = the branch
    code and the host name (kiosk.fleet.target.kiosk_id)."""

    url: str
    kiosk_id: str
    interval_s: int

    def __repr__(self) -> str:
        return (  # the URI's password never
            f"SyncSettings(url={redact_uri(self.url)!r}, kiosk_id={self.kiosk_id!r}, "
            f"interval_s={self.interval_s!r})"
        )


def redact_uri(uri: str) -> str:
    """A connection URI with its password (in the user part or a `password=` parameter)
    replaced by "(removed)"."""
    uri = re.sub(r"(://[^/?#@:]*:)[^/?#]*@", rf"\1{REDACTED}@", uri)
    return re.sub(r"([?&]password=)[^&#]*", rf"\1{REDACTED}", uri)


@dataclass(frozen=True)
class Settings:
    branch: BranchSettings
    kiosk: KioskSettings
    printing: PrintingSettings
    storage: StorageSettings
    admin: AdminSettings
    sync: SyncSettings = SyncSettings(url="", kiosk_id="", interval_s=60)
    path: Path | None = None
    """The file these settings came from; None for the built-in defaults."""

    @property
    def data_path(self) -> Path:
        """Folder of the session log, logs and outbox."""
        if self.storage.data_dir:
            return Path(self.storage.data_dir).expanduser()
        return user_data_path(APP_NAME, appauthor=False)


def default_settings_path() -> Path:

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
        with path.open("rb") as handle:
            raw_bytes = handle.read(MAX_SETTINGS_BYTES + 1)
    except FileNotFoundError:
        raise SettingsError([f"{path}: file not found; expected a TOML settings file"]) from None
    except IsADirectoryError:
        raise SettingsError([f"{path}: is a folder; expected a TOML settings file"]) from None
    except OSError as exc:
        raise SettingsError(
            [f"{path}: cannot be read ({exc.strerror}); check its permissions"]
        ) from None
    if len(raw_bytes) > MAX_SETTINGS_BYTES:
        raise SettingsError([f"{path}: is larger than 1 MB; expected a TOML settings file"])
    try:
        # utf-8-sig: a byte order mark (Windows Notepad writes one) is not part of the text.
        raw = tomllib.loads(raw_bytes.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise SettingsError([f"{path}: is not UTF-8 text; save it as UTF-8"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError([f"{path}: is not valid TOML ({exc}); fix the syntax"]) from None
    except ValueError:  # an integer of more than 4300 digits
        raise SettingsError(
            [f"{path}: is not valid TOML (a number too long to read); fix the value"]
        ) from None
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
        shown = "(hidden)" if key in _HIDDEN_KEYS else show_value(value)
        if key == "sync.url" and isinstance(value, str):
            shown = show_value(redact_uri(value))
        problems.append(f"{path}: {shorten(key)}: {shown} {problem}")

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
    logo = merged["branch"]["logo"]
    if logo and not any(problem.startswith(f"{path}: branch.logo: ") for problem in problems):
        problem = logo_problem(Path(str(logo)).expanduser())
        if problem:
            bad("branch.logo", logo, problem)
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
    return _check_text(section, key, value)


def _check_text(section: str, key: str, value: str) -> str | None:
    control = _CONTROL.search(value)
    if control:
        code = f"U+{ord(control.group()):04X}"
        return f"contains a control character ({code}); expected printable text"
    choices = _CHOICES.get((section, key))
    if choices and value not in choices:
        return f"is not accepted; expected one of {', '.join(choices)}"
    if (section, key) == ("branch", "sheet_key") and not _SHEET_KEY.fullmatch(value):
        # Said without the value (a secret): how long it is, and whether it is hex.
        what = "hex digits" if _HEX.fullmatch(value) else "characters, not all hex digits"
        return f"is not accepted ({len(value)} {what}); expected {SHEET_KEY_ACCEPTED}"
    pattern = _PATTERNS.get((section, key))
    if pattern and not pattern[0].fullmatch(value):
        return f"is not accepted; expected {pattern[1]}"
    longest = _MAX_CHARS.get((section, key))
    if longest and len(value) > longest[0]:
        return (
            f"is {len(value)} characters long; "
            f"expected {longest[1]} of at most {longest[0]} characters"
        )
    path_kind = _PATHS.get((section, key))
    if path_kind and value:
        try:
            Path(value).expanduser()
        except RuntimeError:  # "~user/…" for an unknown user, or "~" without a home
            user = value[1:].partition("/")[0]
            why = f"no user {user}" if user else "no home folder is known"
            return f"cannot be expanded ({why}); expected {path_kind}"
    if (section, key) == ("admin", "pin_hash") and value:
        flaw = pin_hash_problem(value)
        if flaw:
            return (
                f"is not accepted ({flaw}); expected empty or an "
                '"scrypt$N$r$p$<salt>$<hash>" hash as the kiosk writes it'
            )
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


def settings_warnings(settings: Settings) -> list[str]:
    """What is worth fixing though the kiosk works (for `kiosk check-config`)."""
    where = settings.path if settings.path is not None else "defaults"
    warnings: list[str] = []
    if settings.branch.code == _defaults()["branch"]["code"]:
        warnings.append(
            f"{where}: branch.code: {show_value(settings.branch.code)} is still the default; "
            "set your branch's code so that sheet numbers are unique across branches"
        )
    return warnings


def save_settings(settings: Settings, changes: Mapping[str, Mapping[str, object]]) -> Settings:
    """Apply `changes` ({section: {key: value}}) to the settings' file and return the result.

    The values are validated like a loaded file (SettingsError names every problem, and
    nothing is written then); the file is rewritten from the commented template, whole,
    through a temporary file and a rename. Raises OSError when it cannot be written.
    """
    path = settings.path if settings.path is not None else default_settings_path()
    current = {name: asdict(getattr(settings, name)) for name in _SECTIONS}
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


SECRET_KEYS: Final = (("admin", "pin_hash"), ("branch", "sheet_key"))
"""Values that never leave the kiosk (diagnostics, logs)."""


def redacted_text(settings: Settings) -> str:
    """The settings as a TOML file, written from the parsed values, with every secret
    replaced by "(removed)" (whatever TOML spelling the file used)."""
    values = {name: dict(asdict(getattr(settings, name))) for name in _SECTIONS}
    for section, key in SECRET_KEYS:
        if values[section][key]:
            values[section][key] = REDACTED
    values["sync"]["url"] = redact_uri(str(values["sync"]["url"]))
    return _render(values)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _write_first_run(path: Path) -> None:

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
        sync=SyncSettings(**section("sync")),  # type: ignore[arg-type]
        path=path,
    )
