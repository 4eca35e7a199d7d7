"""Many rows of one INSERT at once, as ``connection.execute(statement, rows)`` runs them.

On SQLite, SQLAlchemy's executemany does per-row work (building each row's parameters
from the compiled statement, then each value's type processing) that costs more than
SQLite's own insert; a 10,000-event push writes 30,000 rows. Here the statement is
compiled once per column set and each row becomes a tuple through the same type
processors (the columns' own ``bind_processor``), then goes to the driver's
executemany. Errors are SQLAlchemy's as usual (IntegrityError, DataError).

On PostgreSQL the rows go by ``COPY ... FROM STDIN`` in the same transaction (and
savepoint), as psycopg writes them: SQLAlchemy's executemany there sends one prepared
INSERT per row through psycopg's pipeline, and both psycopg's per-row work in Python and
the server's per-statement work cost more than the rows themselves. A COPY is as durable
as the INSERTs (it commits with the transaction) and is refused by the same constraints;
its errors are raised as SQLAlchemy's (IntegrityError, DataError, ...) like the INSERTs'.

Anything else (an UPDATE, rows with different columns, a column left out that has a
Python-side default) goes through ``connection.execute`` unchanged. Statements are
expected to be built once (module constants): a plan is kept for each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
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


def _copy_plan(connection: Connection, statement: Insert, keys: tuple[str, ...]) -> _Plan | None:
    """The COPY of the columns ``keys``, in that order, with their types' processors."""
    dialect = connection.dialect
    table = statement.table
    if set(keys) - set(table.columns.keys()):
        return None
    for column in table.columns:
        if column.key not in keys and column.default is not None:
            return None  # SQLAlchemy would fill in the default: let it
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(table.columns[key].name) for key in keys)
    sql = f"COPY {dialect.identifier_preparer.format_table(table)} ({columns}) FROM STDIN"
    processors = [table.columns[key].type.dialect_impl(dialect).bind_processor(dialect) for key in keys]
    values = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
    processed = tuple((position, process) for position, process in enumerate(processors) if process is not None)
    return _Plan(sql, values, processed)


def _copy(connection: Connection, plan: _Plan, rows: Sequence[dict[str, Any]]) -> None:
    driver_connection = connection.connection.driver_connection
    assert driver_connection is not None  # the connection of a transaction in progress
    parameters = _parameters(plan, rows)
    try:
        with driver_connection.cursor() as cursor, cursor.copy(plan.sql) as copy:
            for row in parameters:
                copy.write_row(row)
    except connection.dialect.loaded_dbapi.Error as error:
        # As SQLAlchemy raises a failed INSERT's error: the callers catch IntegrityError
        # and DataError, and a deadlock's DBAPIError is retried by HubDatabase.run_write.
        raise DBAPIError.instance(plan.sql, None, error, connection.dialect.loaded_dbapi.Error) from error


_planners = {"sqlite": _plan, "postgresql": _copy_plan}


def execute_many(connection: Connection, statement: Executable, rows: Sequence[dict[str, Any]]) -> None:
    dialect = connection.dialect.name
    if dialect == "postgresql" and connection.dialect.driver != "psycopg":
        dialect = "other"  # COPY as written here is psycopg 3's
    if dialect not in _planners or not isinstance(statement, Insert) or len(rows) < 2:
        connection.execute(statement, list(rows))
        return
    keys = tuple(rows[0])
    cache_key = (statement, dialect, keys)
    if cache_key not in _plans:
        _plans[cache_key] = _planners[dialect](connection, statement, keys)
    plan = _plans[cache_key]
    first = rows[0].keys()
    if plan is None or any(row.keys() != first for row in rows):
        connection.execute(statement, list(rows))
        return
    if dialect == "postgresql":
        _copy(connection, plan, rows)
    else:
        connection.exec_driver_sql(plan.sql, _parameters(plan, rows))
