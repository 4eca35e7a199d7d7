"""A batch's ids bound as one value, so that a query has one text whatever their number.

On SQLite as one JSON array (``json_each``), on PostgreSQL as one array parameter
(``= ANY(:ids)``): the database prepares the statement once and SQLAlchemy renders it
once. As IN lists, a placeholder per id, a statement was rendered again on every run
(push_view measured it at about a quarter of a 500-event batch's reading on SQLite)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from sqlalchemy import ColumnElement, Connection, SQLColumnExpression, String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY

Among = Callable[[SQLColumnExpression[str]], ColumnElement[bool]]  # a column among the values bound as "ids"

_JSON_IDS = func.json_each(bindparam("ids")).table_valued("value")


def among_json(column: SQLColumnExpression[str]) -> ColumnElement[bool]:
    return column.in_(select(_JSON_IDS.c.value))


def among_array(column: SQLColumnExpression[str]) -> ColumnElement[bool]:
    return column == any_(bindparam("ids", type_=ARRAY(String)))


def ids_as_json(connection: Connection) -> bool:
    """Whether this connection's statements take their ids as JSON (SQLite) or as an array."""
    return connection.dialect.name == "sqlite"


def bound_ids(values: Iterable[str], *, as_json: bool) -> str | list[str]:
    ordered = sorted(values)
    return json.dumps(ordered) if as_json else ordered
