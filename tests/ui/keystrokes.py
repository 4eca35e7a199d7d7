"""Counting the keys a clerk presses: every key goes to the widget that has the focus,
as a keyboard would send it, and is recorded.

``KeyCounter.press`` sends one key (with its modifiers) and counts it as a key;
``KeyCounter.type`` sends each character as its own key press and counts them as
characters typed. ``card_read`` stands for a card laid on a reader: it is recorded, but
costs no key. ``extra`` is what the issue measures: every key beyond the characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

NO_MODIFIER = Qt.KeyboardModifier.NoModifier


@dataclass
class KeyCounter:
    qtbot: object
    keys: list[str] = field(default_factory=list)  # every key press, in order
    characters: int = 0  # of those, the characters typed (initials, ID digits, cash)
    reads: int = 0  # card reads: no key at all

    @property
    def total(self) -> int:
        return len(self.keys)

    @property
    def extra(self) -> int:
        return self.total - self.characters

    def target(self) -> QWidget:
        """The widget a real keyboard would reach: the focus of the active window, with a
        modal dialog brought to the front first (a window manager does that, no key)."""
        modal = QApplication.activeModalWidget()
        if modal is not None and QApplication.activeWindow() is not modal:
            modal.activateWindow()
            self.qtbot.waitUntil(lambda: QApplication.activeWindow() is modal, timeout=3000)
        window = QApplication.activeWindow()
        assert window is not None, "no active window to type into"
        return QApplication.focusWidget() or window

    def choose(self, item_keys: str, applicant_keys: str) -> None:
        """The routine start of an intake: the item found by what is typed, Enter, the
        applicant found by what is typed, Enter."""
        self.type(item_keys)
        self.press(Qt.Key.Key_Return)
        self.type(applicant_keys)
        self.press(Qt.Key.Key_Return)

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = NO_MODIFIER, name: str = "") -> None:
        widget = self.target()
        self.keys.append(name or _key_name(key, modifiers))
        QTest.keyClick(widget, key, modifiers)
        QApplication.processEvents()

    def type(self, text: str) -> None:
        for char in text:
            widget = self.target()
            self.keys.append(char)
            self.characters += 1
            QTest.keyClicks(widget, char)
            QApplication.processEvents()

    def card_read(self, reader_action) -> None:
        """A card laid on the reader: ``reader_action`` does what the reader does; no key."""
        self.reads += 1
        reader_action()
        QApplication.processEvents()

    def summary(self) -> str:
        return f"{self.total} keys ({self.characters} characters, {self.extra} others): {' '.join(self.keys)}"


def _key_name(key: Qt.Key, modifiers: Qt.KeyboardModifier) -> str:
    parts = []
    for flag, word in (
        (Qt.KeyboardModifier.ControlModifier, "Ctrl"),
        (Qt.KeyboardModifier.ShiftModifier, "Shift"),
        (Qt.KeyboardModifier.AltModifier, "Alt"),
    ):
        if modifiers & flag:
            parts.append(word)
    parts.append(Qt.Key(key).name.removeprefix("Key_"))
    return "+".join(parts)
