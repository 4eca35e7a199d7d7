"""The hall display: full screen on a TV or a second monitor. The call being made, large;
the latest calls and at which window; how many wait per business. Names masked (王*).
Each new call is spoken in Mandarin ("请 A023 号到 05 号窗口办理")."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from windowdesk.i18n import _
from windowdesk.ui.object_names import named
from windowdesk.ui.queue.feed import follow_display
from windowdesk.ui.workers import Workers

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtMultimedia import QSoundEffect

BIG = "font-size: 72px; font-weight: bold; color: #b00020"
LARGE = "font-size: 32px"
DOWN_STYLE = "font-size: 24px; color: #b00020"


def call_words(number: str, window: str) -> str:
    return _("Number {number}, please go to window {window}").format(number=number, window=window)


class HallDisplayWindow(QWidget):
    def __init__(self, url: str, token: str, *, voice_folder: Path | None, speak: bool = True) -> None:
        super().__init__()
        self.setObjectName("hallDisplay")
        self.setWindowTitle(_("Hall display"))
        self.workers = Workers()
        self.speak = speak
        self.spoken: list[dict] = []  # the calls spoken (or written for speaking), in order
        self.to_speak: list[str] = []
        self.effect: QSoundEffect | None = None
        self.calling_label = named(QLabel(), "displayCalling")
        self.calling_label.setStyleSheet(BIG)
        self.calling_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.recent = named(QTableWidget(0, 3), "displayRecent")
        self.recent.setStyleSheet(LARGE)
        self.recent.verticalHeader().hide()
        self.recent.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.waiting_label = named(QLabel(), "displayWaiting")
        self.waiting_label.setStyleSheet(LARGE)
        self.status_label = named(QLabel(), "displayStatus")
        side = QVBoxLayout()
        side.addWidget(self.waiting_label)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.recent, 2)
        body.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.calling_label)
        layout.addLayout(body, 1)
        layout.addWidget(self.status_label)
        self.recent.setHorizontalHeaderLabels([_("Number"), _("Window"), _("Name")])
        self.operation = self.workers.start(
            follow_display(url, token, voice_folder if speak else None),
            on_success=lambda _r: None,
            on_failure=self._failed,
            on_progress=self._progress,
        )

    def _progress(self, report: tuple[str, Any]) -> None:
        kind, value = report
        if kind == "feed":
            self.status_label.setText("")
            self.status_label.setStyleSheet("")
            self.show_snapshot(value)
        elif kind == "down":
            self.status_label.setText(_("The queue service does not answer; trying again."))
            self.status_label.setStyleSheet(DOWN_STYLE)
        elif kind == "voice_error":
            self.status_label.setText(value.message)

    def _failed(self, error: BaseException) -> None:
        self.status_label.setText(str(error))

    def show_snapshot(self, snapshot: dict) -> None:
        recent = snapshot["recent"]
        if recent:
            self.calling_label.setText(call_words(recent[0]["number"], recent[0]["window"]))
        self.recent.setRowCount(len(recent))
        for row, call in enumerate(recent):
            for column, text in enumerate((call["number"], call["window"] or "", call["name"])):
                self.recent.setItem(row, column, QTableWidgetItem(text))
        self.waiting_label.setText(
            "\n".join(_("{prefix} {name}: {count} waiting").format(**entry) for entry in snapshot["waiting"])
        )
        for call in snapshot["calls"]:
            self.spoken.append(call)
            if self.speak and call.get("voice"):
                self.to_speak.append(call["voice"])
        self._play_next()

    def _play_next(self) -> None:
        """One call after the other, never over each other."""
        if not self.to_speak or (self.effect is not None and self.effect.isPlaying()):
            return
        from PySide6.QtMultimedia import QSoundEffect

        if self.effect is None:
            self.effect = QSoundEffect(self)
            self.effect.playingChanged.connect(self._play_next)
        self.effect.setSource(QUrl.fromLocalFile(self.to_speak.pop(0)))
        self.effect.play()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.operation.cancel()
        self.workers.shutdown()
        super().closeEvent(event)


def run_display(url: str, token: str, *, data_dir: Path, fullscreen: bool = True, locale: str = "zh_CN") -> int:
    from windowdesk.ui.application import apply_language, qt_application

    app = qt_application()
    apply_language(app, locale)
    window = HallDisplayWindow(url, token, voice_folder=data_dir / "voice")
    if fullscreen:
        window.showFullScreen()
    else:
        window.resize(1280, 720)
        window.show()
    return app.exec()
