"""The console's performance report: the same figures as the command line's, and department
staff read their own department's items only. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from windowdesk.hub.errors import Forbidden
from windowdesk.hub.services import console_reports
from windowdesk.hub.services.console_rights import DEPARTMENT, SUPERVISOR, ConsoleActor
from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.services.reports import city_report, report_json

from .conftest import EventFactory, Hub

PERIOD = {"start": dt.date(2025, 10, 1), "end": dt.date(2025, 10, 31)}
SUPERVISOR_ACTOR = ConsoleActor("1", "sup", "Sup", SUPERVISOR)
LABOUR_STAFF = ConsoleActor("2", "lb", "Lb", DEPARTMENT, "LBJ")
CIVIL_STAFF = ConsoleActor("3", "mz", "Mz", DEPARTMENT, "MZJ")


@pytest.fixture
def two_cases(hub: Hub, demo_catalog: None) -> None:
    window = hub.enroll("CH", "01")
    events = EventFactory(clock=dt.datetime(2025, 10, 9, 2, 0, tzinfo=dt.UTC))
    resident = events.resident()
    labour = events.case(resident["entity_id"], item="LB-002", number="CH-20251009-01-0001")
    civil = events.case(resident["entity_id"], item="MZ-002", number="CH-20251009-01-0002")
    assert {status for status, _ in hub.push_results(window, [resident, labour, civil])} == {"applied"}


def test_a_supervisor_reads_the_city_as_the_command_line_does(hub: Hub, two_cases) -> None:
    with current_figures(hub.db) as session:
        shown = console_reports.report_for(session, actor=SUPERVISOR_ACTOR, by="department", **PERIOD)
        same = city_report(session, by="department", **PERIOD)
    assert report_json(shown) == report_json(same)
    assert {row.key: row.figures.accepted for row in shown.rows} == {"LBJ": 1, "MZJ": 1}


def test_department_staff_read_their_own_items_only(hub: Hub, two_cases) -> None:
    with current_figures(hub.db) as session:
        mine = console_reports.report_for(session, actor=LABOUR_STAFF, by="center", **PERIOD)
        assert mine.total.accepted == 1
        civil = console_reports.report_for(session, actor=CIVIL_STAFF, by="department", department="", **PERIOD)
        assert [row.key for row in civil.rows] == ["MZJ"]
        with pytest.raises(Forbidden):
            console_reports.report_for(session, actor=LABOUR_STAFF, by="center", department="MZJ", **PERIOD)
