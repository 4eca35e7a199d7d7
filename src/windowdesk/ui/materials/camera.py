"""Taking a page with a camera (a document camera, 高拍仪, is a camera to the system)
through Qt Multimedia: a live picture, one click takes the frame. The frame goes to the
caller as PNG bytes; storing it runs off the UI thread like every other page.

Qt Multimedia is imported only here and only when used: a build without it (the frozen
bundle leaves it out, installer/windowdesk.spec) has no camera, and says so.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from windowdesk.i18n import _
from windowdesk.ui.object_names import named


def _media_devices() -> Any | None:
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return None
    return QMediaDevices


def cameras_available() -> bool:
    devices = _media_devices()
    return devices is not None and bool(devices.videoInputs())


def png_of(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, b"PNG")
    return bytes(buffer.data().data())


class CameraCaptureDialog(QDialog):
    """The camera's live picture; "Take the page" keeps one frame in ``image`` (PNG)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from PySide6.QtMultimedia import QImageCapture, QMediaCaptureSession, QMediaDevices
        from PySide6.QtMultimediaWidgets import QVideoWidget

        super().__init__(parent)
        self.setWindowTitle(_("Take a page with the camera"))
        self.image: bytes | None = None
        self.devices = QMediaDevices.videoInputs()
        self.device_box = named(QComboBox(), "cameraBox")
        for device in self.devices:
            self.device_box.addItem(device.description())
        self.preview = QVideoWidget()
        self.preview.setMinimumSize(640, 480)
        self.status = QLabel()
        self.session = QMediaCaptureSession()
        self.capture = QImageCapture()
        self.session.setImageCapture(self.capture)
        self.session.setVideoOutput(self.preview)
        self.capture.imageCaptured.connect(self._captured)
        self.capture.errorOccurred.connect(lambda _id, _error, words: self.status.setText(words))
        self.camera: Any = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.take_button = buttons.addButton(_("&Take the page"), QDialogButtonBox.ButtonRole.ActionRole)
        self.take_button.clicked.connect(self.take)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.device_box)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.device_box.currentIndexChanged.connect(self._use)
        self._use(0)

    def _use(self, index: int) -> None:
        from PySide6.QtMultimedia import QCamera

        if self.camera is not None:
            self.camera.stop()
        if not 0 <= index < len(self.devices):
            return
        self.camera = QCamera(self.devices[index])
        self.camera.errorOccurred.connect(lambda _error, words: self.status.setText(words))
        self.session.setCamera(self.camera)
        self.camera.start()

    def take(self) -> None:
        if self.capture.isReadyForCapture():
            self.capture.capture()
        else:
            self.status.setText(_("The camera is not ready yet; please wait a moment."))

    def _captured(self, _id: int, image: QImage) -> None:
        self.image = png_of(image)
        self.accept()

    def done(self, result: int) -> None:
        if self.camera is not None:
            self.camera.stop()
        super().done(result)
