"""容缺受理 at the window, on a real SQLite file: accepting with deferrable materials to
follow, recording their arrival, and the catalog's rule once the committed day passed.

MZ-002 (城市医疗救助, promised 10 working days) defers M05 and M07 and suspends when they
do not come; FC-001 (房屋产权登记) defers M05 and refuses on its legal basis.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select

from windowdesk.domain.deferral import DeferralTerms
from windowdesk.errors import ValidationError
from windowdesk.services import deferrals, intake, reports, worklist
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.intake import CORRECTION, MISSING, RECEIVED, MaterialCheck
from windowdesk.storage import models as m

from .test_intake_service import accept, at, resident

MONDAY = "2026-03-02 09:30"  # promised date of MZ-002 accepted then: 2026-03-16


def _checks(demo, item: str, marks: dict[str, tuple[str, str]]) -> list[MaterialCheck]:
    return [
        MaterialCheck(mat.code, *marks.get(mat.code, (RECEIVED, "")))
        for mat in get_item_guide(demo.db, item_code=item).materials
    ]


def _accept(demo, ctx, item: str = "MZ-002", marks=None, committed: dt.date | None = dt.date(2026, 3, 9)):
    return intake.accept_case(
        demo.db,
        ctx,
        item_code=item,
        applicant=resident(demo.db),
        checks=_checks(demo, item, marks if marks is not None else {"M05": (MISSING, ""), "M07": (MISSING, "")}),
        shipped_calendar=demo.calendar,
        deferral=DeferralTerms(committed) if committed else None,
    )


def _materials(demo, case_id: str) -> dict[str, tuple[str, dt.date | None]]:
    with demo.db.read() as session:
        return {mat.material_code: (mat.status, mat.due_date) for mat in session.get(m.Case, case_id).materials}


def test_a_case_is_accepted_with_its_deferrable_materials_to_follow_and_its_clock_running(demo):
    ctx = at(demo.ctx, MONDAY)

    result = _accept(demo, ctx)

    assert result.kind == "case" and result.deferred and result.promised_date == dt.date(2026, 3, 16)
    materials = _materials(demo, result.id)
    assert materials["M05"] == materials["M07"] == ("deferred", dt.date(2026, 3, 9))
    assert materials["M01"] == ("received", None)
    with demo.db.read() as session:
        case = session.get(m.Case, result.id)
        assert case.status == "accepted"  # accepted, not suspended: the clock runs
        payload = session.scalars(select(m.OutboxEvent.payload).where(m.OutboxEvent.entity_id == result.id)).one()
    assert payload["deferral"] == {"commitment_date": "2026-03-09", "materials": ["M05", "M07"]}
    [due] = {(row.case_number, row.due_date, row.overdue) for row in deferrals.materials_to_follow(demo.db, ctx)}
    assert due == (result.number, dt.date(2026, 3, 9), False)
    # The case's details say which materials follow, in words.
    detail = worklist.get_record_detail(demo.db, ctx, kind="case", record_id=result.id)
    assert [line[1] for line in detail.lines].count("To follow (容缺受理)") == 2


@pytest.mark.parametrize(
    ("item", "marks", "committed", "words"),
    [
        ("MZ-001", {"M01": (MISSING, "")}, dt.date(2026, 3, 9), "allows no deferral"),
        ("MZ-002", {"M01": (MISSING, "")}, dt.date(2026, 3, 9), "Not so: 申请人居民身份证"),
        ("MZ-002", {"M05": (CORRECTION, "金额不清")}, dt.date(2026, 3, 9), "only when they are missing"),
        ("MZ-002", {}, dt.date(2026, 3, 9), "No material is missing"),
        ("MZ-002", {"M05": (MISSING, "")}, dt.date(2026, 3, 17), "promised completion date (2026-03-16)"),
        ("MZ-002", {"M05": (MISSING, "")}, dt.date(2026, 3, 1), "in the past"),
    ],
)
def test_a_deferral_the_rules_do_not_allow_is_refused_and_nothing_is_saved(demo, item, marks, committed, words):
    ctx = at(demo.ctx, MONDAY)
    with pytest.raises(ValidationError) as refused:
        _accept(demo, ctx, item, marks, committed)
    assert words in refused.value.message
    with demo.db.read() as session:
        assert session.scalars(select(m.Case)).all() == []


def test_without_a_deferral_missing_materials_still_block_acceptance(demo):
    with pytest.raises(ValidationError, match="one-time notification"):
        _accept(demo, at(demo.ctx, MONDAY), committed=None)


def test_an_arrival_is_recorded_and_the_material_leaves_the_watch(demo):
    ctx = at(demo.ctx, MONDAY)
    case = _accept(demo, ctx)

    deferrals.record_arrival(demo.db, at(demo.ctx, "2026-03-05 10:00"), case_id=case.id, material_code="M05")

    assert _materials(demo, case.id)["M05"] == ("received", dt.date(2026, 3, 9))  # its due date kept
    with demo.db.read() as session:
        arrived = next(mat.arrived_at for mat in session.get(m.Case, case.id).materials if mat.material_code == "M05")
    assert arrived == dt.datetime(2026, 3, 5, 2, 0, tzinfo=dt.UTC)
    assert [row.material_code for row in deferrals.materials_to_follow(demo.db, ctx)] == ["M07"]
    with demo.db.read() as session:
        sent = session.scalars(select(m.OutboxEvent).where(m.OutboxEvent.kind == "case.material_arrived")).one()
        assert sent.payload["material"] == "M05" and sent.entity_id == case.id
    with pytest.raises(ValidationError):
        deferrals.record_arrival(demo.db, ctx, case_id=case.id, material_code="M05")  # not awaited any more


def test_the_rule_applies_only_after_the_committed_day_and_suspends_in_one_step(demo):
    case = _accept(demo, at(demo.ctx, MONDAY))
    on_the_day = at(demo.ctx, "2026-03-09 17:00")
    assert not deferrals.materials_to_follow(demo.db, on_the_day)[0].overdue
    with pytest.raises(ValidationError, match="past the date"):
        deferrals.apply_deferral_rule(demo.db, on_the_day, case_id=case.id)

    day_after = at(demo.ctx, "2026-03-10 09:00")
    assert all(row.overdue and row.rule == "suspend" for row in deferrals.materials_to_follow(demo.db, day_after))
    assert deferrals.apply_deferral_rule(demo.db, day_after, case_id=case.id) == "suspended"

    with demo.db.read() as session:
        step = session.get(m.Case, case.id).events[-1]
        assert step.to_status == "suspended" and "2026-03-09" in step.note and "第二十九条" in step.note


def test_the_refusing_rule_decides_the_case_with_the_legal_basis(demo):
    case = _accept(
        demo, at(demo.ctx, MONDAY), item="FC-001", marks={"M05": (MISSING, "")}, committed=dt.date(2026, 3, 3)
    )

    status = deferrals.apply_deferral_rule(demo.db, at(demo.ctx, "2026-03-04 09:00"), case_id=case.id)

    assert status == "completed"
    with demo.db.read() as session:
        steps = [(e.to_status, e.note) for e in session.get(m.Case, case.id).events]
        sent = session.scalars(
            select(m.OutboxEvent.payload).where(m.OutboxEvent.entity_id == case.id, m.OutboxEvent.kind == "case.status")
        ).all()
    assert [status for status, _note in steps] == ["accepted", "in_progress", "rejected", "completed"]
    assert "第二十二条" in steps[2][1] and "契税完税凭证" in steps[2][1]
    assert [p["action"] for p in sent] == ["start_review", "reject", "complete"]
    assert deferrals.materials_to_follow(demo.db, at(demo.ctx, "2026-03-04 09:00")) == []


def test_the_window_report_counts_deferred_cases_apart(demo):
    ctx = at(demo.ctx, MONDAY)
    accept(demo, ctx)
    _accept(demo, ctx)
    report = reports.performance_report(
        demo.db, ctx, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), by="center", shipped_calendar=demo.calendar
    )
    assert (report.total.accepted, report.total.proxy_accepted, report.total.deferred_accepted) == (2, 0, 1)


def test_the_notice_that_proves_a_deferred_acceptance_carries_its_query_code_once(demo):
    """A case accepted with materials to follow gets the 容缺受理通知书 instead of the receipt:
    its query code is printed there, on the applicant's copy only, and on no reprint."""
    import io

    from pypdf import PdfReader

    from windowdesk.domain.query_codes import grouped
    from windowdesk.printing.render import render_document
    from windowdesk.services import documents

    result = _accept(demo, at(demo.ctx, MONDAY))
    assert result.query_code
    first = documents.record_document(
        demo.db, demo.ctx, kind=worklist.CASE, record_id=result.id, query_code=result.query_code
    )
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(render_document(first))).pages]
    code = grouped(result.query_code)
    assert code in pages[0] and all(code not in page for page in pages[1:])  # the file copy never holds it
    again = documents.record_document(demo.db, demo.ctx, kind=worklist.CASE, record_id=result.id)
    assert all(code not in page.extract_text() for page in PdfReader(io.BytesIO(render_document(again))).pages)


def test_the_watch_finds_the_materials_to_follow_by_their_index_not_by_reading_every_case(demo):
    # The watch asks at every start. Walking every case of the center and its materials
    # to find the few deferred ones filled 60 MB of SQLite's cache before the window
    # stood on 200,000 cases (issue 29, aim 7); the partial index holds only those rows.
    result = _accept(demo, at(demo.ctx, MONDAY))
    statements = []

    def _seen(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM case_materials" in statement:
            statements.append((statement, parameters))

    event.listen(demo.db.read_engine, "before_cursor_execute", _seen)
    try:
        listed = deferrals.materials_to_follow(demo.db, at(demo.ctx, MONDAY))
    finally:
        event.remove(demo.db.read_engine, "before_cursor_execute", _seen)

    assert [(row.case_id, row.material_code) for row in listed] == [(result.id, "M05"), (result.id, "M07")]
    [(statement, parameters)] = statements
    with demo.db.read_engine.connect() as connection:
        plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
    assert "ix_case_materials_deferred" in plan[0], plan  # the deferred rows first, then their cases
    assert not any("ix_cases_center" in step or step.startswith("SCAN") for step in plan), plan
