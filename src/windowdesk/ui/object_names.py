"""Giving a widget its object name where it is made, with its type kept for the checker."""

from typing import TypeVar

from PySide6.QtCore import QObject

Widget = TypeVar("Widget", bound=QObject)


def named(widget: Widget, name: str) -> Widget:
    """Sets `widget`'s object name (the name tests and style sheets find it by) and returns it.

    PySide6 also takes `objectName=` as a constructor keyword, but its stubs list only each
    class's own properties, not the inherited `objectName`: every such call read as a type error.
    """
    widget.setObjectName(name)
    return widget
