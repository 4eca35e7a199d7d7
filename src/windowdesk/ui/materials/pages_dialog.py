"""A case's scanned pages, material by material: scan, take with the camera, add files,
then order, turn, delete and stamp them "checked against the original"; a large view.

Every decoding, encoding, stamping and scan runs on a worker (ui/workers.py), the strip
shows a progress bar meanwhile and the screen stays live; the buttons that change pages
wait until the running job is done, so two changes never cross.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from windowdesk.i18n import _, ngettext
from windowdesk.services import material_pages, scanning
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.errors import show_error
from windowdesk.ui.materials.camera import CameraCaptureDialog, cameras_available
from windowdesk.ui.materials.page_view import PageViewDialog
from windowdesk.ui.object_names import named
from windowdesk.ui.workers import Workers

THUMBNAIL_SIDE = 160
FILE_FILTER = "*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.pnm *.pdf"


def pixmap_of(jpeg: bytes) -> QPixmap:
    image = QImage()
    image.loadFromData(jpeg)
    return QPixmap.fromImage(image)


class MaterialPagesDialog(QDialog):
    def __init__(
        self,
        db: Database,
        ctx: CounterContext,
        *,
        case_id: str,
        workers: Workers | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._case_id = db, ctx, case_id
        self._own_workers = workers is None
        self.workers = workers or Workers()
        self.store = material_pages.open_page_store(db)
        self.view: material_pages.CasePages | None = None
        self._thumbnails: dict[tuple[str, int], bytes] = {}  # (sha256, rotation) -> JPEG
        self.busy = False
        self.page_dialog: PageViewDialog | None = None
        self.last_scan: scanning.ScannedPage | None = None

        self.materials = named(QListWidget(), "materialList")
        self.materials.setMaximumWidth(260)
        self.materials.currentRowChanged.connect(lambda _row: self._show_strip())
        self.strip = named(QListWidget(), "pageStrip")
        self.strip.setViewMode(QListView.ViewMode.IconMode)
        self.strip.setFlow(QListView.Flow.LeftToRight)
        self.strip.setWrapping(True)
        self.strip.setResizeMode(QListView.ResizeMode.Adjust)
        self.strip.setMovement(QListView.Movement.Static)
        self.strip.setIconSize(QSize(THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        self.strip.itemDoubleClicked.connect(lambda _item: self.view_large())
        self.strip.currentRowChanged.connect(lambda _row: self._enable())

        self.scanner_box = named(QComboBox(), "scannerBox")
        self.scan_button = named(QPushButton(_("&Scan a page")), "scanButton")
        self.scan_button.clicked.connect(self.scan)
        self.camera_button = named(QPushButton(), "cameraButton")
        self.camera_button.clicked.connect(self.take_photo)
        self.files_button = named(QPushButton(_("Add &files\u2026")), "addFilesButton")
        self.files_button.clicked.connect(self.choose_files)
        self.earlier_button = named(QPushButton(_("Move &earlier")), "moveEarlier")
        self.earlier_button.clicked.connect(lambda: self.move_page(-1))
        self.later_button = named(QPushButton(_("Move &later")), "moveLater")
        self.later_button.clicked.connect(lambda: self.move_page(1))
        self.turn_button = named(QPushButton(_("&Turn right")), "turnButton")
        self.turn_button.clicked.connect(self.turn)
        self.delete_button = named(QPushButton(_("&Delete page")), "deletePage")
        self.delete_button.clicked.connect(self.delete)
        self.check_button = named(QPushButton(_("Checked against the &original")), "checkButton")
        self.check_button.clicked.connect(self.mark_checked)
        self.large_button = named(QPushButton(_("&Large view")), "largeView")
        self.large_button.clicked.connect(self.view_large)
        self.progress = named(QProgressBar(), "pagesProgress")
        self.progress.setVisible(False)
        self.status = named(QLabel(), "pagesStatus")
        self.status.setWordWrap(True)

        sources = QHBoxLayout()
        for widget in (self.scanner_box, self.scan_button, self.camera_button, self.files_button):
            sources.addWidget(widget)
        sources.addStretch(1)
        edits = QHBoxLayout()
        for widget in (
            self.earlier_button,
            self.later_button,
            self.turn_button,
            self.delete_button,
            self.check_button,
            self.large_button,
        ):
            edits.addWidget(widget)
        edits.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.materials)
        middle.addWidget(self.strip, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(sources)
        layout.addLayout(middle, 1)
        layout.addLayout(edits)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(1000, 640)
        self.setWindowTitle(_("Scanned pages"))
        self._show_camera_state()
        self._find_scanners()
        self.reload()

    # --- reading ------------------------------------------------------------------------

    def material_code(self) -> str | None:
        item = self.materials.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def selected_page(self) -> material_pages.PageView | None:
        item = self.strip.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def reload(self, *, select_page: str | None = None) -> None:
        """The case's pages and the thumbnails not made yet, off the UI thread."""
        db, ctx, store, case_id, known = self._db, self._ctx, self.store, self._case_id, dict(self._thumbnails)

        def work(_cancel: Any, _progress: Any) -> tuple[material_pages.CasePages, dict]:
            view = material_pages.case_pages(db, ctx, case_id=case_id)
            made = {}
            for material in view.materials:
                for page in material.pages:
                    key = (page.sha256, page.rotation)
                    if key not in known and key not in made:
                        made[key] = material_pages.page_preview(
                            db, store, ctx, page_id=page.page_id, longest_side=THUMBNAIL_SIDE
                        )
            return view, made

        def done(result: tuple[material_pages.CasePages, dict]) -> None:
            self.view, made = result
            self._thumbnails.update(made)
            self._show_materials()
            self._show_strip(select_page)
            self._finish()

        def failed(error: BaseException) -> None:
            self._finish()
            show_error(self, error)

        self._begin(_("Loading the pages\u2026"))
        self.workers.start(work, on_success=done, on_failure=failed, lane="database")

    def _show_materials(self) -> None:
        if self.view is None:
            return
        current = self.material_code()
        self.materials.blockSignals(True)
        self.materials.clear()
        for material in self.view.materials:
            count = len(material.pages)
            item = QListWidgetItem(
                ngettext("{name} ({count} page)", "{name} ({count} pages)", count).format(
                    name=material.name, count=count
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, material.code)
            self.materials.addItem(item)
        codes = [material.code for material in self.view.materials]
        self.materials.setCurrentRow(codes.index(current) if current in codes else 0)
        self.materials.blockSignals(False)
        self.setWindowTitle(_("Scanned pages of case {number}").format(number=self.view.case_number))

    def _show_strip(self, select_page: str | None = None) -> None:
        shown = self.selected_page()
        selected = select_page or (shown.page_id if shown else None)
        self.strip.clear()
        code = self.material_code()
        if self.view is None or code is None:
            return
        for page in self.view.material(code).pages:
            label = _("Page {n}").format(n=page.position + 1)
            if page.checked_at is not None:
                label += "\n" + _("checked")
            item = QListWidgetItem(QIcon(pixmap_of(self._thumbnails.get((page.sha256, page.rotation), b""))), label)
            item.setData(Qt.ItemDataRole.UserRole, page)
            self.strip.addItem(item)
            if page.page_id == selected:
                self.strip.setCurrentItem(item)
        if self.strip.currentItem() is None and self.strip.count():
            self.strip.setCurrentRow(self.strip.count() - 1)
        self._enable()

    # --- adding pages -------------------------------------------------------------------

    def _find_scanners(self) -> None:
        self.scanner_box.clear()
        self.scanner_box.addItem(_("Looking for scanners\u2026"), None)

        def done(devices: list[scanning.ScannerDevice]) -> None:
            self.scanner_box.clear()
            for device in devices:
                self.scanner_box.addItem(device.label, device.name)
            if not devices:
                self.scanner_box.addItem(_("No scanner found"), None)
            self._enable()

        def failed(error: BaseException) -> None:
            self.scanner_box.clear()
            self.scanner_box.addItem(getattr(error, "title", _("No scanner found")), None)
            self._enable()

        self.workers.start(lambda _cancel, _progress: scanning.list_scanners(), on_success=done, on_failure=failed)

    def _show_camera_state(self) -> None:
        if cameras_available():
            self.camera_button.setText(_("&Camera\u2026"))
            self.camera_button.setToolTip("")
        else:
            self.camera_button.setText(_("No camera connected"))
            self.camera_button.setToolTip(
                _(
                    "No camera or document camera is connected to this computer. "
                    "Connect one, then open this window again."
                )
            )

    def scan(self, device: str | None = None) -> None:
        device = device or self.scanner_box.currentData()
        code = self.material_code()
        if not device or code is None:
            return
        db, ctx, store, case_id = self._db, self._ctx, self.store, self._case_id

        def done(scanned: scanning.ScannedPage) -> None:
            self.last_scan = scanned
            self.reload(select_page=scanned.page_id)

        self._begin(_("Scanning\u2026"))
        self.workers.start(
            lambda _cancel, _progress: scanning.scan_into(
                db, store, ctx, case_id=case_id, material_code=code, device=device
            ),
            on_success=done,
            on_failure=self._failed,
            lane="database",
        )

    def take_photo(self) -> None:
        if not cameras_available():
            self._show_camera_state()
            self.status.setText(self.camera_button.toolTip())
            return
        dialog = CameraCaptureDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.image is not None:
            self.add_image(dialog.image)

    def add_image(self, image: bytes) -> None:
        code = self.material_code()
        if code is None:
            return
        db, ctx, store, case_id = self._db, self._ctx, self.store, self._case_id
        self._begin(_("Adding the page\u2026"))
        self.workers.start(
            lambda _cancel, _progress: material_pages.add_image(
                db, store, ctx, case_id=case_id, material_code=code, image=image
            ),
            on_success=lambda page_id: self.reload(select_page=page_id),
            on_failure=self._failed,
            lane="database",
        )

    def choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self, _("Add image or PDF files"), "", _("Images and PDF files ({patterns})").format(patterns=FILE_FILTER)
        )
        if names:
            self.add_files([Path(name) for name in names])

    def add_files(self, paths: list[Path]) -> None:
        code = self.material_code()
        if code is None or not paths:
            return
        db, ctx, store, case_id = self._db, self._ctx, self.store, self._case_id
        self._begin(_("Adding {count} files\u2026").format(count=len(paths)), steps=len(paths))

        def progressed(step: tuple[int, int]) -> None:
            self.progress.setValue(step[0])

        self.workers.start(
            lambda _cancel, progress: material_pages.add_page_files(
                db, store, ctx, case_id=case_id, material_code=code, paths=paths, progress=progress
            ),
            on_success=lambda ids: self.reload(select_page=ids[-1]),
            on_failure=self._failed,
            on_progress=progressed,
            lane="database",
        )

    # --- changing pages -----------------------------------------------------------------

    def _change(self, words: str, work: Any, *, select_page: str | None = None) -> None:
        self._begin(words)
        self.workers.start(
            lambda _cancel, _progress: work(),
            on_success=lambda _result: self.reload(select_page=select_page),
            on_failure=self._failed,
            lane="database",
        )

    def move_page(self, step: int) -> None:
        page, code = self.selected_page(), self.material_code()
        if page is None or code is None or self.view is None:
            return
        order = [p.page_id for p in self.view.material(code).pages]
        index = order.index(page.page_id)
        target = index + step
        if not 0 <= target < len(order):
            return
        order[index], order[target] = order[target], order[index]
        db, ctx, case_id = self._db, self._ctx, self._case_id
        self._change(
            _("Moving the page\u2026"),
            lambda: material_pages.reorder_pages(db, ctx, case_id=case_id, material_code=code, page_ids=order),
            select_page=page.page_id,
        )

    def turn(self) -> None:
        page = self.selected_page()
        if page is not None:
            db, ctx = self._db, self._ctx
            self._change(
                _("Turning the page\u2026"),
                lambda: material_pages.rotate_page(db, ctx, page_id=page.page_id),
                select_page=page.page_id,
            )

    def delete(self) -> None:
        page = self.selected_page()
        if page is not None:
            db, ctx = self._db, self._ctx
            self._change(
                _("Deleting the page\u2026"), lambda: material_pages.delete_page(db, ctx, page_id=page.page_id)
            )

    def mark_checked(self) -> None:
        page = self.selected_page()
        if page is not None:
            db, ctx, store = self._db, self._ctx, self.store
            self._change(
                _("Stamping the page\u2026"),
                lambda: material_pages.mark_checked(db, store, ctx, page_id=page.page_id),
                select_page=page.page_id,
            )

    def view_large(self) -> None:
        page = self.selected_page()
        if page is None:
            return
        db, ctx, store = self._db, self._ctx, self.store

        def shown(jpeg: bytes) -> None:
            self._finish()
            self.page_dialog = PageViewDialog(pixmap_of(jpeg), _("Page {n}").format(n=page.position + 1), self)
            self.page_dialog.show()

        self._begin(_("Opening the page\u2026"))
        self.workers.start(
            lambda _cancel, _progress: material_pages.page_preview(
                db, store, ctx, page_id=page.page_id, longest_side=2000
            ),
            on_success=shown,
            on_failure=self._failed,
            lane="database",
        )

    # --- state --------------------------------------------------------------------------

    def _begin(self, words: str, *, steps: int = 0) -> None:
        """A job started: its words, and a progress bar (of ``steps``, or just moving)."""
        self.busy = True
        self.status.setText(words)
        self.progress.setRange(0, steps)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self._enable()

    def _finish(self) -> None:
        self.busy = False
        self.progress.setVisible(False)
        self.progress.setRange(0, 0)
        if self.view is not None and not self.view.can_change:
            self.status.setText(_("This case has been decided: its pages can be viewed, not changed."))
        else:
            self.status.setText("")
        self._enable()

    def _failed(self, error: BaseException) -> None:
        """A change that failed changed nothing; the pages are shown again as they are."""
        self._finish()
        show_error(self, error)
        self.reload()

    def _enable(self) -> None:
        can_change = not self.busy and self.view is not None and self.view.can_change
        page = self.selected_page()
        self.scan_button.setEnabled(can_change and bool(self.scanner_box.currentData()))
        self.camera_button.setEnabled(can_change and cameras_available())
        self.files_button.setEnabled(can_change)
        for button in (self.earlier_button, self.later_button, self.turn_button, self.delete_button):
            button.setEnabled(can_change and page is not None)
        self.check_button.setEnabled(can_change and page is not None and page.checked_at is None)
        self.large_button.setEnabled(not self.busy and page is not None)

    def done(self, result: int) -> None:
        if self._own_workers:
            self.workers.shutdown()
        super().done(result)
