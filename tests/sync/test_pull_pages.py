"""A page of the hub's decisions and notes applied with its cases loaded once for the page
leaves the window's database exactly as applying each change on its own did: statuses,
parallel parts, timelines; a page applied twice adds nothing. The page is read and
written in set-based statements (one statement text whatever its size, no ORM case
objects), and a page mixing every kind of case ends as the apply has always left it."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from sqlalchemy import event, select, text

from windowdesk.domain.case_state import CaseAction, CaseStatus
from windowdesk.domain.case_steps import StepSource
from windowdesk.domain.ids import resident_id_check_char
from windowdesk.services import applicants, cases, intake
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.sync_apply import apply_change, load_page_cases, store_page
from windowdesk.storage import models as m
from windowdesk.storage import sync_queries
from windowdesk.storage.models import sqlite_utc_text_of
from windowdesk.storage.models_quality import CasePart
from windowdesk.sync import protocol

from .hub_process import copy_station, create_station
from .hub_stand_in import HubStandIn

PARALLEL_ITEM = "GS-003"  # 工商 GSJ, 质监 ZJJ, 税务 SWJ
ORDINARY_ITEM = "MZ-002"
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def _accept(station, item: str, n: int, cases: int = 1) -> str:
    """``cases`` cases of ``item`` for resident ``n`` (one digit); returns the last one's id."""
    first17 = f"2309021970010112{n}"
    person = applicants.register_resident(
        station.db, station.ctx, id_number=first17 + resident_id_check_char(first17), name=f"居民{n}"
    )
    guide = get_item_guide(station.db, item_code=item)
    for _case in range(cases):
        case_id = intake.accept_case(
            station.db,
            station.ctx,
            item_code=item,
            applicant=person.ref,
            checks=[intake.MaterialCheck(mat.code, "received") for mat in guide.materials],
            shipped_calendar=station.calendar,
        ).id
    return case_id


def _change(seq: int, kind: str, case_id: str, **payload) -> protocol.Change:
    at = (NOW + dt.timedelta(minutes=seq)).isoformat()
    return protocol.Change(seq, kind, "case", case_id, {"case_id": case_id, "case_number": "", "at": at, **payload})


def _page(parallel: str, ordinary: str) -> list[protocol.Change]:
    decision = protocol.CHANGE_DECISION
    return [
        _change(1, decision, parallel, decision="approve", department="GSJ", note="工商同意", status="in_progress"),
        _change(2, protocol.CHANGE_NOTE, ordinary, department="MZJ", note="材料已收"),
        _change(
            3, decision, ordinary, decision="request_materials", department="MZJ", note="请补充", status="suspended"
        ),
        _change(
            4,
            decision,
            "01a2ffff-0000-7000-8000-000000000000",
            decision="approve",
            department="MZJ",
            note="",
            status="approved",
        ),  # a case of another window: not kept here
        _change(5, decision, parallel, decision="approve", department="ZJJ", note="", status="in_progress"),
        _change(6, decision, parallel, decision="approve", department="XXX", note="目录变更", status="in_progress"),
        _change(7, decision, parallel, decision="approve", department="SWJ", note="税务同意", status="approved"),
        _change(8, decision, ordinary, decision="approve", department="MZJ", note="", status="approved"),
    ]


def _state(station) -> dict:
    with station.db.read() as session:
        cases = {c.id: c.status for c in session.query(m.Case)}
        parts = sorted((p.case_id, p.department_code, p.position, p.status, p.note) for p in session.query(CasePart))
        steps = sorted(
            (e.case_id, e.id, e.position, e.kind, e.from_status, e.to_status, e.note, e.source)
            for e in session.query(m.CaseEvent)
        )
    return {"cases": cases, "parts": parts, "steps": steps}


def _apply_one_by_one_and_paged_twice(one_by_one, paged, page: list[protocol.Change]) -> None:
    """The page one change a transaction at one station, and at the other as the pull applies
    a page, twice (its cursor was lost: the second time adds nothing)."""
    for change in page:
        with one_by_one.db.write() as session:
            apply_change(session, change, now=NOW)
    for _attempt in range(2):
        with paged.db.write() as session:
            loaded = load_page_cases(session, page)
            for change in page:
                apply_change(session, change, now=NOW, page=loaded)
            store_page(session, loaded)


