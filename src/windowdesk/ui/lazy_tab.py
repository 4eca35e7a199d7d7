"""A main-window tab made when it is first shown: most operators never open most tabs in a
day, and every start (and every UI test) paid for building them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QTabWidget, QWidget

if TYPE_CHECKING:
    from collections.abc import Callable

Page = TypeVar("Page", bound=QWidget)


class LazyTab(Generic[Page]):
    """Holds a tab's place (its title and visibility) with an empty page until the tab is
    first brought forward, or its widget first asked for (``widget``); then makes the widget
    with ``make`` and puts it in the placeholder's place, once."""

    def __init__(self, tabs: QTabWidget, make: Callable[[], Page]) -> None:
        self._tabs, self._make = tabs, make
        self._placeholder: QWidget | None = QWidget()
        self._widget: Page | None = None
        tabs.addTab(self._placeholder, "")
        # Connected before whoever adds the tab connects theirs: those find the made widget
        # at the index they are told about.
        tabs.currentChanged.connect(self._current_changed)

    @property
    def built(self) -> bool:
        return self._widget is not None

    @property
    def page(self) -> QWidget:
        """What the tab holds now (for its index, title and visibility): made or not."""
        if self._widget is not None:
            return self._widget
        assert self._placeholder is not None  # one of the two is always there
        return self._placeholder

    @property
    def widget(self) -> Page:
        if self._widget is None:
            self._build()
        assert self._widget is not None
        return self._widget

    def _current_changed(self, index: int) -> None:
        if self._widget is None and self._tabs.widget(index) is self._placeholder:
            self._build()

    def _build(self) -> None:
        widget = self._make()
        tabs, placeholder = self._tabs, self._placeholder
        assert placeholder is not None
        index = tabs.indexOf(placeholder)
        text, visible, tip = tabs.tabText(index), tabs.isTabVisible(index), tabs.tabToolTip(index)
        showing = tabs.currentWidget() is placeholder
        blocker = QSignalBlocker(tabs)  # one page in another's place: no tab was changed
        tabs.insertTab(index, widget, text)  # the placeholder moves one to the right
        tabs.setTabVisible(index, visible)
        tabs.setTabToolTip(index, tip)
        if showing:
            # Before the placeholder goes: removing the current tab would show a neighbour
            # for a moment, which would read its lists for nothing.
            tabs.setCurrentIndex(index)
        tabs.removeTab(index + 1)
        blocker.unblock()
        self._widget, self._placeholder = widget, None
        placeholder.deleteLater()
