"""A warning the kiosk logs fails the test, unless the test expects it.

After qutebrowser's tests/helpers/logfail.py: a handler on the `kiosk` loggers collects
every record at WARNING or above during a test (its fixtures included, in any thread);
the test fails when one was not expected. A test expects a message by a mark,

    @pytest.mark.expected_log("kiosk.sheets", "not printed")

(the logger, or a parent of it, and a piece of the message; one mark per message), or,
when only some cases of a parametrized test log it, through the `expect_log` fixture:

    expect_log("kiosk.sheets", "not printed")

An expected message may appear any number of times, or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Iterator

import pytest

LOGGER = "kiosk"
ExpectLog = Callable[[str, str], None]


class LogFailHandler(logging.Handler):
    """Keeps what a test did not expect; the test fails on it (see the module)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.expected: list[tuple[str, str]] = []
        self.unexpected: list[logging.LogRecord] = []

    def expect(self, logger: str, text: str) -> None:
        self.expected.append((logger, text))

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        for logger, text in self.expected:
            if (record.name == logger or record.name.startswith(f"{logger}.")) and text in message:
                return
        self.unexpected.append(record)

    def report(self) -> str:
        """The unexpected records as lines (and forgets them), '' when there are none."""
        found, self.unexpected = self.unexpected, []
        return "\n".join(f"  {r.levelname} {r.name}: {r.getMessage()}" for r in found)


HANDLER = pytest.StashKey[LogFailHandler]()


def pytest_configure(config: pytest.Config) -> None:
    # Also in pyproject.toml; here too, so that the plugin works on its own.
    config.addinivalue_line(
        "markers",
        "expected_log(logger, text): the test expects a WARNING or worse from `logger` "
        "whose message contains `text` (tests.helpers.logfail)",
    )


@pytest.fixture(autouse=True)
def logfail(request: pytest.FixtureRequest) -> Iterator[LogFailHandler]:
    """Installed for every test; fails it at teardown on an unexpected warning logged
    after the test's own body (pytest_runtest_call fails it for the body's)."""
    handler = LogFailHandler()
    for mark in request.node.iter_markers("expected_log"):
        handler.expect(*mark.args)
    request.node.stash[HANDLER] = handler
    logger = logging.getLogger(LOGGER)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    unexpected = handler.report()
    if unexpected:
        pytest.fail(f"unexpected log messages (tests.helpers.logfail):\n{unexpected}")


@pytest.fixture
def expect_log(logfail: LogFailHandler) -> ExpectLog:
    """expect_log(logger, text): this test may log that message (see the module)."""
    return logfail.expect


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    handler = item.stash.get(HANDLER, None)
    try:
        yield  # the test's body
    except BaseException:
        if handler is not None:
            handler.report()  # the test failed anyway; its log is in pytest's report
        raise
    unexpected = handler.report() if handler is not None else ""
    if unexpected:
        pytest.fail(f"unexpected log messages (tests.helpers.logfail):\n{unexpected}")
