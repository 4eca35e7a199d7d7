"""The hub keeps each case's promised date (the one on its acceptance receipt): from the
push, and for cases pushed before migration 0014_h26ops from their stored events."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from windowdesk.hub.storage.migrate import alembic_config
from windowdesk.hub.storage.models import Case

from .conftest import EventFactory, Hub


def test_a_pushed_case_keeps_its_promised_date_and_a_malformed_one_is_refused(
    hub: Hub, demo_catalog: None, events: EventFactory
) -> None:
    window = hub.enroll("CH", "01")
    resident = events.resident()
    dated = events.case(resident["entity_id"], promised_date="2026-12-09")
    undated = events.case(resident["entity_id"])
    del undated["payload"]["promised_date"]
    malformed = events.case(resident["entity_id"], promised_date="2026-02-30")

    results = hub.push_results(window, [resident, dated, undated, malformed])

    assert [status for status, _reason in results] == ["applied", "applied", "applied", "rejected"]
    assert "promised_date" in results[3][1]
    with hub.db.read() as session:
        dates = dict(session.execute(select(Case.id, Case.promised_date)).all())
    assert dates == {dated["entity_id"]: dt.date(2026, 12, 9), undated["entity_id"]: None}


def test_0014_takes_the_promised_dates_of_cases_pushed_before_it(
    hub: Hub, demo_catalog: None, events: EventFactory
) -> None:
    window = hub.enroll("CH", "01")
    resident = events.resident()
    first = events.case(resident["entity_id"], promised_date="2026-12-09")
    second = events.case(resident["entity_id"], promised_date="2027-01-04")
    assert {status for status, _ in hub.push_results(window, [resident, first, second])} == {"applied"}

    engine = create_engine(hub.url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0013_h26lead_console_accounts")
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    finally:
        engine.dispose()
    with hub.db.read() as session:
        dates = dict(session.execute(select(Case.id, Case.promised_date)).all())
    assert dates == {first["entity_id"]: dt.date(2026, 12, 9), second["entity_id"]: dt.date(2027, 1, 4)}