def test_a_page_applied_with_its_cases_loaded_once_equals_one_change_at_a_time(tmp_path: Path) -> None:
    template = create_station(tmp_path / "template", "CH", "01")
    parallel, ordinary = _accept(template, PARALLEL_ITEM, 1), _accept(template, ORDINARY_ITEM, 2)
    template.close()
    one_by_one = copy_station(template, tmp_path / "one-by-one")
    paged = copy_station(template, tmp_path / "paged")
    page = _page(parallel, ordinary)
    try:
        _apply_one_by_one_and_paged_twice(one_by_one, paged, page)
        expected = _state(one_by_one)
        assert _state(paged) == expected
        assert expected["cases"][parallel] == "approved"
        assert expected["cases"][ordinary] == "approved"
        assert len([p for p in expected["parts"] if p[0] == parallel]) == 4
        assert len([s for s in expected["steps"] if s[-1] == "hub"]) == 7
    finally:
        one_by_one.close()
        paged.close()


OTHER_WINDOWS_CASE = "01a2ffff-0000-7000-8000-000000000000"


def _mixed_page(parallel: str, ordinary: str, withdrawn: str, clocked: str) -> list[protocol.Change]:
    """Decisions and notes on every kind of case a page names: an ordinary and a parallel
    case of this window, one the window withdrew while its withdrawal waits in the outbox
    (the hub has not heard of it), one whose clock the back office stops and starts, and
    a case of another window."""
    decision = protocol.CHANGE_DECISION
    return [
        _change(11, decision, parallel, decision="approve", department="GSJ", note="工商同意", status="in_progress"),
        _change(12, protocol.CHANGE_NOTE, ordinary, department="MZJ", note="材料已收"),
        _change(
            13, decision, ordinary, decision="request_materials", department="MZJ", note="请补充", status="suspended"
        ),
        _change(14, decision, OTHER_WINDOWS_CASE, decision="approve", department="MZJ", note="", status="approved"),
        _change(15, decision, withdrawn, decision="approve", department="MZJ", note="同意", status="approved"),
        _change(
            16,
            decision,
            parallel,
            decision="request_materials",
            department="ZJJ",
            note="缺检测报告",
            status="in_progress",
        ),
        _change(
            17,
            decision,
            clocked,
            decision="suspend",
            department="MZJ",
            note="听证",
            status="suspended",
            suspension_kind="hearing",
        ),
        _change(18, decision, parallel, decision="approve", department="XXX", note="目录变更", status="in_progress"),
        _change(19, protocol.CHANGE_NOTE, OTHER_WINDOWS_CASE, department="MZJ", note="别的窗口"),
        _change(20, decision, ordinary, decision="approve", department="MZJ", note="", status="approved"),
        _change(21, decision, clocked, decision="resume", department="MZJ", note="听证结束", status="in_progress"),
        _change(22, decision, parallel, decision="approve", department="SWJ", note="税务同意", status="in_progress"),
        _change(23, protocol.CHANGE_NOTE, clocked, department="MZJ", note="已电话告知"),
    ]


def _whole_state(station) -> dict:
    """Everything a page may touch: each case's status and trigger-kept columns, its
    parts, its timeline in order, and the outbox."""
    with station.db.read() as session:
        case_rows = {c.id: (c.status, c.suspensions, c.finished_at is not None) for c in session.query(m.Case)}
        parts = sorted(
            (p.case_id, p.position, p.department_code, p.status, p.note, p.decided_at) for p in session.query(CasePart)
        )
        steps = sorted(
            (
                e.case_id,
                e.position,
                e.id,
                e.at,
                e.kind,
                e.from_status,
                e.to_status,
                e.note,
                e.source,
                e.suspension_kind,
                e.operator_id is None,
            )
            for e in session.query(m.CaseEvent)
        )
        outbox = sorted((o.kind, o.entity_id, o.state) for o in session.query(m.OutboxEvent))
    return {"cases": case_rows, "parts": parts, "steps": steps, "outbox": outbox}


def _hub_steps(state: dict, case_id: str) -> list[tuple]:
    """A case's hub steps in timeline order: position, kind, from, to, note, suspension kind."""
    return [(s[1], s[4], s[5], s[6], s[7], s[9]) for s in state["steps"] if s[0] == case_id and s[8] == "hub"]


