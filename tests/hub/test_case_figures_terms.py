"""The figures' terms a push reads for every batch (issue 29, aim 2): the published
catalogs' limits are decoded once per set of catalogs, not once per batch, and a newly
published version is read at once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, text

from windowdesk.hub.services import case_figures, city_publishing, id_lists
from windowdesk.hub.services.console_rights import ADMINISTRATOR, ConsoleActor

from .conftest import Hub
from .test_push_view_queries import _sent

ADMIN = ConsoleActor("1", "admin", "Admin", ADMINISTRATOR)


def _statements_of(session, call):
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", note)
    try:
        return call(), seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_the_catalogs_limits_are_decoded_once_and_a_new_version_is_read_at_once(hub: Hub) -> None:
    hub.import_demo_catalog()
    with hub.db.read() as session:
        first, _ = _statements_of(session, lambda: case_figures.item_limits(session))
        again, statements = _statements_of(session, lambda: case_figures.item_limits(session))
    assert again == first and first["MZ-002"][1] != 3
    assert statements and not any("documents" in statement for statement in statements)
    with hub.db.write(feed=True) as session:  # 民政 MZ-002: a new version with 3 working days
        city_publishing.publish_item(session, by=ADMIN, code="MZ-002", fields={"promised_limit_days": 3},
                                     version="2025-test-1", now=dt.datetime.now(dt.UTC))
    with hub.db.read() as session:
        changed = case_figures.item_limits(session)
    assert changed["MZ-002"] == (first["MZ-002"][0], 3)
    assert {code: limit for code, limit in changed.items() if code != "MZ-002"} == {
        code: limit for code, limit in first.items() if code != "MZ-002"}
    changed["MZ-002"] = ("mutated by a caller", 0)  # a caller's copy: the next reading is not touched
    with hub.db.read() as session:
        assert case_figures.item_limits(session)["MZ-002"] == (first["MZ-002"][0], 3)


def _selects_of_a_refresh(session, ids: list[str]) -> list[str]:
    _, statements = _statements_of(session, lambda: case_figures.refresh(session, ids))
    return [statement for statement in statements if statement.lstrip().upper().startswith("SELECT")]


def test_the_figures_read_their_cases_by_one_text_whatever_their_number_and_on_their_indexes(hub: Hub) -> None:
    ids = [f"00000000-0000-7000-8000-{n:012d}" for n in range(1, 301)]
    with hub.db.write() as session:  # SET LOCAL on PostgreSQL: this transaction only
        _selects_of_a_refresh(session, ids[:1])  # the catalogs' limits read once before
        one, many = _selects_of_a_refresh(session, ids[:1]), _selects_of_a_refresh(session, ids)
        assert one == many and len(one) >= 4, (one, many)
        connection = session.connection()
        reads = case_figures._READS_BY_JSON if connection.dialect.name == "sqlite" else case_figures._READS_BY_ARRAY
        bound = {"ids": id_lists.bound_ids(ids[:2], as_json=reads.as_json)}
        if connection.dialect.name != "sqlite":
            connection.execute(text("SET LOCAL enable_seqscan = off"))  # few rows: only an index is planned then
        for statement in (reads.cases, reads.steps, reads.proxies, reads.deferred):
            sql, parameters = _sent(connection, statement, bound)
            explain = "EXPLAIN QUERY PLAN " if connection.dialect.name == "sqlite" else "EXPLAIN "
            plan = "\n".join(str(row[-1]) for row in connection.exec_driver_sql(explain + sql, parameters))
            assert "index" in plan.lower(), (sql, plan)
            assert "Seq Scan" not in plan and not any(
                f"SCAN {table}" in plan for table in ("cases", "case_events", "case_proxies", "case_deferred_materials")
            ), plan
        session.rollback()
