"""Touch widgets: buttons, labels, big wrapping option buttons, the number pad.

The drawn ones (gauge, donut) are in kiosk.ui.charts: the first screen needs only these."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)


def button(name: str, role: str = "", text: str = "") -> QPushButton:
    """A push button with the objectName tests and people know it by."""
    widget = QPushButton(text)
    widget.setObjectName(name)
    if role:
        widget.setProperty("role", role)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setAutoDefault(False)
    return widget


def label(text: str = "", role: str = "", name: str = "", *, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def set_state(widget: QWidget, name: str, on: bool) -> None:
    """Set a "true"/"false" property the style sheet selects on (chosen, current), and
    re-apply the style sheet to the widget and its labels only when the value changed
    (a widget not yet shown is styled when it is)."""
    value = "true" if on else "false"
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    if not widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        return  # styled when first shown, with the value set now
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    for child in widget.findChildren(QLabel):
        style.unpolish(child)
        style.polish(child)


class WrapButton(QPushButton):
    """A button whose text wraps over as many lines as it needs (never truncated)."""

    def __init__(self, name: str, role: str = "option") -> None:
        super().__init__()
        self.setObjectName(name)
        self.setProperty("role", role)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoDefault(False)
        self._label = QLabel(self)
        self._label.setWordWrap(True)
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(28, 16, 28, 16)
        layout.addWidget(self._label)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        self._label.setText(text)
        self.updateGeometry()

    def text(self) -> str:
        return self._label.text()


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
                widget.clicked.connect(self.cleared.emit)
            else:
                widget.clicked.connect(lambda _=False, digit=key: self.typed.emit(digit))
            self.keys[key] = widget
            grid.addWidget(widget, index // 3, index % 3)

    def set_clear_text(self, text: str) -> None:
        self.keys["clear"].setText(text)


__all__ = ["NumberPad", "WrapButton", "button", "label", "set_state"]