def test_a_page_mixing_every_kind_of_case_ends_as_the_apply_always_left_it(tmp_path: Path) -> None:
    """The outcome written out in full (it is what the apply made before it read and wrote
    its pages in set-based statements): the hub's word wins over a withdrawal still in the
    outbox, which stays there to be sent; parts decide a parallel case; a clock step names
    its kind; a case of another window is left alone; steps follow the local ones."""
    template = create_station(tmp_path / "template", "CH", "01")
    parallel, ordinary = _accept(template, PARALLEL_ITEM, 1), _accept(template, ORDINARY_ITEM, 2)
    withdrawn, clocked = _accept(template, ORDINARY_ITEM, 3), _accept(template, ORDINARY_ITEM, 4)
    cases.change_status(template.db, template.ctx, case_id=withdrawn, action=CaseAction.WITHDRAW, note="申请人撤回")
    template.close()
    paged, one_by_one = copy_station(template, tmp_path / "paged"), copy_station(template, tmp_path / "one-by-one")
    page = _mixed_page(parallel, ordinary, withdrawn, clocked)
    try:
        before = _whole_state(paged)
        _apply_one_by_one_and_paged_twice(one_by_one, paged, page)
        after = _whole_state(paged)
        assert after == _whole_state(one_by_one)

        assert after["cases"] == {
            **before["cases"],
            parallel: ("in_progress", 0, False),  # 质监 still needs materials
            ordinary: ("approved", 1, False),
            withdrawn: ("approved", 0, True),  # the hub's word; finished when withdrawn
            clocked: ("in_progress", 1, False),
        }
        assert OTHER_WINDOWS_CASE not in after["cases"]
        assert after["outbox"] == before["outbox"]  # the withdrawal still waits to be sent
        assert ("case.status", withdrawn, "pending") in after["outbox"]
        assert [(p[1], p[2], p[3], p[4]) for p in after["parts"] if p[0] == parallel] == [
            (0, "GSJ", "approved", "工商同意"),
            (1, "ZJJ", "needs_materials", "缺检测报告"),
            (2, "SWJ", "approved", "税务同意"),
            (3, "XXX", "approved", "目录变更"),
        ]
        assert _hub_steps(after, parallel) == [
            (1, "decision.approve", "accepted", "in_progress", "GSJ 工商同意", None),
            # one part waiting for materials: the case keeps the hub's word, under review
            (2, "decision.request_materials", "in_progress", "in_progress", "ZJJ 缺检测报告", None),
            (3, "decision.approve", "in_progress", "in_progress", "XXX 目录变更", None),
            (4, "decision.approve", "in_progress", "in_progress", "SWJ 税务同意", None),
        ]
        assert _hub_steps(after, ordinary) == [
            (1, "note", None, None, "材料已收", None),
            (2, "decision.request_materials", "accepted", "suspended", "MZJ 请补充", None),
            (3, "decision.approve", "suspended", "approved", "MZJ", None),
        ]
        assert _hub_steps(after, withdrawn) == [(2, "decision.approve", "withdrawn", "approved", "MZJ 同意", None)]
        assert _hub_steps(after, clocked) == [
            (1, "decision.suspend", "accepted", "suspended", "MZJ 听证", "hearing"),
            (2, "decision.resume", "suspended", "in_progress", "MZJ 听证结束", None),
            (3, "note", None, None, "已电话告知", None),
        ]
        with paged.db.read() as session:  # the times stored in the form the ORM gives the window's own
            forms = set(
                session.execute(text("SELECT source, typeof(at), length(at), substr(at, 11, 1) FROM case_events"))
            )
        assert forms == {("window", "text", 26, " "), ("hub", "text", 26, " ")}
        hub_steps = [s for s in after["steps"] if s[8] == "hub"]
        assert len(hub_steps) == 11 and all(s[10] for s in hub_steps)  # no operator: the hub's
        assert {s[2] for s in hub_steps} == {_seq_step_id(c.seq) for c in page if c.entity_id != OTHER_WINDOWS_CASE}
        with paged.db.read() as session:  # the primary key's order is the order they were recorded in
            by_key = list(session.scalars(text("SELECT rowid FROM case_events WHERE source = 'hub' ORDER BY id")))
        assert len(by_key) == 11 and by_key == sorted(by_key)
    finally:
        paged.close()
        one_by_one.close()


def _seq_step_id(seq: int) -> str:
    """A hub step's id: its change's seq as 16 hex digits in a version-8 UUID (sync_apply)."""
    digits = f"{seq:016x}"
    return f"{digits[:8]}-{digits[8:12]}-8{digits[12:15]}-8{digits[15]}00-000000000000"


