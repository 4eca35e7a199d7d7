"""Find the item: search as you type by name, pinyin or initials, filter by department,
and read its service guide."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from windowdesk.i18n import _
from windowdesk.services import catalog
from windowdesk.services.context import Database
from windowdesk.ui.errors import show_error
from windowdesk.ui.formatting import guide_html, tag
from windowdesk.ui.intake.search_keys import arrows_move_results
from windowdesk.ui.object_names import named

CODE_ROLE = Qt.ItemDataRole.UserRole


class ItemPicker(QWidget):
    """Emits ``itemChosen(code)`` when the operator picks an item (or None when cleared)."""

    itemChosen = Signal(object)

    def __init__(self, db: Database, search: catalog.CatalogSearch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._search = search
        self.query_edit = named(QLineEdit(), "itemQuery")
        self.query_edit.setClearButtonEnabled(True)
        self.department_box = named(QComboBox(), "departmentFilter")
        self.results = named(QListWidget(), "itemResults")
        self.guide = named(QTextBrowser(), "itemGuide")
        self.heading = QLabel()

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.query_edit, 3)
        top.addWidget(self.department_box, 2)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.results)
        split.addWidget(self.guide)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        self.setTabOrder(self.query_edit, self.department_box)
        self.setTabOrder(self.department_box, self.results)
        arrows_move_results(self.query_edit, self.results)
        self.query_edit.textChanged.connect(self.refresh_results)
        self.query_edit.returnPressed.connect(self._choose_first)
        self.department_box.currentIndexChanged.connect(self.refresh_results)
        self.results.currentItemChanged.connect(self._on_current_changed)
        self.results.itemActivated.connect(lambda _item: self.itemChosen.emit(self.current_code()))
        self.retranslate()
        self._fill_departments()
        self.refresh_results()

    def retranslate(self) -> None:
        self.heading.setText(_("&Item:"))
        self.heading.setBuddy(self.query_edit)
        self.query_edit.setPlaceholderText(_("Name, pinyin or initials, e.g. lnz"))
        self.query_edit.setToolTip(_("F2: search the catalog"))

    def _fill_departments(self) -> None:
        self.department_box.blockSignals(True)
        self.department_box.clear()
        self.department_box.addItem(_("All departments"), None)
        for code, name in self._search.departments():
            self.department_box.addItem(name, code)
        self.department_box.blockSignals(False)

    def refresh_results(self) -> None:
        found = self._search.search(self.query_edit.text(), department_code=self.department_box.currentData())
        self.results.clear()
        for summary in found:
            marks = []
            if summary.parallel:
                marks.append(_("parallel"))
            if summary.street_level:
                marks.append(_("street"))
            text = summary.name + (f"  [{', '.join(marks)}]" if marks else "")
            entry = QListWidgetItem(text)
            entry.setData(CODE_ROLE, summary.code)
            entry.setToolTip(f"{summary.code} · {summary.department_name}")
            self.results.addItem(entry)
        if self.results.count():
            self.results.setCurrentRow(0)
        else:
            self.guide.setHtml(tag("p", _("No item matches. Try fewer characters or the initials.")))

    def current_code(self) -> str | None:
        entry = self.results.currentItem()
        return entry.data(CODE_ROLE) if entry else None

    def _on_current_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        try:
            guide = catalog.get_item_guide(
                self._db, item_code=current.data(CODE_ROLE), department_names=self._search.department_names()
            )
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return
        self.guide.setHtml(guide_html(guide))

    def _choose_first(self) -> None:
        if self.results.count():
            if self.results.currentItem() is None:
                self.results.setCurrentRow(0)
            self.itemChosen.emit(self.current_code())

    def reset(self) -> None:
        self.query_edit.clear()
        self.department_box.setCurrentIndex(0)
