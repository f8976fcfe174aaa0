"""An on-screen keyboard for the staff panel (the kiosk has no keyboard): Latin letters,
digits, a space and a few signs as big keys, a cursor that moves by ← → (or a tap in the
text), delete and clear. Chinese needs an input method the kiosk does not have: the panel
says where a Chinese name is set instead."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QWidget

from kiosk.ui.widgets import button, set_state

COLUMNS = 10
ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm-.")
SHIFTED = dict(zip("1234567890-.", "!@#$%^&*()',", strict=True))
"""Shift gives capitals, and signs on the digits (as on a keyboard) and on - and ."""


class Keyboard(QWidget):
    """Types into its own field; `open(text)` starts from a text, Done gives it back.

    Six rows of big keys: the field and Clear; digits; three rows of letters (with delete,
    shift, - and .); Cancel, space, the cursor keys ← → and Done. Shift holds for one key."""

    done = Signal(str)
    cancelled = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.shifted = False
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        self.field = QLineEdit()
        self.field.setObjectName(f"{name}.text")
        grid.addWidget(self.field, 0, 0, 1, COLUMNS - 2)
        self.clear = button(f"{name}.clear", "key")
        self.clear.clicked.connect(self.field.clear)
        grid.addWidget(self.clear, 0, COLUMNS - 2, 1, 2)
        self.keys: dict[str, QPushButton] = {}
        for row, characters in enumerate(ROWS, start=1):
            start = 1 if row == len(ROWS) else 0  # the bottom letter row starts after shift
            for column, character in enumerate(characters, start=start):
                key = button(f"{name}.key.{character}", "key")
                key.clicked.connect(lambda _=False, c=character: self.press(c))
                self.keys[character] = key
                grid.addWidget(key, row, column)
        self.backspace = button(f"{name}.backspace", "key", "⌫")
        self.backspace.clicked.connect(self.field.backspace)
        grid.addWidget(self.backspace, 3, COLUMNS - 1)
        self.shift = button(f"{name}.shift", "key", "⇧")
        self.shift.clicked.connect(lambda: self.set_shift(not self.shifted))
        grid.addWidget(self.shift, len(ROWS), 0)
        bottom = len(ROWS) + 1
        self.cancel = button(f"{name}.cancel", "quiet")
        self.cancel.clicked.connect(self.cancelled.emit)
        grid.addWidget(self.cancel, bottom, 0, 1, 2)
        self.space = button(f"{name}.space", "key")
        self.space.clicked.connect(lambda: self.press(" "))
        grid.addWidget(self.space, bottom, 2, 1, 4)
        self.left = button(f"{name}.left", "key", "←")
        self.left.clicked.connect(lambda: self.field.cursorBackward(False))
        self.right = button(f"{name}.right", "key", "→")
        self.right.clicked.connect(lambda: self.field.cursorForward(False))
        grid.addWidget(self.left, bottom, 6)
        grid.addWidget(self.right, bottom, 7)
        self.ok = button(f"{name}.done", "primary")
        self.ok.clicked.connect(lambda: self.done.emit(self.field.text()))
        grid.addWidget(self.ok, bottom, 8, 1, 2)
        self.set_shift(False)

    def open(self, text: str) -> None:
        """Start from `text`, the cursor at its end, shift off."""
        self.field.setText(text)
        self.field.end(False)
        self.set_shift(False)
        self.field.setFocus()

    def press(self, key: str) -> None:
        """Insert a key's character at the cursor (shifted once, if shift is on)."""
        self.field.insert(self.character(key))
        if self.shifted:
            self.set_shift(False)

    def character(self, key: str) -> str:
        if not self.shifted:
            return key
        return SHIFTED.get(key, key.upper())

    def set_shift(self, on: bool) -> None:
        self.shifted = on
        set_state(self.shift, "current", on)
        for key, widget in self.keys.items():
            widget.setText(self.character(key).replace("&", "&&"))  # & alone marks a shortcut

    def set_texts(self, clear: str, space: str, cancel: str, done: str) -> None:
        self.clear.setText(clear)
        self.space.setText(space)
        self.cancel.setText(cancel)
        self.ok.setText(done)

    def set_names(self, delete: str, shift: str, left: str, right: str) -> None:
        """What assistive technology says for the keys that show a symbol."""
        for key, name in (
            (self.backspace, delete),
            (self.shift, shift),
            (self.left, left),
            (self.right, right),
        ):
            key.setAccessibleName(name)


__all__ = ["Keyboard"]
