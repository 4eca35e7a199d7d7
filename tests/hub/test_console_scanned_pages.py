"""A case's scanned pages in the console: the deciding department's staff open them (each
opening recorded twice: with the page, and in the hub's audit log); the supervision office
sees that pages exist, not the pages. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from windowdesk.hub.errors import Forbidden
from windowdesk.hub.services import department_work, hub_audit
from windowdesk.hub.services.console_rights import DEPARTMENT, SUPERVISOR, ConsoleActor
from windowdesk.hub.services.figure_catchup import current_figures

from .conftest import EventFactory, Hub, utc_now
from .test_case_pages_access import case_with_pages, readings

CIVIL_STAFF = ConsoleActor("1", "mz", "Mz", DEPARTMENT, "MZJ")
SUPERVISOR_ACTOR = ConsoleActor("2", "sup", "Sup", SUPERVISOR)


def test_the_deciding_department_opens_a_page_and_the_opening_is_recorded(hub: Hub, events: EventFactory) -> None:
    case_id, (first, waiting), data = case_with_pages(hub, events)
    store = hub.client.app.state.page_store
    with current_figures(hub.db) as session:
        record = department_work.case_record(session, actor=CIVIL_STAFF, case_ref=case_id, now=utc_now())
    assert [(p.page_id, p.stored) for p in record.pages] == [(first["page_id"], True), (waiting["page_id"], False)]
    assert readings(hub) == []  # the case page lists, it does not read

    page, read = hub.db.run_write(
        lambda session: department_work.read_scanned_page(
            session, store, actor=CIVIL_STAFF, case_ref=case_id, page_id=first["page_id"], now=utc_now()
        )
    )
    assert read == data and page.mime == "image/jpeg"
    assert readings(hub) == [("department", "MZJ", first["page_id"])]
    with current_figures(hub.db) as session:
        entries = [
            (e.actor, e.action, e.detail["page"])
            for e in hub_audit.entries_for(session, entity="case", entity_id=case_id)
        ]
    assert entries == [("console:mz", "case_page.read", first["page_id"])]


def test_the_supervision_office_sees_that_pages_exist_but_cannot_open_them(hub: Hub, events: EventFactory) -> None:
    case_id, (first, _waiting), _data = case_with_pages(hub, events)
    store = hub.client.app.state.page_store
    with current_figures(hub.db) as session:
        record = department_work.case_record(session, actor=SUPERVISOR_ACTOR, case_ref=case_id, now=utc_now())
    assert len(record.pages) == 2
    with pytest.raises(Forbidden):
        hub.db.run_write(
            lambda session: department_work.read_scanned_page(
                session, store, actor=SUPERVISOR_ACTOR, case_ref=case_id, page_id=first["page_id"], now=utc_now()
            )
        )
    assert readings(hub) == []
