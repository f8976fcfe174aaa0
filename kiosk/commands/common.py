"""What every command shares: the exit codes, the two kinds of bad input, the one line
a refused command prints, and the settings a command was given."""

from __future__ import annotations

import argparse
import sys

from kiosk.engine.errors import KioskError
from kiosk.settings import Settings, load_settings

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


class InputError(KioskError):
    """Bad input that is not an answer: an unreadable file, text that is not JSON."""


class UsageError(KioskError):
    """The command line's words are off."""


def fail(line: str) -> int:
    """Say why the command was refused, in one line on standard error; exit status 2."""
    print(line, file=sys.stderr)
    return EXIT_BAD_INPUT


def settings_for(args: argparse.Namespace) -> Settings:
    """The settings for this command (validated: a bad file stops it with one line)."""
    return load_settings(getattr(args, "settings", None))
