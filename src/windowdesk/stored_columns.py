"""Rows to a driver's executemany parameters, a column at a time: shared by the window's
pull (``storage/sync_queries.py``) and the hub's push (``hub/storage/bulk.py``), which each
write thousands of rows through one statement. Row by row, the columns' type processors ran
once per value, most of them on the same few words and times; here a column whose equal
values are stored alike (a fixed-value word, a UTC time) is processed once per distinct
value. Pure Python: the callers plan the statement and its processors with SQLAlchemy."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

# (the column's position in the statement, its type's bind processor, whether equal values
# are stored alike so that one processing per distinct value stands for all)
ColumnProcessor = tuple[int, Callable[[Any], Any], bool]


def stored_rows(
    rows: Sequence[Mapping[str, Any]], names: Sequence[str], processors: Sequence[ColumnProcessor]
) -> list[tuple[Any, ...]]:
    """The rows' values in the statement's order (``names``) and in their stored form.
    A row missing a name raises KeyError; a value its processor refuses raises what the
    processor raises."""
    return stored_columns([[row[name] for row in rows] for name in names], processors)


def stored_columns(columns: list[list[Any]], processors: Sequence[ColumnProcessor]) -> list[tuple[Any, ...]]:
    """The rows of ``columns`` (the values of each column of the statement, in its order,
    equally long) in their stored form, each column processed as :func:`stored_rows` does
    (``columns`` is changed in place)."""
    for position, process, by_value in processors:
        column = columns[position]
        if by_value:
            stored = {value: process(value) for value in set(column)}
            columns[position] = [stored[value] for value in column]
        else:
            columns[position] = list(map(process, column))
    return list(zip(*columns, strict=True))
