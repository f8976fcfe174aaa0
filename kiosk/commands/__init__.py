"""The commands of `kiosk` (SPEC §12); kiosk.cli parses the command line and calls them.

Each takes the parsed arguments and returns the exit status; bad input is raised as
InputError or UsageError (kiosk.commands.common), which kiosk.cli prints as one line.
"""

from kiosk.commands.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILURE,
    EXIT_OK,
    InputError,
    UsageError,
    fail,
    settings_for,
)
from kiosk.commands.config import cmd_check_config, cmd_set_pin
from kiosk.commands.scoring import cmd_report, cmd_score
from kiosk.commands.screens import cmd_counter, cmd_screenshots, cmd_start
from kiosk.commands.verify import cmd_verify

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILURE",
    "EXIT_OK",
    "InputError",
    "UsageError",
    "cmd_check_config",
    "cmd_counter",
    "cmd_report",
    "cmd_score",
    "cmd_screenshots",
    "cmd_set_pin",
    "cmd_start",
    "cmd_verify",
    "fail",
    "settings_for",
]
