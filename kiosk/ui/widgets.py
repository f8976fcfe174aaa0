"""Touch widgets: buttons, labels, big wrapping option buttons, the number pad.

The drawn ones (gauge, donut) are in kiosk.ui.charts: the first screen needs only these."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Property, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from kiosk.wording import keep_phrases, plain


class Button(QPushButton):
    """A push button whose tap never toggles it: when it shows a state (the chosen option,
    the current language, large text; see set_state) it is checkable, so that assistive
    technology hears "checked", but only the code sets that state."""

    def nextCheckState(self) -> None:  # noqa: N802 - Qt override
        """A tap leaves the checked state alone (QAbstractButton would toggle it)."""


def button(name: str, role: str = "", text: str = "") -> QPushButton:
    """A push button with the objectName tests and people know it by. Its accessible name
    is its text unless one is set (setAccessibleName), e.g. where the text is a symbol."""
    widget = Button(text)
    widget.setObjectName(name)
    if role:
        widget.setProperty("role", role)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setAutoDefault(False)
    return widget


class Label(QLabel):
    """Plain text whose Chinese phrases stay whole when it wraps (kiosk.wording); `text()`
    gives back the text as it was set."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        # What a screen reader reads: the text without the word joiners (set first, so
        # that the name-change event QLabel sends carries it too).
        self.setAccessibleName(plain(text))
        super().setText(keep_phrases(text))

    def text(self) -> str:
        return plain(super().text())


def label(text: str = "", role: str = "", name: str = "", *, wrap: bool = True) -> QLabel:
    widget = Label(text)
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


class ElidedLabel(QLabel):
    """One line that gives way: as wide as its text when there is room, shortened with
    "…" when not (it never makes its row wider than the screen)."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.setObjectName(name)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width()
        )
        painter.drawText(self.contentsRect(), int(self.alignment()), shown)


def set_state(widget: QWidget, name: str, on: bool) -> None:
    """Set a "true"/"false" property the style sheet selects on (chosen, current), and
    re-apply the style sheet to the widget and its labels only when the value changed
    (a widget not yet shown is styled when it is). A Button also reports the state as
    checked to assistive technology (it looks the same; a tap does not toggle it)."""
    if isinstance(widget, Button):
        widget.setCheckable(True)
        widget.setChecked(on)
    value = "true" if on else "false"
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    if not widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        return  # styled when first shown, with the value set now
    restyle([widget, *widget.findChildren(QLabel)])


def restyle(widgets: Iterable[QWidget]) -> None:
    """Apply the style sheet again to `widgets` (after a property its rules select on changed)."""
    for widget in widgets:
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)


class WrapButton(Button):
    """A button whose text wraps over as many lines as it needs (never truncated); the text
    is in a child label, so it is also the button's accessible name."""

    def __init__(self, name: str, role: str = "option") -> None:
        super().__init__()
        self.setObjectName(name)
        self.setProperty("role", role)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoDefault(False)
        self._label = Label()
        self._label.setParent(self)
        self._label.setWordWrap(True)
        self._label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(28, 16, 28, 16)
        layout.addWidget(self._label)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        self._label.setText(text)
        self.setAccessibleName(text)
        self.updateGeometry()

    def text(self) -> str:
        return self._label.text()


class OptionGrid(QWidget):
    """A question's options, laid out to fit the space they are given, never scrolled.

    One column when every option fits at its natural height; otherwise two (then three)
    columns; otherwise the options shrink evenly, but never below the least height. Both
    heights come from the style sheet (`qproperty-naturalHeight`, `qproperty-leastHeight`),
    so they follow the screen. The grid asks for no size of its own, so the page around it
    decides, and it re-arranges on every resize (a new screen, language or text size)."""

    def __init__(self, name: str, spacing: int = 12) -> None:
        super().__init__()
        self.setObjectName(name)
        self.spacing = spacing
        self.buttons: list[QPushButton] = []
        self.columns = 1
        self._natural = 100
        self._least = 64
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)

    def _get_natural(self) -> int:
        return self._natural

    def _set_natural(self, value: int) -> None:
        self._natural = value
        self.arrange()

    def _get_least(self) -> int:
        return self._least

    def _set_least(self, value: int) -> None:
        self._least = value
        self.arrange()

    naturalHeight = Property(int, _get_natural, _set_natural)  # noqa: N815 - Qt property
    leastHeight = Property(int, _get_least, _set_least)  # noqa: N815 - Qt property

    def add(self, widget: QPushButton) -> None:
        widget.setParent(self)
        self.buttons.append(widget)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(400, self._natural)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(0, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.arrange()

    def arrange(self) -> None:
        """Lay the options out; when even three columns of the least height would not fit
        (large text on a small screen), their text steps down to the normal size
        (the style sheet's `OptionGrid[tight="true"]` rule) rather than leave one out."""
        if not self.buttons or self.width() <= 0:
            return
        self._set_tight(False)
        plan = self._plan()
        if plan[2] < 0:
            self._set_tight(True)
            plan = self._plan()
        columns, width, spare, rows = plan
        # Grow each row towards the natural height with what room there is.
        rows = [max(h, min(h + max(spare, 0), self._natural)) for h in rows]
        self.columns = columns
        y = 0
        for row, height in enumerate(rows):
            for column, widget in enumerate(self.buttons[row * columns : (row + 1) * columns]):
                widget.setGeometry(column * (width + self.spacing), y, width, height)
            y += height + self.spacing

    def _plan(self) -> tuple[int, int, int, list[int]]:
        """(columns, column width, spare height per row, row heights): the fewest columns
        that fit, else three (spare < 0 then)."""
        room, gap = self.height(), self.spacing
        for columns in (1, 2, 3):
            width = (self.width() - (columns - 1) * gap) // columns
            heights = [max(self._least, b.heightForWidth(width)) for b in self.buttons]
            rows = [max(heights[i : i + columns]) for i in range(0, len(heights), columns)]
            spare = (room - sum(rows) - gap * (len(rows) - 1)) // len(rows)
            if spare >= 0:
                break
        return columns, width, spare, rows

    def _set_tight(self, tight: bool) -> None:
        if (self.property("tight") == "true") == tight:
            return
        self.setProperty("tight", "true" if tight else "false")
        restyle(label for widget in self.buttons for label in widget.findChildren(QLabel))


class NumberPad(QWidget):
    """Digits 0–9 and clear, as big keys; never the system keyboard."""

    typed = Signal(str)
    cleared = Signal()

    def __init__(self, prefix: str) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setSpacing(14)
        self.keys: dict[str, QPushButton] = {}
        layout = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0"]
        for index, key in enumerate(layout):
            widget = button(f"{prefix}.key.{key}", "key", key if key != "clear" else "")
            if key == "clear":
                widget.setProperty("word", "true")  # a word, not a digit: smaller text
            if key == "clear":
                widget.clicked.connect(self.cleared.emit)
            else:
                widget.clicked.connect(lambda _=False, digit=key: self.typed.emit(digit))
            self.keys[key] = widget
            grid.addWidget(widget, index // 3, index % 3)

    def set_clear_text(self, text: str) -> None:
        self.keys["clear"].setText(text)


__all__ = [
    "Button",
    "ElidedLabel",
    "NumberPad",
    "OptionGrid",
    "WrapButton",
    "button",
    "label",
    "restyle",
    "set_state",
]