def _statements_of_a_page(station, page: list[protocol.Change]) -> tuple[list[str], list[object]]:
    """The SQL a page's apply sends, and the session's identity map after it."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    event.listen(station.db.write_engine, "before_cursor_execute", note)
    try:
        with station.db.write() as session:
            loaded = load_page_cases(session, page)
            for change in page:
                apply_change(session, change, now=NOW, page=loaded)
            store_page(session, loaded)
            objects = list(session.identity_map.values())
    finally:
        event.remove(station.db.write_engine, "before_cursor_execute", note)
    return seen, objects


def test_a_page_is_read_and_written_in_the_same_few_statements_whatever_its_size(tmp_path: Path) -> None:
    template = create_station(tmp_path / "template", "CH", "01")
    _accept(template, ORDINARY_ITEM, 1, cases=30)
    with template.db.read() as session:
        ordinary = sorted(session.scalars(select(m.Case.id)))
    template.close()
    small, large = copy_station(template, tmp_path / "small"), copy_station(template, tmp_path / "large")
    decision = protocol.CHANGE_DECISION
    try:
        few, few_objects = _statements_of_a_page(
            small,
            [
                _change(
                    n, decision, case_id, decision="request_materials", department="MZJ", note="", status="suspended"
                )
                for n, case_id in enumerate(ordinary[:2], start=1)
            ],
        )
        many, many_objects = _statements_of_a_page(
            large,
            [
                _change(
                    n, decision, case_id, decision="request_materials", department="MZJ", note="", status="suspended"
                )
                for n, case_id in enumerate(ordinary, start=1)
            ],
        )
        assert few == many  # the same texts: ids bound as one value, rows written by executemany
        # BEGIN; the cases (and whether each has parallel parts), the known steps; the new
        # steps, the statuses. No read of parts: none of these cases has any (before: 6).
        assert len(many) == 5 and many[0] == "BEGIN IMMEDIATE", many
        assert not [sql for sql in many if sql.startswith("SELECT case_parts")], many
        assert not few_objects and not many_objects  # no ORM object made for the bulk
    finally:
        small.close()
        large.close()


def test_a_pages_parallel_parts_are_read_only_when_one_of_its_cases_has_any(tmp_path: Path) -> None:
    """The page's cases come with whether each has parallel parts: the parts are read (one
    statement, those cases alone) for a page that decides a parallel case, and not at all
    for a page of ordinary cases (before: read for every page, every case)."""
    station = create_station(tmp_path / "station", "CH", "01")
    parallel, ordinary = _accept(station, PARALLEL_ITEM, 1), _accept(station, ORDINARY_ITEM, 2)
    decision = protocol.CHANGE_DECISION
    try:
        seen, _objects = _statements_of_a_page(
            station,
            [_change(1, decision, ordinary, decision="approve", department="MZJ", note="", status="in_progress")],
        )
        assert not [sql for sql in seen if sql.startswith("SELECT case_parts")], seen
        with station.db.write() as session:
            rows = sync_queries.page_case_rows(session, [parallel, ordinary])
            assert {case_id: row.has_parts for case_id, row in rows.items()} == {parallel: True, ordinary: False}
            assert set(sync_queries.parts_of_cases(session, [parallel])) == {parallel}
        seen, _objects = _statements_of_a_page(
            station,
            [
                _change(2, decision, ordinary, decision="approve", department="MZJ", note="", status="approved"),
                _change(3, decision, parallel, decision="approve", department="GSJ", note="", status="in_progress"),
            ],
        )
        assert len([sql for sql in seen if sql.startswith("SELECT case_parts")]) == 1, seen
        with station.db.read() as session:
            parts = {p.department_code: p.status for p in session.query(CasePart).filter_by(case_id=parallel)}
        assert parts["GSJ"] == "approved" and {parts["ZJJ"], parts["SWJ"]} == {"pending"}
    finally:
        station.close()


# 0007's definition of the two columns its triggers keep: what the timeline says.
_COLUMNS_FROM_TIMELINE = text(
    "SELECT id, finished_at, suspensions, "
    "(SELECT e.at FROM case_events e WHERE e.case_id = cases.id AND e.to_status IN ('completed', 'withdrawn') "
    "ORDER BY e.position, e.at LIMIT 1), "
    "(SELECT count(*) FROM case_events e WHERE e.case_id = cases.id AND e.to_status = 'suspended') FROM cases"
)


def _counted_page(suspended: str, finished: str, withdrawn: str, noted: str) -> list[protocol.Change]:
    decision = protocol.CHANGE_DECISION
    return [
        _change(31, decision, suspended, decision="request_materials", department="MZJ", note="", status="suspended"),
        _change(32, decision, suspended, decision="resume", department="MZJ", note="", status="in_progress"),
        _change(
            33,
            decision,
            suspended,
            decision="suspend",
            department="MZJ",
            note="检验",
            status="suspended",
            suspension_kind="inspection",
        ),
        _change(34, decision, finished, decision="approve", department="MZJ", note="", status="completed"),
        _change(35, decision, finished, decision="approve", department="MZJ", note="", status="withdrawn"),
        _change(36, decision, withdrawn, decision="approve", department="MZJ", note="", status="completed"),
        _change(37, protocol.CHANGE_NOTE, noted, department="MZJ", note="材料已收"),
    ]


def test_the_pull_keeps_each_cases_suspensions_and_finish_time_as_every_other_writer(tmp_path: Path) -> None:
    """Since 0023 the pull writes a case's suspension count and finish time with its
    status (0007's triggers leave its steps to it): the same values as the triggers give
    every other writer's steps (the window's own here: a suspension, a withdrawal), i.e.
    what the timeline says, also for a page applied twice and one change at a time."""
    template = create_station(tmp_path / "template", "CH", "01")
    suspended, finished = _accept(template, ORDINARY_ITEM, 1), _accept(template, ORDINARY_ITEM, 2)
    withdrawn, noted = _accept(template, ORDINARY_ITEM, 3), _accept(template, ORDINARY_ITEM, 4)
    cases.change_status(template.db, template.ctx, case_id=suspended, action=CaseAction.SUSPEND, note="缺材料")
    cases.change_status(template.db, template.ctx, case_id=suspended, action=CaseAction.RESUME, note="")
    cases.change_status(template.db, template.ctx, case_id=withdrawn, action=CaseAction.WITHDRAW, note="申请人撤回")
    template.close()
    paged, one_by_one = copy_station(template, tmp_path / "paged"), copy_station(template, tmp_path / "one-by-one")
    page = _counted_page(suspended, finished, withdrawn, noted)
    try:
        with paged.db.read() as session:
            before = {row[0]: row[1:3] for row in session.execute(_COLUMNS_FROM_TIMELINE)}
        assert before[suspended][1] == 1 and before[withdrawn][0] is not None  # the window's, by trigger
        _apply_one_by_one_and_paged_twice(one_by_one, paged, page)
        for station in (paged, one_by_one):
            with station.db.read() as session:
                rows = {row[0]: row[1:] for row in session.execute(_COLUMNS_FROM_TIMELINE)}
            assert all(row[:2] == row[2:] for row in rows.values()), rows
            assert rows[suspended][1] == 3  # the window's one and the hub's two
            first_finish = (NOW + dt.timedelta(minutes=34)).strftime("%Y-%m-%d %H:%M:%S.%f")
            assert rows[finished][0] == first_finish  # the first finishing step's time, as stored
            assert rows[withdrawn][0] == before[withdrawn][0]  # finished before: stays
            assert rows[noted][:2] == before[noted]
        assert _whole_state(paged) == _whole_state(one_by_one)
    finally:
        paged.close()
        one_by_one.close()


def test_a_page_writes_each_case_row_once(tmp_path: Path) -> None:
    """A case's status, suspension count and finish time in one write of its row: 0007's
    triggers wrote the count (and moved the case in ix_cases_center_status_promised) for
    each step into "suspended", and the page's status update wrote the row again."""
    template = create_station(tmp_path / "template", "CH", "01")
    _accept(template, ORDINARY_ITEM, 1, cases=6)
    with template.db.read() as session:
        ordinary = sorted(session.scalars(select(m.Case.id)))
    template.close()
    station = copy_station(template, tmp_path / "station")
    decision = protocol.CHANGE_DECISION
    statuses = ["suspended", "completed", "in_progress"]
    page = [
        _change(n, decision, case_id, decision="approve", department="MZJ", note="", status=statuses[n % 3])
        for n, case_id in enumerate(ordinary, start=1)
    ]
    try:
        with station.db.write() as session:
            session.execute(text("CREATE TEMP TABLE row_writes (case_id TEXT)"))
            session.execute(
                text(
                    "CREATE TEMP TRIGGER count_row_writes AFTER UPDATE ON main.cases "
                    "BEGIN INSERT INTO row_writes VALUES (NEW.id); END"
                )
            )
            loaded = load_page_cases(session, page)
            for change in page:
                apply_change(session, change, now=NOW, page=loaded)
            store_page(session, loaded)
            writes = list(session.scalars(text("SELECT case_id FROM row_writes")))
            rows = {row[0]: row[1:] for row in session.execute(_COLUMNS_FROM_TIMELINE)}
        assert sorted(writes) == ordinary  # each case once
        assert all(row[:2] == row[2:] for row in rows.values()), rows
        assert sorted(row[1] for row in rows.values()) == [0, 0, 0, 0, 1, 1]
        assert len([row for row in rows.values() if row[0] is not None]) == 2
    finally:
        station.close()


