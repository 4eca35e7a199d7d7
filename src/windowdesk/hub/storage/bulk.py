"""Many rows of one INSERT at once, as ``connection.execute(statement, rows)`` runs them.

On SQLite, SQLAlchemy's executemany does per-row work (building each row's parameters
from the compiled statement, then each value's type processing) that costs more than
SQLite's own insert; a 10,000-event push writes 30,000 rows. Here the statement is
compiled once per column set and each row becomes a tuple through the same type
processors (the columns' own ``bind_processor``), then goes to the driver's
executemany. Errors are SQLAlchemy's as usual (IntegrityError, DataError).

Anything else (another database, an UPDATE, rows with different columns, a column left
out that has a Python-side default) goes through ``connection.execute`` unchanged.
Statements are expected to be built once (module constants): a plan is kept for each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection
from sqlalchemy.sql import Executable
from sqlalchemy.sql.dml import Insert


class _Plan(NamedTuple):
    sql: str
    values: Callable[[dict[str, Any]], tuple[Any, ...]]  # a row's values in the statement's order
    processed: tuple[tuple[int, Callable[[Any], Any]], ...]  # (position, type processor)


_plans: dict[tuple[Executable, str, tuple[str, ...]], _Plan | None] = {}


def _plan(connection: Connection, statement: Insert, keys: tuple[str, ...]) -> _Plan | None:
    dialect = connection.dialect
    table = statement.table
    if set(keys) - set(table.columns.keys()):
        return None
    for column in table.columns:
        if column.key not in keys and column.default is not None:
            return None  # SQLAlchemy would fill in the default: let it
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    order = compiled.positiontup
    if not compiled.positional or order is None or sorted(order) != sorted(keys):
        return None
    processors = [table.columns[key].type.dialect_impl(dialect).bind_processor(dialect) for key in order]
    values = itemgetter(*order) if len(order) > 1 else (lambda row: (row[order[0]],))
    processed = tuple((position, process) for position, process in enumerate(processors) if process is not None)
    return _Plan(str(compiled), values, processed)


def _parameters(plan: _Plan, rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    # itemgetter picks a row's values in one C call; only the columns whose type has a
    # processor (dates, JSON) are touched one by one.
    values = plan.values
    if not plan.processed:
        return [values(row) for row in rows]
    parameters = []
    for row in rows:
        row_values = list(values(row))
        for position, process in plan.processed:
            row_values[position] = process(row_values[position])
        parameters.append(tuple(row_values))
    return parameters


def execute_many(connection: Connection, statement: Executable, rows: Sequence[dict[str, Any]]) -> None:
    if connection.dialect.name != "sqlite" or not isinstance(statement, Insert) or len(rows) < 2:
        connection.execute(statement, list(rows))
        return
    keys = tuple(rows[0])
    cache_key = (statement, connection.dialect.name, keys)
    if cache_key not in _plans:
        _plans[cache_key] = _plan(connection, statement, keys)
    plan = _plans[cache_key]
    first = rows[0].keys()
    if plan is None or any(row.keys() != first for row in rows):
        connection.execute(statement, list(rows))
        return
    connection.exec_driver_sql(plan.sql, _parameters(plan, rows))
