"""A page of the hub's decisions and notes applied with its cases loaded once for the page
leaves the window's database exactly as applying each change on its own did: statuses,
parallel parts, timelines; a page applied twice adds nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from windowdesk.domain.ids import resident_id_check_char
from windowdesk.services import applicants, intake
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.sync_apply import apply_change, load_page_cases, store_page
from windowdesk.storage import models as m
from windowdesk.storage.models_quality import CasePart
from windowdesk.sync import protocol

from .hub_process import copy_station, create_station
from .hub_stand_in import HubStandIn

PARALLEL_ITEM = "GS-003"  # 工商 GSJ, 质监 ZJJ, 税务 SWJ
ORDINARY_ITEM = "MZ-002"
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def _accept(station, item: str, n: int) -> str:
    first17 = f"2309021970010112{n}"
    person = applicants.register_resident(station.db, station.ctx, id_number=first17 + resident_id_check_char(first17),
                                          name=f"居民{n}")
    guide = get_item_guide(station.db, item_code=item)
    return intake.accept_case(station.db, station.ctx, item_code=item, applicant=person.ref,
                              checks=[intake.MaterialCheck(mat.code, "received") for mat in guide.materials],
                              shipped_calendar=station.calendar).id


def _change(seq: int, kind: str, case_id: str, **payload) -> protocol.Change:
    at = (NOW + dt.timedelta(minutes=seq)).isoformat()
    return protocol.Change(seq, kind, "case", case_id, {"case_id": case_id, "case_number": "", "at": at, **payload})


def _page(parallel: str, ordinary: str) -> list[protocol.Change]:
    decision = protocol.CHANGE_DECISION
    return [
        _change(1, decision, parallel, decision="approve", department="GSJ", note="工商同意", status="in_progress"),
        _change(2, protocol.CHANGE_NOTE, ordinary, department="MZJ", note="材料已收"),
        _change(3, decision, ordinary, decision="request_materials", department="MZJ", note="请补充", status="suspended"),
        _change(4, decision, "01a2ffff-0000-7000-8000-000000000000", decision="approve", department="MZJ", note="",
                status="approved"),  # a case of another window: not kept here
        _change(5, decision, parallel, decision="approve", department="ZJJ", note="", status="in_progress"),
        _change(6, decision, parallel, decision="approve", department="XXX", note="目录变更", status="in_progress"),
        _change(7, decision, parallel, decision="approve", department="SWJ", note="税务同意", status="approved"),
        _change(8, decision, ordinary, decision="approve", department="MZJ", note="", status="approved"),
    ]


def _state(station) -> dict:
    with station.db.read() as session:
        cases = {c.id: c.status for c in session.query(m.Case)}
        parts = sorted((p.case_id, p.department_code, p.position, p.status, p.note) for p in session.query(CasePart))
        steps = sorted((e.case_id, e.id, e.position, e.kind, e.from_status, e.to_status, e.note, e.source)
                       for e in session.query(m.CaseEvent))
    return {"cases": cases, "parts": parts, "steps": steps}


def test_a_page_applied_with_its_cases_loaded_once_equals_one_change_at_a_time(tmp_path: Path) -> None:
    template = create_station(tmp_path / "template", "CH", "01")
    parallel, ordinary = _accept(template, PARALLEL_ITEM, 1), _accept(template, ORDINARY_ITEM, 2)
    template.close()
    one_by_one = copy_station(template, tmp_path / "one-by-one")
    paged = copy_station(template, tmp_path / "paged")
    page = _page(parallel, ordinary)
    try:
        for change in page:
            with one_by_one.db.write() as session:
                apply_change(session, change, now=NOW)
        for _attempt in range(2):  # the same page again (its cursor was lost): nothing more
            with paged.db.write() as session:
                cases = load_page_cases(session, page)
                for change in page:
                    apply_change(session, change, now=NOW, page=cases)
                store_page(session, cases)
        expected = _state(one_by_one)
        assert _state(paged) == expected
        assert expected["cases"][parallel] == "approved"
        assert expected["cases"][ordinary] == "approved"
        assert len([p for p in expected["parts"] if p[0] == parallel]) == 4
        assert len([s for s in expected["steps"] if s[-1] == "hub"]) == 7
    finally:
        one_by_one.close()
        paged.close()


class _PagedHub(HubStandIn):
    """Calendar changes in pages of two; one change may be unreadable."""

    def __init__(self, count: int, unreadable: int | None = None) -> None:
        self.feed = [
            protocol.Change(seq, protocol.CHANGE_CALENDAR, "calendar", f"2027-01-{seq:02d}",
                            {"day": f"2027-01-{seq:02d}", "is_working_day": True, "note": f"#{seq}"}
                            if seq != unreadable else {"day": "not a day"})
            for seq in range(1, count + 1)
        ]
        self.asked: list[int] = []

    def push(self, events):
        return [protocol.PushResult(e["event_id"], protocol.APPLIED, "") for e in events]

    def changes(self, after: int, limit: int) -> protocol.ChangesPage:
        self.asked.append(after)
        page = [c for c in self.feed if c.seq > after][:limit]
        next_cursor = page[-1].seq if page else after
        return protocol.ChangesPage(tuple(page), next_cursor, any(c.seq > next_cursor for c in self.feed))


def _overrides(station) -> dict[str, str]:
    with station.db.read() as session:
        return {o.day.isoformat(): o.note for o in session.query(m.CalendarOverride)}


def test_pages_are_asked_for_ahead_but_the_cursor_moves_only_with_applied_changes(tmp_path: Path) -> None:
    from windowdesk.services import sync as sync_service

    station = create_station(tmp_path / "station", "CH", "01")
    try:
        broken = _PagedHub(7, unreadable=4)
        report = sync_service.SyncRunner(station.db, broken, pull_page=2, retries=0).run()
        assert isinstance(report.error, sync_service.UnreadableChange)
        assert sync_service.sync_status(station.db).cursor == 2
        assert sorted(_overrides(station)) == ["2027-01-01", "2027-01-02"]  # nothing of the page with #4
        assert broken.asked[:2] == [0, 2]

        fixed = _PagedHub(7)
        report = sync_service.SyncRunner(station.db, fixed, pull_page=2, retries=0).run()
        assert report.ok, report.error
        assert fixed.asked == [2, 4, 6]
        assert report.pulled == 5
        assert sync_service.sync_status(station.db).cursor == 7
        assert _overrides(station) == {f"2027-01-{n:02d}": f"#{n}" for n in range(1, 8)}
    finally:
        station.close()