def test_the_bulk_writes_store_each_value_as_its_column_type_does_and_refuse_a_word_outside_its_set(
    tmp_path: Path,
) -> None:
    """The page's rows are put in their stored form a column at a time (a fixed-value
    column's words once each): an enum member and its plain word store the same text,
    a time its UTC text, and a word outside the set still fails the statement."""
    station = create_station(tmp_path / "station", "CH", "01")
    case_id = _accept(station, ORDINARY_ITEM, 1)
    at = sqlite_utc_text_of(NOW.isoformat(), NOW)

    def step(step_id: str, position: int, from_status: str | None, to_status: str) -> sync_queries.HubStep:
        return (step_id, case_id, position, at, "note", from_status, to_status, "", None)

    try:
        with station.db.write() as session:
            sync_queries.insert_hub_steps(
                session,
                [
                    step("s-1", 1, "accepted", CaseStatus.SUSPENDED),
                    step("s-2", 2, None, "suspended"),
                    step("s-3", 3, "suspended", "suspended"),
                ],
            )
        with station.db.read() as session:
            stored = session.execute(
                text("SELECT id, from_status, to_status, source, at FROM case_events WHERE id LIKE 's-%' ORDER BY id")
            ).all()
        assert stored == [
            ("s-1", "accepted", "suspended", "hub", "2026-11-25 09:00:00.000000"),
            ("s-2", None, "suspended", "hub", "2026-11-25 09:00:00.000000"),
            ("s-3", "suspended", "suspended", "hub", "2026-11-25 09:00:00.000000"),
        ]
        with pytest.raises(ValueError, match="'fax' is not a valid CaseStatus"), station.db.write() as session:
            sync_queries.insert_hub_steps(session, [step("s-4", 4, None, "suspended"), step("s-5", 5, None, "fax")])
        with station.db.read() as session:
            assert session.scalar(text("SELECT count(*) FROM case_events WHERE id IN ('s-4', 's-5')")) == 0
    finally:
        station.close()


