"""The queries a push reads its view with (push_view) take a batch's ids as one value (a JSON
array on SQLite, an array on PostgreSQL): one statement text whatever the number of ids,
and each still searches its index."""

from __future__ import annotations

from sqlalchemy import event, text

from windowdesk.hub.services import push_view

IDS = ["00000000-0000-7000-8000-000000000001", "CH-20261125-01-0001"]


def _sent(connection, statement, parameters: dict) -> tuple[str, object]:
    """The SQL text and driver parameters ``statement`` is run with."""
    sent: list[tuple[str, object]] = []

    def seen(_conn, _cursor, sql, driver_parameters, *_args) -> None:
        sent.append((sql, driver_parameters))

    event.listen(connection, "before_cursor_execute", seen)
    try:
        connection.execute(statement, parameters).all()
    finally:
        event.remove(connection, "before_cursor_execute", seen)
    assert len(sent) == 1, sent
    return sent[0]


def _plan(connection, statement, ids: list[str]) -> str:
    queries = push_view._queries(connection)
    sql, parameters = _sent(connection, statement, {"ids": queries.ids(ids), "center": "CH"})
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters)
        return "\n".join(str(row[-1]) for row in rows)
    # A test database holds few rows, so a sequential scan would be planned anyway; with it
    # ruled out, only a condition an index can answer is planned on an index.
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    return "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}", parameters))


def test_one_text_for_any_number_of_ids(hub) -> None:
    with hub.db.read() as session:
        connection = session.connection()
        queries = push_view._queries(connection)
        texts = {
            _sent(connection, queries.cases_by_number, {"ids": queries.ids(ids)})[0]
            for ids in (["CH-20261125-01-0001"], [f"CH-20261125-01-{n:04d}" for n in range(1, 300)])
        }
    assert len(texts) == 1, texts


def test_each_view_query_searches_its_index(hub) -> None:
    with hub.db.write() as session:  # SET LOCAL on PostgreSQL: this transaction only
        connection = session.connection()
        queries = push_view._queries(connection)
        for statement in (
            queries.cases_by_number,
            queries.cases_by_id,
            queries.known_events,
            queries.residents_here,
            queries.cases_to_change,
        ):
            plan = _plan(connection, statement, IDS)
            assert "index" in plan.lower(), plan
            assert "SCAN cases" not in plan and "SCAN pushed_events" not in plan and "Seq Scan" not in plan, plan
        session.rollback()
