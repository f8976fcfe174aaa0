"""Drive the real kiosk window by its widget names, as a client's taps would.

One helper for the tests, the screenshots and the benchmarks: `VisitDriver(window).visit(answers)`
walks a whole visit from the attract screen to the result.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.engine import Profile
from kiosk.ui.visit import CONSENT, OPTIONAL_INTRO, RESULT, REVIEW


class DriverError(AssertionError):
    """The window did not do what a client's tap should have made it do."""


def wait_until(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    """Run the event loop until `condition()` holds; DriverError after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise DriverError("timed out waiting for the window")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        time.sleep(0.002)


class VisitDriver:
    def __init__(self, window: QWidget) -> None:
        self.window = window

    @property
    def screen(self) -> str:
        return str(self.window.visit.screen)  # type: ignore[attr-defined]

    def widget(self, name: str) -> QWidget:
        found = [w for w in self.window.findChildren(QWidget, name) if w.isVisible()]
        if not found:
            raise DriverError(f"no visible widget named {name!r} on screen {self.screen!r}")
        return found[0]

    def text(self, name: str) -> str:
        widget = self.widget(name)
        if not isinstance(widget, QLabel | QPushButton):
            raise DriverError(f"{name!r} shows no text")
        return widget.text()

    def tap(self, name: str) -> None:
        """Tap a visible, enabled button, then let the window react."""
        widget = self.widget(name)
        if not isinstance(widget, QPushButton):
            raise DriverError(f"{name!r} is not a button")
        if not widget.isEnabled():
            raise DriverError(f"{name!r} is disabled on screen {self.screen!r}")
        widget.click()
        QCoreApplication.processEvents()

    def tap_and_wait(self, name: str) -> None:
        """Tap, then wait until the screen changes (options move on after a highlight)."""
        before = self.screen
        self.tap(name)
        wait_until(lambda: self.screen != before)

    def wait_for(self, screen: str, timeout_s: float = 90.0) -> None:
        """Wait until the window shows `screen` (printing takes a while)."""
        wait_until(lambda: self.screen == screen, timeout_s)

    def type_number(self, question_id: str, value: int) -> None:
        self.tap(f"{question_id}.key.clear")
        for digit in str(value):
            self.tap(f"{question_id}.key.{digit}")

    def answer(self, question_id: str, value: object) -> None:
        """Answer the question on screen (None = prefer not to say) and move on."""
        if self.screen != question_id:
            raise DriverError(f"expected question {question_id!r}, the screen is {self.screen!r}")
        if value is None:
            self.tap_and_wait(f"{question_id}.skip")
        elif isinstance(value, int) and not isinstance(value, bool):
            self.type_number(question_id, value)
            self.tap_and_wait("nav.next")
        else:
            self.tap_and_wait(f"{question_id}.{value}")

    def begin(self, lang: str = "") -> None:
        """From the attract screen (tapped, or a language chosen) through consent."""
        self.tap_and_wait(f"attract.lang.{lang}" if lang else "attract.start")
        if self.screen != CONSENT:
            raise DriverError(f"expected the consent screen, got {self.screen!r}")
        self.tap_and_wait("consent.accept")

    def visit(self, answers: Mapping[str, object], *, lang: str = "") -> Profile:
        """From the attract screen to the result, answering every question from `answers`."""
        self.begin(lang)
        flow = self.window.flow  # type: ignore[attr-defined]
        optional = self.window.optional  # type: ignore[attr-defined]
        for screen in flow[flow.index(CONSENT) + 1 :]:
            if screen == OPTIONAL_INTRO:
                if not any(answers.get(key) is not None for key in optional):
                    self.tap_and_wait("optional.skip_all")
                    break
                self.tap_and_wait("nav.next")
            elif screen == REVIEW:
                break
            else:
                self.answer(screen, answers.get(screen))
        if self.screen != REVIEW:
            raise DriverError(f"expected the review, got {self.screen!r}")
        self.tap_and_wait("review.confirm")
        if self.screen != RESULT:
            raise DriverError(f"expected the result, got {self.screen!r}")
        profile: Profile = self.window.visit.profile  # type: ignore[attr-defined]
        return profile