def test_the_page_reads_go_through_indexes(tmp_path: Path) -> None:
    """The page's cases by their key, each timeline's end and the known steps by index."""
    station = create_station(tmp_path / "station", "CH", "01")
    try:
        with station.db.read() as session:
            connection = session.connection()
            plans = {}
            for name, statement in (("cases", sync_queries._PAGE_CASES), ("steps", sync_queries._EXISTING_EVENTS)):
                plans[name] = [
                    row[-1]
                    for row in connection.exec_driver_sql(
                        f"EXPLAIN QUERY PLAN {statement.compile(connection)}", ("[]",)
                    )
                ]
        assert "SEARCH cases USING INDEX sqlite_autoindex_cases_1 (id=?)" in plans["cases"], plans
        assert "SEARCH case_events USING COVERING INDEX ix_case_events_timeline (case_id=?)" in plans["cases"], plans
        assert "SEARCH case_parts USING COVERING INDEX ix_case_parts_case_id (case_id=?)" in plans["cases"], plans
        assert "SEARCH case_events USING COVERING INDEX sqlite_autoindex_case_events_1 (id=?)" in plans["steps"], plans
        assert not [step for plan in plans.values() for step in plan if step.startswith("SCAN case")], plans
    finally:
        station.close()


class _PagedHub(HubStandIn):
    """Calendar changes in pages of two; one change may be unreadable."""

    def __init__(self, count: int, unreadable: int | None = None) -> None:
        self.feed = [
            protocol.Change(
                seq,
                protocol.CHANGE_CALENDAR,
                "calendar",
                f"2027-01-{seq:02d}",
                {"day": f"2027-01-{seq:02d}", "is_working_day": True, "note": f"#{seq}"}
                if seq != unreadable
                else {"day": "not a day"},
            )
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


class _PagesAlwaysHere(_PagedHub):
    """The same feed, and a pull that finds each next page already fetched whenever it
    looks: the window's write statements wait until every page asked for is answered (so
    that whether pages are applied together does not depend on the threads' timing)."""

    def __init__(self, count: int, unreadable: int | None = None) -> None:
        super().__init__(count, unreadable)
        self.answered = 0

    def changes(self, after: int, limit: int) -> protocol.ChangesPage:
        page = super().changes(after, limit)
        self.answered += 1
        return page

    def wait_for_answers(self, *_args) -> None:
        deadline = time.monotonic() + 10
        while self.answered < len(self.asked) and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(0.005)  # the answer handed to the pull's future


def _pull_with_pages_here(station, hub: _PagesAlwaysHere) -> tuple[object, list[int]]:
    """One sync; returns its report and the cursor committed by each write transaction."""
    from windowdesk.services import sync as sync_service

    cursors: list[int] = []

    def committed(connection) -> None:
        cursor = connection.exec_driver_sql(
            "SELECT value FROM local_settings WHERE key = ?", (sync_service.KEY_CURSOR,)
        ).scalar()
        cursors.append(int(cursor or 0))

    event.listen(station.db.write_engine, "before_cursor_execute", hub.wait_for_answers)
    event.listen(station.db.write_engine, "commit", committed)
    try:
        report = sync_service.SyncRunner(station.db, hub, pull_page=2, retries=0).run()
    finally:
        event.remove(station.db.write_engine, "before_cursor_execute", hub.wait_for_answers)
        event.remove(station.db.write_engine, "commit", committed)
    return report, cursors


def test_pages_already_fetched_are_applied_together_and_end_as_page_by_page(tmp_path: Path) -> None:
    from windowdesk.services import sync as sync_service

    station = create_station(tmp_path / "station", "CH", "01")
    try:
        hub = _PagesAlwaysHere(15)
        report, cursors = _pull_with_pages_here(station, hub)
        assert report.ok, report.error
        assert report.pulled == 15
        assert hub.asked == [0, 2, 4, 6, 8, 10, 12, 14]
        # Eight pages in two transactions of PULL_RUN_PAGES, each moving the cursor past
        # its last page (the sync's later transactions find the cursor where it is).
        assert list(dict.fromkeys(c for c in cursors if c)) == [8, 15]
        assert sync_service.PULL_RUN_PAGES == 4
        assert sync_service.sync_status(station.db).cursor == 15
        assert _overrides(station) == {f"2027-01-{n:02d}": f"#{n}" for n in range(1, 16)}
    finally:
        station.close()


def test_a_page_that_fails_in_a_run_keeps_the_pages_before_it_and_nothing_of_itself(tmp_path: Path) -> None:
    from windowdesk.services import sync as sync_service

    station = create_station(tmp_path / "station", "CH", "01")
    try:
        # Change 6 is in the third page of the first run (pages 1-2, 3-4, 5-6, 7-8).
        report, _cursors = _pull_with_pages_here(station, _PagesAlwaysHere(15, unreadable=6))
        assert isinstance(report.error, sync_service.UnreadableChange)
        assert report.pulled == 4
        assert sync_service.sync_status(station.db).cursor == 4
        assert sorted(_overrides(station)) == [f"2027-01-{n:02d}" for n in range(1, 5)]  # nothing of 5-6

        fixed = _PagesAlwaysHere(15)
        report, _cursors = _pull_with_pages_here(station, fixed)
        assert report.ok, report.error
        assert fixed.asked[0] == 4
        assert _overrides(station) == {f"2027-01-{n:02d}": f"#{n}" for n in range(1, 16)}
    finally:
        station.close()


class _DecisionsOnOneCase(HubStandIn):
    """``count`` decisions on one case, ``limit`` to a page: a pull of many changes made
    quickly (the hub's word may repeat a status)."""

    def __init__(self, case_id: str, count: int) -> None:
        self.case_id, self.count = case_id, count

    def push_encoded(self, batch: protocol.EncodedPush) -> protocol.PushAnswer:
        return protocol.PushAnswer([protocol.PushResult(e, protocol.APPLIED, "") for e in batch.event_ids], 1)

    def changes(self, after: int, limit: int) -> protocol.ChangesPage:
        seqs = range(after + 1, min(self.count, after + limit) + 1)
        page = tuple(
            _change(
                seq,
                protocol.CHANGE_DECISION,
                self.case_id,
                decision="approve",
                department="MZJ",
                note="",
                status="in_progress",
            )
            for seq in seqs
        )
        return protocol.ChangesPage(page, seqs[-1] if seqs else after, bool(seqs) and seqs[-1] < self.count)


def test_the_collector_does_not_walk_the_young_objects_while_a_run_of_pages_is_applied(tmp_path: Path) -> None:
    """A page of decisions makes tens of thousands of short-lived objects and no garbage
    cycle: while a run of pages is applied (its write transaction open) the collector's
    youngest generation waits (services/sync.py, PULL_YOUNG_GC_THRESHOLD), and its
    threshold is as it was once the run ends."""
    import gc

    from windowdesk.services import sync as sync_service

    station = create_station(tmp_path / "station", "CH", "01")
    case_id = _accept(station, ORDINARY_ITEM, 1)
    in_transaction: list[bool] = [False]
    collections = {"inside": 0, "outside": 0}

    def began(connection) -> None:
        in_transaction[0] = True

    def ended(connection) -> None:
        in_transaction[0] = False

    def collected(phase: str, info: dict) -> None:
        if phase == "start":
            collections["inside" if in_transaction[0] else "outside"] += 1

    threshold = gc.get_threshold()
    event.listen(station.db.write_engine, "begin", began)
    event.listen(station.db.write_engine, "commit", ended)
    event.listen(station.db.write_engine, "rollback", ended)
    gc.callbacks.append(collected)
    try:
        report = sync_service.SyncRunner(
            station.db, _DecisionsOnOneCase(case_id, 3_000), pull_page=500, retries=0
        ).run()
    finally:
        gc.callbacks.remove(collected)
        event.remove(station.db.write_engine, "begin", began)
        event.remove(station.db.write_engine, "commit", ended)
        event.remove(station.db.write_engine, "rollback", ended)
        station.close()
    assert report.ok, report.error
    assert report.pulled == 3_000
    assert collections["inside"] == 0, collections  # before: one every ~700 objects, dozens
    assert gc.get_threshold() == threshold


def test_a_page_of_decisions_does_not_read_the_clock_for_each_change(tmp_path: Path) -> None:
    """A decision or a note does not use the time of its applying (only the other kinds
    do): the pull reads the clock for those alone, not once for each of a page's 1,000
    decisions (before: once a change, 300 here)."""
    from windowdesk.services import sync as sync_service

    station = create_station(tmp_path / "station", "CH", "01")
    case_id = _accept(station, ORDINARY_ITEM, 1)
    readings = [0]

    def clock() -> dt.datetime:
        readings[0] += 1
        return NOW

    try:
        report = sync_service.SyncRunner(
            station.db, _DecisionsOnOneCase(case_id, 300), pull_page=100, retries=0, clock=clock
        ).run()
        assert report.ok, report.error
        assert report.pulled == 300
        assert readings[0] < 10, readings  # the sync's own times (its end), not the changes'
        with station.db.read() as session:
            steps = session.execute(
                select(m.CaseEvent.position, m.CaseEvent.kind, m.CaseEvent.to_status, m.CaseEvent.at)
                .where(m.CaseEvent.case_id == case_id, m.CaseEvent.source == StepSource.HUB)
                .order_by(m.CaseEvent.position)
            ).all()
        assert [step[:3] for step in steps] == [(n, "decision.approve", CaseStatus.IN_PROGRESS) for n in range(1, 301)]
        assert [step[3] for step in steps] == [NOW + dt.timedelta(minutes=seq) for seq in range(1, 301)]
    finally:
        station.close()


def test_a_pages_hub_steps_are_stored_as_every_step_is(tmp_path: Path) -> None:
    """The pull's steps go in as tuples of their columns (sync_queries.insert_hub_steps),
    not a dict each, their time as its stored text (models.sqlite_utc_text_of): the same
    stored row as the ORM gives the same step, source "hub" and no operator, and
    a word outside its set still fails the statement."""
    station = create_station(tmp_path / "station", "CH", "01")
    case_id = _accept(station, ORDINARY_ITEM, 1)
    later = NOW.astimezone(dt.timezone(dt.timedelta(hours=8)))
    try:
        with station.db.write() as session:
            session.add(  # the same step as the ORM stores it
                m.CaseEvent(
                    id="d-1",
                    case_id=case_id,
                    position=1,
                    at=later,
                    kind="decision.request_materials",
                    from_status="accepted",
                    to_status=CaseStatus.SUSPENDED,
                    note="MZJ 请补充",
                    operator_id=None,
                    source=StepSource.HUB,
                    suspension_kind=None,
                )
            )
            session.flush()
            sync_queries.insert_hub_steps(
                session,
                [
                    (
                        *(
                            "t-1",
                            case_id,
                            1,
                            sqlite_utc_text_of(later.isoformat(), later),
                            "decision.request_materials",
                        ),
                        *("accepted", CaseStatus.SUSPENDED, "MZJ 请补充", None),
                    ),
                    ("t-2", case_id, 2, sqlite_utc_text_of(NOW.isoformat(), NOW), "note", None, None, "", None),
                ],
            )
        columns = "position, at, kind, from_status, to_status, note, operator_id, source, suspension_kind"
        with station.db.read() as session:
            stored = {
                row[0]: tuple(row[1:])
                for row in session.execute(text(f"SELECT id, {columns} FROM case_events WHERE source = 'hub'"))
            }
        assert stored["t-1"] == stored["d-1"]
        assert stored["t-1"] == (
            1,
            "2026-11-25 09:00:00.000000",
            "decision.request_materials",
            "accepted",
            "suspended",
            "MZJ 请补充",
            None,
            "hub",
            None,
        )
        assert stored["t-2"] == (2, "2026-11-25 09:00:00.000000", "note", None, None, "", None, "hub", None)
        with pytest.raises(ValueError, match="'fax' is not a valid CaseStatus"), station.db.write() as session:
            sync_queries.insert_hub_steps(
                session, [("t-3", case_id, 3, "2026-11-25 09:00:00.000000", "note", None, "fax", "", None)]
            )
        with station.db.read() as session:
            assert session.scalar(text("SELECT count(*) FROM case_events WHERE id = 't-3'")) == 0
    finally:
        station.close()
