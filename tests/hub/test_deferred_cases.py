"""容缺受理 at the hub (SQLite and PostgreSQL): a case accepted with materials to follow
arrives with them and their due date, each arrival is recorded once, what no window may
send is refused, the city report counts such cases apart, and import-catalog refuses a
catalog whose deferral rules are wrong."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from sqlalchemy import select

from windowdesk.hub.cli import main
from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.services.reports import city_report
from windowdesk.hub.storage.models import CaseDeferredMaterial
from windowdesk.paths import resources_dir

from .conftest import EventFactory, Hub, Workstation

ACCEPTED_AT = dt.datetime(2025, 10, 9, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


@pytest.fixture
def events() -> EventFactory:
    return EventFactory(clock=ACCEPTED_AT)


def _deferral(*codes: str, due: str = "2025-10-13") -> dict:
    return {"commitment_date": due, "materials": list(codes)}


def _arrival(events: EventFactory, case: dict, code: str) -> dict:
    return events.event(
        "case.material_arrived",
        "case",
        case["entity_id"],
        {"case_id": case["entity_id"], "material": code, "arrived_at": ACCEPTED_AT.isoformat()},
    )


def test_materials_to_follow_reach_the_hub_and_their_arrival_is_recorded_once(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    resident = events.resident()
    plain = events.case(resident["entity_id"])
    deferred = events.case(resident["entity_id"], deferral=_deferral("M05", "M07"))
    batch = [resident, plain, deferred, _arrival(events, deferred, "M05")]

    first = hub.push_results(window, batch)
    again = hub.push_results(
        window, [_arrival(events, deferred, "M05"), _arrival(events, deferred, "M01"), _arrival(events, plain, "M05")]
    )

    assert [status for status, _reason in first] == ["applied"] * 4
    assert [status for status, _reason in again] == ["rejected"] * 3
    assert "has arrived already" in again[0][1]
    assert "not accepted without material M01" in again[1][1]
    assert "not accepted without material M05" in again[2][1]
    with current_figures(hub.db) as session:
        rows = {
            (r.material_code, r.due_date, r.arrived_at is not None)
            for r in session.scalars(select(CaseDeferredMaterial))
        }
        report = city_report(session, start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 31))
    assert rows == {("M05", dt.date(2025, 10, 13), True), ("M07", dt.date(2025, 10, 13), False)}
    assert (report.total.accepted, report.total.deferred_accepted) == (2, 1)


@pytest.mark.parametrize(
    ("deferral", "words"),
    [
        ({"materials": ["M05"]}, "commitment_date is not an ISO date"),
        (_deferral(), "must list material codes"),
        (_deferral("M05", "M05"), "must list material codes"),
        (_deferral("M05", due="2025-10-01"), "due before the case was accepted"),
    ],
)
def test_a_deferral_no_window_may_send_is_refused(
    hub: Hub, window: Workstation, events: EventFactory, deferral, words
) -> None:
    resident = events.resident()
    results = hub.push_results(window, [resident, events.case(resident["entity_id"], deferral=deferral)])
    assert results[0][0] == "applied" and results[1][0] == "rejected"
    assert words in results[1][1]


def test_import_catalog_refuses_a_deferrable_material_without_a_rule(hub: Hub, tmp_path, capsys) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(resources_dir() / "catalog", folder)
    items = json.loads((folder / "items.json").read_text(encoding="utf-8"))
    next(item for item in items["items"] if item["code"] == "FC-001").pop("deferral")
    (folder / "items.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")

    assert main(hub.cli_args("import-catalog", str(folder))) != 0
    err = capsys.readouterr().err
    assert "FC-001" in err and "no deferral rule" in err
