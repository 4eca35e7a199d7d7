"""The supervision office's red and yellow cards count from the receipt's promised date
moved on by the days the case was suspended (the window's own clock does so), not from
the printed date alone. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from windowdesk.hub.services import time_cards
from windowdesk.hub.services.console_rights import SUPERVISOR, ConsoleActor
from windowdesk.hub.storage.models_figures import CaseFigures

from .conftest import EventFactory, Hub, utc_now

SUPERVISOR_ACTOR = ConsoleActor("1", "sup", "Sup", SUPERVISOR)


def test_a_case_that_waited_for_materials_is_not_late_by_its_printed_date(hub: Hub) -> None:
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    now = utc_now()
    events = EventFactory(clock=now - dt.timedelta(days=20))
    resident = events.resident()
    promised = (now.date() - dt.timedelta(days=1)).isoformat()  # printed: due yesterday
    waited = events.case(resident["entity_id"], item="MZ-002", promised_date=promised)
    plain = events.case(resident["entity_id"], item="MZ-002", promised_date=promised)
    events.clock = now - dt.timedelta(days=15)
    suspended = events.status(waited["entity_id"], "suspend")  # two weeks waiting for materials
    events.clock = now - dt.timedelta(days=1)
    resumed = events.status(waited["entity_id"], "resume")
    batch = [resident, waited, plain, suspended, resumed]
    assert {status for status, _ in hub.push_results(window, batch)} == {"applied"}

    with hub.db.read() as session:
        table = time_cards.card_table(session, actor=SUPERVISOR_ACTOR, now=utc_now(), by="center")
        carded = time_cards.card_cases(session, actor=SUPERVISOR_ACTOR, now=utc_now())
        moved = session.get(CaseFigures, waited["entity_id"]).due_day
    assert (table.red, table.yellow) == (1, 0)
    assert [(row.case_id, row.light.value) for row in carded.rows] == [(plain["entity_id"], "red")]
    assert moved > now.date() + dt.timedelta(days=7)  # about ten working days later than printed
