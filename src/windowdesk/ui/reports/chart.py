"""A grouped bar chart of the report: accepted, completed and overdue cases per row.

Qt's own charts (QtCharts, from the PySide6-Addons wheel) when installed; otherwise the
same chart drawn with QPainter, so the report screen works with PySide6-Essentials only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent

try:  # PySide6-Addons
    from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis

    HAVE_QTCHARTS = True
except ImportError:  # pragma: no cover - depends on the installed wheels
    HAVE_QTCHARTS = False

COLOURS = ("#1a73e8", "#1e7b34", "#b3261e")


class ReportChart(QWidget):
    """``show_bars(categories, series)``: series = [(name, values per category)]."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.setMinimumHeight(220)
        self.categories: list[str] = []
        self.series: list[tuple[str, list[float]]] = []
        self.uses_qtcharts = HAVE_QTCHARTS
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if self.uses_qtcharts:
            self.chart = QChart()
            self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
            self.view = QChartView(self.chart)
            self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
            layout.addWidget(self.view)
        else:
            self.painted = _PaintedBars(self)
            layout.addWidget(self.painted)

    def show_bars(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]) -> None:
        self.categories = list(categories)
        self.series = [(name, list(values)) for name, values in series]
        if not self.uses_qtcharts:
            self.painted.update()
            return
        self.chart.removeAllSeries()
        for axis in list(self.chart.axes()):
            self.chart.removeAxis(axis)
        bars = QBarSeries()
        for (name, values), colour in zip(self.series, COLOURS, strict=False):
            bar_set = QBarSet(name)
            bar_set.setColor(QColor(colour))
            bar_set.append([float(v) for v in values])
            bars.append(bar_set)
        self.chart.addSeries(bars)
        x_axis = QBarCategoryAxis()
        x_axis.append(self.categories)
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%d")
        top = max([1, *(math.ceil(v) for _n, values in self.series for v in values)])
        y_axis.setRange(0, top)
        y_axis.setTickCount(top + 1 if top <= 10 else 6)
        if top > 10:
            y_axis.applyNiceNumbers()
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(x_axis)
        bars.attachAxis(y_axis)


class _PaintedBars(QWidget):
    def __init__(self, owner: ReportChart) -> None:
        super().__init__(owner)
        self._owner = owner

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        owner = self._owner
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(40, 10, -10, -40)
        top = max([1.0, *(v for _n, values in owner.series for v in values)])
        painter.setPen(QColor("#888888"))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.drawText(QRectF(0, area.top() - 6, 36, 14), Qt.AlignmentFlag.AlignRight, f"{top:g}")
        if not owner.categories or not owner.series:
            return
        group = area.width() / len(owner.categories)
        bar = group * 0.8 / len(owner.series)
        for c, category in enumerate(owner.categories):
            left = area.left() + c * group + group * 0.1
            for s, ((_name, values), colour) in enumerate(zip(owner.series, COLOURS, strict=False)):
                height = area.height() * (values[c] / top)
                painter.fillRect(QRectF(left + s * bar, area.bottom() - height, bar - 1, height), QColor(colour))
            painter.setPen(QColor("#333333"))
            painter.drawText(
                QRectF(left, area.bottom() + 4, group * 0.8, 30),
                Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap,
                category,
            )
        legend_left = area.left()
        for (name, _values), colour in zip(owner.series, COLOURS, strict=False):
            painter.fillRect(QRectF(legend_left, self.height() - 12, 10, 10), QColor(colour))
            painter.drawText(QRectF(legend_left + 14, self.height() - 15, 120, 14), Qt.AlignmentFlag.AlignLeft, name)
            legend_left += 140
