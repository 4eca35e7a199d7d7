"""网上预审 at the window: the online applications of this center waiting for a
pre-review, oldest first, with what the resident typed and the uploaded pages; each
material marked received / missing / to be corrected, then accepted for the visit or
returned with the one-time list (services/prereview.py). Keyboard first: the list has
the focus, Alt+A accepts, Alt+T returns, Esc closes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services import prereview
from windowdesk.services.context import CounterContext
from windowdesk.services.intake import CORRECTION, MISSING, RECEIVED, MaterialCheck

if TYPE_CHECKING:
    from windowdesk.storage.db import Database

PREVIEW_SIDE = 360


class PreReviewDialog(QDialog):
    def __init__(self, db: Database, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.ctx = db, ctx
        self.waiting: list[prereview.WaitingApplication] = []
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._show)
        self.empty = QLabel()
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.fields = QFormLayout()
        self.returned_before = QLabel()
        self.returned_before.setWordWrap(True)
        self.pages = QListWidget()
        self.pages.currentRowChanged.connect(self._show_page)
        self.preview = QLabel()
        self.preview.setMinimumSize(PREVIEW_SIDE // 2, PREVIEW_SIDE // 2)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.materials = QTableWidget(0, 4)
        self.materials.verticalHeader().setVisible(False)
        # Each material's status and note, by row: cellWidget() gives them back only as QWidget.
        self.material_checks: list[tuple[QComboBox, QLineEdit]] = []
        self.form_note = QLineEdit()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.accept_button = QPushButton()
        self.accept_button.clicked.connect(self.accept_for_visit)
        self.return_button = QPushButton()
        self.return_button.clicked.connect(self.return_with_list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        self.fields_box = QGroupBox()
        fields_widget = QVBoxLayout(self.fields_box)
        fields_widget.addWidget(self.header)
        fields_widget.addLayout(self.fields)
        fields_widget.addWidget(self.returned_before)
        self.pages_box = QGroupBox()
        pages_layout = QHBoxLayout(self.pages_box)
        pages_layout.addWidget(self.pages, 1)
        pages_layout.addWidget(self.preview, 2)
        self.note_label = QLabel()
        self.note_label.setBuddy(self.form_note)
        right = QVBoxLayout()
        right.addWidget(self.fields_box)
        right.addWidget(self.pages_box)
        right.addWidget(self.materials)
        right.addWidget(self.note_label)
        right.addWidget(self.form_note)
        decide = QHBoxLayout()
        decide.addWidget(self.accept_button)
        decide.addWidget(self.return_button)
        right.addLayout(decide)
        right.addWidget(self.message)
        left = QVBoxLayout()
        left.addWidget(self.list)
        left.addWidget(self.empty)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 3)
        outer = QVBoxLayout(self)
        outer.addLayout(body)
        outer.addWidget(buttons)
        self.retranslate()
        self.refresh()
        self.resize(1100, 640)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Online applications: pre-review"))
        self.empty.setText(_("No online application is waiting for a pre-review."))
        self.fields_box.setTitle(_("What the resident filled in"))
        self.pages_box.setTitle(_("Uploaded pages"))
        self.materials.setHorizontalHeaderLabels([_("Material"), _("Pages"), _("Check"), _("What is wrong")])
        self.note_label.setText(_("&Note on the form (something typed is wrong):"))
        self.accept_button.setText(_("Accept for the visit (Alt+A)"))
        self.return_button.setText(_("Return with the list (Alt+T)"))
        # Shortcuts of their own, not mnemonics, whatever the language's words; set after
        # the text, which would clear them.
        self.accept_button.setShortcut(QKeySequence("Alt+A"))
        self.return_button.setShortcut(QKeySequence("Alt+T"))

    # --- showing ----------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            self.waiting = prereview.waiting_applications(self.db, self.ctx)
        except WindowdeskError as error:
            self.waiting = []
            self.message.setText(error.message)
        self.list.clear()
        for application in self.waiting:
            text = _("{number}  {item}  {when}").format(
                number=application.number,
                item=application.item_name,
                when=on_screen(application.submitted_at, self.ctx.timezone),
            )
            if application.round > 1:
                text += "  " + _("(sent again, round {round})").format(round=application.round)
            self.list.addItem(QListWidgetItem(text))
        self.empty.setVisible(not self.waiting)
        for widget in (
            self.fields_box,
            self.pages_box,
            self.materials,
            self.form_note,
            self.accept_button,
            self.return_button,
        ):
            widget.setEnabled(bool(self.waiting))
        if self.waiting:
            self.list.setCurrentRow(0)
            self.list.setFocus()
        else:
            self._show(-1)

    def current(self) -> prereview.WaitingApplication | None:
        row = self.list.currentRow()
        return self.waiting[row] if 0 <= row < len(self.waiting) else None

    def _show(self, row: int) -> None:
        application = self.waiting[row] if 0 <= row < len(self.waiting) else None
        while self.fields.rowCount():
            self.fields.removeRow(0)
        self.pages.clear()
        self.preview.clear()
        self.materials.setRowCount(0)
        self.material_checks = []
        self.form_note.clear()
        if application is None:
            self.header.clear()
            self.returned_before.clear()
            return
        self.header.setText(_("{number}: {item}").format(number=application.number, item=application.item_name))
        for name, value in application.fields:
            label = QLabel(value)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields.addRow(name, label)
        self.returned_before.setText(
            _("Returned last time: {list}").format(
                list=_("; ").join(entry.get("text", "") for entry in application.returned_before)
            )
            if application.returned_before
            else ""
        )
        names = {material.code: material.name for material in application.materials}
        numbers: dict[str, int] = {}
        for page in application.pages:
            numbers[page.material_code] = numbers.get(page.material_code, 0) + 1
            self.pages.addItem(
                _("{material}, page {n}").format(
                    material=names.get(page.material_code, page.material_code), n=numbers[page.material_code]
                )
            )
        self.materials.setRowCount(len(application.materials))
        for position, material in enumerate(application.materials):
            self.materials.setCellWidget(position, 0, QLabel(material.name))
            self.materials.setCellWidget(position, 1, QLabel(str(material.pages)))
            check = QComboBox()
            for status, words in (
                (RECEIVED, _("received")),
                (MISSING, _("missing")),
                (CORRECTION, _("to be corrected")),
            ):
                check.addItem(words, status)
            check.setCurrentIndex(0 if material.pages else 1)
            note = QLineEdit()
            self.materials.setCellWidget(position, 2, check)
            self.materials.setCellWidget(position, 3, note)
            self.material_checks.append((check, note))
        self.materials.resizeColumnsToContents()
        if application.pages:
            self.pages.setCurrentRow(0)

    def _show_page(self, row: int) -> None:
        application = self.current()
        if application is None or not 0 <= row < len(application.pages):
            self.preview.clear()
            return
        try:
            data = prereview.page_bytes(
                self.db, self.ctx, application_id=application.id, page_id=application.pages[row].page_id
            )
        except WindowdeskError as error:
            self.preview.setText(error.message)
            return
        pixmap = QPixmap()
        pixmap.loadFromData(data)
        self.preview.setPixmap(
            pixmap.scaled(
                PREVIEW_SIDE,
                PREVIEW_SIDE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    # --- deciding ---------------------------------------------------------------------

    def checks(self) -> list[MaterialCheck]:
        application = self.current()
        if application is None:
            return []
        made = []
        for material, (check, note) in zip(application.materials, self.material_checks, strict=True):
            made.append(MaterialCheck(material.code, check.currentData(), note.text()))
        return made

    def set_check(self, material_code: str, status: str, note: str = "") -> None:
        """Mark one material (what the operator does with the keyboard, for tests too)."""
        application = self.current()
        assert application is not None
        position = [material.code for material in application.materials].index(material_code)
        combo, note_edit = self.material_checks[position]
        combo.setCurrentIndex(combo.findData(status))
        note_edit.setText(note)

    def accept_for_visit(self) -> None:
        application = self.current()
        if application is None:
            return
        try:
            prereview.accept_for_visit(self.db, self.ctx, application_id=application.id)
        except WindowdeskError as error:
            self.message.setText(error.message)
            return
        self.refresh()
        self.message.setText(
            _(
                "{number} is accepted for the visit: the resident is told to bring the originals "
                "(sent at the next sync)."
            ).format(number=application.number)
        )

    def return_with_list(self) -> None:
        application = self.current()
        if application is None:
            return
        try:
            returned = prereview.return_application(
                self.db, self.ctx, application_id=application.id, checks=self.checks(), note=self.form_note.text()
            )
        except WindowdeskError as error:
            self.message.setText(error.message)
            return
        self.refresh()
        self.message.setText(
            _("{number} is returned with {count} item(s) to add or correct (sent at the next sync).").format(
                number=application.number, count=len(returned)
            )
        )
