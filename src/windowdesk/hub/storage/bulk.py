"""Many rows of one INSERT at once, as ``connection.execute(statement, rows)`` runs them.

On SQLite, SQLAlchemy's executemany does per-row work (building each row's parameters
from the compiled statement, then each value's type processing) that costs more than
SQLite's own insert; a 10,000-event push writes 30,000 rows. Here the statement is
compiled once per column set and each row becomes a tuple through the same type
processors (the columns' own ``bind_processor``), then goes to the driver's
executemany. The rows are put in that form a column at a time: the values of a column
whose type maps equal values to one stored form (a fixed-value TextEnum's few words, the
UTC times a push repeats) are processed once per distinct value, and checked as always.
Errors are SQLAlchemy's as usual (IntegrityError, DataError; a value its type refuses
is SQLAlchemy's StatementError, the rows then going through ``connection.execute``).

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

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, Dialect, TableClause
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Executable
from sqlalchemy.sql.dml import Insert
from sqlalchemy.types import TypeEngine

from windowdesk.hub.storage.models import TextEnum, UTCDateTime
from windowdesk.stored_columns import ColumnProcessor, stored_rows


class _Plan(NamedTuple):
    sql: str
    keys: tuple[str, ...]  # the rows' keys in the statement's order
    # (position, its type's processor, whether it is processed once per distinct value)
    processed: tuple[ColumnProcessor, ...]


_plans: dict[tuple[Executable, str, tuple[str, ...]], _Plan | None] = {}


class _Unprocessable(Exception):
    """A value its column's type refuses: SQLAlchemy's own executemany words the error."""


def _by_value(column_type: TypeEngine[Any]) -> bool:
    """Whether equal values of this type are stored alike, so that one processing per
    distinct value stands for all (a TextEnum's member and its word are equal, and store
    the same word; equal instants store the same UTC time whatever their zone)."""
    return isinstance(column_type, TextEnum | UTCDateTime)


def _processors(table: TableClause, keys: tuple[str, ...], dialect: Dialect) -> tuple[ColumnProcessor, ...]:
    processed = []
    for position, key in enumerate(keys):
        column_type = table.columns[key].type
        process = column_type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processed.append((position, process, _by_value(column_type)))
    return tuple(processed)


def _plan(connection: Connection, statement: Insert, keys: tuple[str, ...]) -> _Plan | None:
    dialect = connection.dialect
    table = statement.table
    if set(keys) - set(table.columns.keys()):
        return None
    for column in table.columns:
        if column.key not in keys and column.default is not None:
            return None  # SQLAlchemy would fill in the default: let it
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    positions = compiled.positiontup
    if not compiled.positional or positions is None or sorted(positions) != sorted(keys):
        return None
    order = tuple(positions)
    return _Plan(str(compiled), order, _processors(table, order, dialect))


def _parameters(plan: _Plan, rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The rows' values in their stored form (a row missing a key raises KeyError)."""
    try:
        return stored_rows(rows, plan.keys, plan.processed)
    except (ValueError, TypeError, LookupError) as refusal:
        raise _Unprocessable from refusal


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
    return _Plan(sql, keys, _processors(table, keys, dialect))


def _copy(connection: Connection, plan: _Plan, parameters: list[tuple[Any, ...]]) -> None:
    driver_connection = connection.connection.driver_connection
    assert driver_connection is not None  # the connection of a transaction in progress
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
    width = len(keys)
    # Rows of other keys than the first's: each of the plan's keys is looked up in every
    # row (a KeyError if missing), so rows of the same length have the same keys.
    if plan is None or any(len(row) != width for row in rows):
        connection.execute(statement, list(rows))
        return
    try:
        parameters = _parameters(plan, rows)
    except (KeyError, _Unprocessable):
        connection.execute(statement, list(rows))  # refused in SQLAlchemy's words
        return
    if dialect == "postgresql":
        _copy(connection, plan, parameters)
    else:
        connection.exec_driver_sql(plan.sql, parameters)
