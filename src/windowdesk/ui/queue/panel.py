"""The queue panel of the window: the ticket being served, how many wait, the buttons.
Keyboard first (the keys are on the Queue menu and on the buttons' tooltips)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from windowdesk.i18n import _
from windowdesk.ui.object_names import named

if TYPE_CHECKING:
    from windowdesk.services.queue import WindowState


def state_word(state: str) -> str:
    words = {
        "called": _("called"),
        "serving": _("serving"),
        "done": _("done"),
        "no_show": _("no-show"),
        "transferred": _("transferred"),
        "waiting": _("waiting"),
    }
    return words.get(state, state)


class QueuePanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queuePanel")
        self.ticket_label = named(QLabel(), "queueTicket")
        self.ticket_label.setStyleSheet("font-size: 20px; font-weight: bold")
        self.waiting_label = named(QLabel(), "queueWaiting")
        self.call_button = named(QPushButton(), "queueCallNext")
        self.recall_button = named(QPushButton(), "queueRecall")
        self.skip_button = named(QPushButton(), "queueSkip")
        self.finish_button = named(QPushButton(), "queueFinish")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.ticket_label)
        layout.addWidget(self.waiting_label, 1)
        for button in (self.call_button, self.recall_button, self.skip_button, self.finish_button):
            button.setFocusPolicy(button.focusPolicy().NoFocus)  # the keys work anywhere; focus stays on intake
            layout.addWidget(button)
        self.show_state(None, reachable=None)

    def retranslate(self) -> None:
        self.call_button.setText(_("Call next (F11)"))
        self.recall_button.setText(_("Recall (Shift+F11)"))
        self.skip_button.setText(_("No-show (F12)"))
        self.finish_button.setText(_("Finish (Shift+F12)"))

    def show_state(self, state: WindowState | None, *, reachable: bool | None) -> None:
        """``state`` is a services.queue.WindowState, or None when unknown."""
        self.retranslate()
        if reachable is None:
            self.ticket_label.setText(_("Queue not set up"))
            self.waiting_label.setText(_("Queue \u2192 Connect to the hall's queue\u2026"))
        elif not reachable:
            self.ticket_label.setText(_("Queue unreachable"))
            self.waiting_label.setText(_("This window keeps working without the queue."))
        elif state is not None:
            current = state.current
            if current is None:
                self.ticket_label.setText(_("No ticket at this window"))
            else:
                self.ticket_label.setText(
                    _("{number} {state}").format(number=current["number"], state=state_word(current["state"]))
                )
            waiting = ", ".join(f"{prefix} {count}" for prefix, count in state.waiting.items())
            words = _("Waiting: {counts}").format(counts=waiting or "0")
            if state.window.get("paused"):
                words = _("Paused") + " \u00b7 " + words
            self.waiting_label.setText(words)
        enabled = bool(reachable)
        current = state.current if reachable and state else None
        self.call_button.setEnabled(enabled)
        self.recall_button.setEnabled(enabled and current is not None and current["state"] == "called")
        self.skip_button.setEnabled(enabled and current is not None and current["state"] == "called")
        self.finish_button.setEnabled(enabled and current is not None)
