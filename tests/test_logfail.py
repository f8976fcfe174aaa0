"""A warning the kiosk logs fails the test unless the test expects it (tests.helpers.logfail)."""

from __future__ import annotations

import pytest

INNER = """
import logging
import threading

import pytest

log = logging.getLogger("kiosk.sheets")


def test_unexpected():
    log.warning("sheet 1 not printed")


def test_unexpected_in_a_thread():
    worker = threading.Thread(target=lambda: log.error("boom"))
    worker.start()
    worker.join()


@pytest.mark.expected_log("kiosk.sheets", "not printed")
def test_marked():
    log.warning("sheet 1 not printed")


@pytest.mark.expected_log("kiosk", "not printed")
def test_marked_by_a_parent_logger():
    log.warning("sheet 1 not printed")


@pytest.mark.expected_log("kiosk.sheets", "not printed")
def test_marked_but_another_message():
    log.warning("sheet 1 not exported")


@pytest.mark.parametrize("fails", [False, True])
def test_expected_at_run_time(expect_log, fails):
    if fails:
        expect_log("kiosk.sheets", "not printed")
        log.warning("sheet 1 not printed")


def test_info_and_other_loggers_pass():
    log.info("sheet 1 printed")
    logging.getLogger("elsewhere").warning("not ours")
"""


# The inner tests run in this process: this test's own handler sees what they log too.
@pytest.mark.expected_log("kiosk.sheets", "")
def test_a_warning_fails_the_test_unless_it_is_expected(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["tests.helpers.logfail"]\n')
    pytester.makepyfile(test_inner=INNER)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5, failed=3)
    outcomes = {
        line.split("::")[1].split(" ")[0]
        for line in result.outlines
        if line.startswith("FAILED test_inner.py::")
    }
    assert outcomes == {
        "test_unexpected",
        "test_unexpected_in_a_thread",
        "test_marked_but_another_message",
    }
    result.stdout.fnmatch_lines(["*unexpected log messages*", "*ERROR kiosk.sheets: boom*"])
