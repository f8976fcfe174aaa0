"""What assistive technology is told beyond what each widget says of itself.

Qt's accessibility bridge (AT-SPI on Linux) shows every widget with its role, accessible
name and states; the pages set those names in the screen's language. This module adds
what no single widget can say: when a screen appears, one announcement of where the
client is and what is asked ("第 3 题 / 共 12 题", the question, its help line), and, while
a screen reader is listening, keyboard focus on the screen's first control, so that its
buttons can be reached at all (they take no focus from taps: see `enable_keyboard`).
It also tells Qt (`install`) that the gauge and the allocation donut are pictures (role
Graphic, "image" in AT-SPI, not unnamed fillers; their text alternative is their
accessible name, set by the result page) and that the hidden staff corner is not there.

Without assistive technology (QAccessible.isActive() is false) nothing here changes what
the kiosk shows or does. Qt's accessibility classes (~4 ms to load) are imported when
first needed, by the kiosk window: the boot screen paints the attract screen before any
of this runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QAccessibleEvent, QAccessibleInterface

HIDDEN = frozenset({"admin.corner"})
"""Widgets (by objectName) that assistive technology does not see, nor the keyboard reach.
The staff corner lies over the start button's corner, where a lone tap does what the
start button does, and does nothing on any other screen: to a screen reader it would be
an extra button on every screen that does nothing a client needs (the PIN guards staff
access either way)."""
GRAPHICS = frozenset({"Gauge", "AllocationChart"})
"""Widget classes (by Qt class name) that assistive technology sees as pictures."""

_installed: list[type] = []
"""The hidden widgets' interface class, once `install` has run."""
_listening = [False]
"""Whether assistive technology listened when the last screen appeared (see listening)."""


def install(window: QWidget | None = None) -> None:
    """Install the kiosk's accessibility factory (once): pictures for the charts, nothing
    for the HIDDEN widgets. An interface Qt made for a HIDDEN widget of `window` before
    (a screen reader that asked during the first stage) is dropped, so the next is ours."""
    from PySide6.QtGui import QAccessible  # noqa: PLC0415 - see the module
    from PySide6.QtWidgets import QAccessibleWidget  # noqa: PLC0415

    if not _installed:

        class Hidden(QAccessibleWidget):
            """A widget that reports itself invisible, so screen readers pass it by."""

            def state(self) -> QAccessible.State:
                state = super().state()
                state.invisible = True
                state.focusable = False
                return state

        def factory(key: str, widget: QObject) -> QAccessibleInterface | None:
            if not isinstance(widget, QWidget):
                return None
            if key in GRAPHICS:
                return QAccessibleWidget(widget, QAccessible.Role.Graphic)
            if widget.objectName() in HIDDEN:
                return Hidden(widget, QAccessible.Role.Button)
            return None

        QAccessible.installFactory(factory)
        _installed.append(Hidden)
    if window is not None and QAccessible.isActive():
        for name in HIDDEN:
            widget = window.findChild(QWidget, name)
            made = QAccessible.queryAccessibleInterface(widget) if widget else None
            if made is not None and not isinstance(made, _installed[0]):
                QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(made))


def is_active() -> bool:
    """Whether assistive technology is listening (a screen reader on the AT-SPI bus)."""
    from PySide6.QtGui import QAccessible  # noqa: PLC0415 - see the module

    return bool(QAccessible.isActive())


def listening() -> bool:
    """Whether assistive technology listened when the last screen was announced: cheap, and
    False until then, so the attract screen's first stage loads no accessibility classes."""
    return _listening[0]


def post(event: QAccessibleEvent) -> None:
    """Hand an event to the accessibility bridge (tests replace this to hear events)."""
    from PySide6.QtGui import QAccessible  # noqa: PLC0415

    QAccessible.updateAccessibility(event)


def screen_text(page: QWidget, *before: str) -> str:
    """What a screen says when it appears: `before` (e.g. the progress), the page's
    accessible name (its title or question) and description (its help line), one a line.
    A page without an accessible name is named by its `title` label, if it has one."""
    name = page.accessibleName()
    title = getattr(page, "title", None)
    if not name and isinstance(title, QLabel):
        name = title.accessibleName() or title.text()
    parts = [*before, name, page.accessibleDescription()]
    return "\n".join(dict.fromkeys(part.strip() for part in parts if part.strip()))


def announce_screen(page: QWidget, *before: str) -> str:
    """Tell assistive technology, if it listens, that `page` has just appeared: put the
    keyboard focus on its first control (`first_control()` where the page has one, else
    its primary button, else its first button; a screen reader reads it with the page's
    name), then announce the screen's text. Polite, so that it follows what is said of
    the focus instead of cutting it off. Returns the text."""
    text = screen_text(page, *before)
    install(page.window() if not _installed else None)
    _listening[0] = is_active()
    if not _listening[0]:
        return text
    from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent  # noqa: PLC0415

    enable_keyboard(page.window())
    target = first_control(page)
    if target is not None:
        target.setFocus(Qt.FocusReason.OtherFocusReason)
    if text:
        event = QAccessibleAnnouncementEvent(page, text)
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
        post(event)
    return text


def enable_keyboard(root: QWidget) -> None:
    """Let the keyboard (and so a screen reader) reach every button under `root`.

    Buttons are made with no focus for touch; Tab focus adds none on a tap (so no focus
    frame appears for a client who touches), only when keys or assistive technology move
    it. Called while assistive technology listens, so nothing changes otherwise."""
    for widget in root.findChildren(QAbstractButton):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus and widget.objectName() not in HIDDEN:
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)


def first_control(page: QWidget) -> QWidget | None:
    """The control that takes the focus when `page` appears."""
    chosen = getattr(page, "first_control", None)
    if callable(chosen):
        widget = chosen()
        if isinstance(widget, QWidget) and widget.isVisible() and widget.isEnabled():
            return widget
    buttons = [
        button
        for button in page.findChildren(QAbstractButton)
        if button.isVisible()
        and button.isEnabled()
        and button.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]
    primary = [button for button in buttons if button.property("role") == "primary"]
    return next(iter(primary or buttons), None)


__all__ = [
    "GRAPHICS",
    "HIDDEN",
    "announce_screen",
    "enable_keyboard",
    "first_control",
    "install",
    "is_active",
    "listening",
    "post",
    "screen_text",
]
