"""Table cells whose text wraps onto as many lines as it needs, and shows them all.

Qt's own size hint for wrapped cell text counts a line too few when a line ends in a long
word that cannot be broken (a case number after Chinese text): the row is made too low
and the cell's end is elided. This delegate measures the text at the column's width the
way it is painted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QTableView

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex, QPersistentModelIndex
    from PySide6.QtWidgets import QStyleOptionViewItem

_TALL = 1 << 20


class WrappedTextDelegate(QStyledItemDelegate):
    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint(option, index)
        text = index.data()
        if not text:
            return hint
        margin = self._view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self._view) + 1
        width = max(self._view.columnWidth(index.column()) - 2 * margin, 1)
        needed = option.fontMetrics.boundingRect(QRect(0, 0, width, _TALL), Qt.TextFlag.TextWordWrap, text)
        return QSize(hint.width(), max(hint.height(), needed.height() + 2 * margin))
