"""The supervision office's red and yellow cards count from the receipt's promised date
moved on by the days the case was suspended (the window's own clock does so), not from
the printed date alone; a department's queue and the case's page light the same card
from the same date (time_cards.card_due_date). On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from windowdesk.domain.time_limits import Light
from windowdesk.hub.services import department_work, time_cards
from windowdesk.hub.services.console_rights import DEPARTMENT, SUPERVISOR, ConsoleActor
from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.storage.models_figures import CaseFigures

from .conftest import EventFactory, Hub, utc_now

SUPERVISOR_ACTOR = ConsoleActor("1", "sup", "Sup", SUPERVISOR)
CIVIL_AFFAIRS = ConsoleActor("2", "mzj", "MZJ", DEPARTMENT, "MZJ")  # MZ-002's department


def test_a_case_that_waited_for_materials_is_not_late_by_its_printed_date(hub: Hub, demo_catalog: None) -> None:
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

    with current_figures(hub.db) as session:
        table = time_cards.card_table(session, actor=SUPERVISOR_ACTOR, now=utc_now(), by="center")
        carded = time_cards.card_cases(session, actor=SUPERVISOR_ACTOR, now=utc_now())
        moved = session.get(CaseFigures, waited["entity_id"]).due_day
    assert (table.red, table.yellow) == (1, 0)
    assert [(row.case_id, row.light.value) for row in carded.rows] == [(plain["entity_id"], "red")]
    assert moved > now.date() + dt.timedelta(days=7)  # about ten working days later than printed


def test_the_queue_and_the_case_page_light_the_supervision_office_s_card(hub: Hub, demo_catalog: None) -> None:
    """Printed due yesterday: red on every page for the case that never waited; for the
    one that waited two weeks for materials, green everywhere (the printed date alone
    made the queue and the case page show it red while the supervision office did not)."""
    window = hub.enroll("CH", "01")
    now = utc_now()
    events = EventFactory(clock=now - dt.timedelta(days=20))
    resident = events.resident()
    promised = (now.date() - dt.timedelta(days=1)).isoformat()
    waited = events.case(resident["entity_id"], item="MZ-002", promised_date=promised)
    plain = events.case(resident["entity_id"], item="MZ-002", promised_date=promised)
    events.clock = now - dt.timedelta(days=15)
    suspended = events.status(waited["entity_id"], "suspend")
    events.clock = now - dt.timedelta(days=1)
    resumed = events.status(waited["entity_id"], "resume")
    assert {status for status, _ in hub.push_results(window, [resident, waited, plain, suspended, resumed])} == {
        "applied"
    }

    with current_figures(hub.db) as session:
        queue = department_work.department_queue(session, actor=CIVIL_AFFAIRS, now=utc_now())
        pages = {
            case_id: department_work.case_record(session, actor=CIVIL_AFFAIRS, case_ref=case_id, now=utc_now())
            for case_id in (waited["entity_id"], plain["entity_id"])
        }
        carded = time_cards.card_cases(session, actor=SUPERVISOR_ACTOR, now=utc_now())
        moved = session.get(CaseFigures, waited["entity_id"]).due_day
    # The most urgent first: the red case, then the one whose date moved on.
    assert [(row.case_id, row.light, row.promised_date) for row in queue.rows] == [
        (plain["entity_id"], Light.RED, dt.date.fromisoformat(promised)),
        (waited["entity_id"], Light.GREEN, moved),
    ]
    assert (pages[plain["entity_id"]].light, pages[waited["entity_id"]].light) == (Light.RED, Light.GREEN)
    assert pages[waited["entity_id"]].promised_date == moved
    assert [(row.case_id, row.light) for row in carded.rows] == [(plain["entity_id"], Light.RED)]
