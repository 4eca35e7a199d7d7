"""A supervisor marks a change the hub refused as resolved: what was done, and their own
approval typed in at the operator's window. The refused event is kept as it was; the
resolution is audited (the note's ID numbers masked, since the audit log reaches the hub)
and the refusal leaves the status bar's count."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from tests.fees.conftest import DEMO_SUPERVISOR, make_operator
from tests.ui.helpers import accept_demo_case
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.services import applicants, audit, refusals, worklist
from windowdesk.services import sync as sync_service
from windowdesk.services.approval import ApprovalRefused, SupervisorCredentials
from windowdesk.storage import models as m
from windowdesk.storage.db import Database
from windowdesk.ui.worklist.detail_dialog import detail_html

ID_NUMBER = "110101199003074514"
MASKED = "110101********4514"
CLERK = SupervisorCredentials("clerk01", "Ledger2027x")


@pytest.fixture
def clerk(demo):
    """A plain operator at the demo window: the window stays logged in as them."""
    return make_operator(demo, demo.ctx, login=CLERK.login, role="operator", password=CLERK.password)


@pytest.fixture
def refused(demo) -> dict[str, str]:
    """A case and a resident registration the hub refused: kind -> event id."""
    case = accept_demo_case(demo)
    person = applicants.register_resident(demo.db, demo.ctx, id_number=ID_NUMBER, name="赵敏").ref
    event_ids = {}
    with demo.db.write() as session:
        for kind, entity_id in (("case.accepted", case.id), ("resident.registered", person.id)):
            event = session.scalars(
                select(m.OutboxEvent).where(m.OutboxEvent.kind == kind, m.OutboxEvent.entity_id == entity_id)
            ).one()
            event.state, event.last_error = "rejected", f"refused: {kind}"
            event_ids[kind] = event.event_id
    return event_ids


def _stored(demo) -> tuple[int, int]:
    """(resolutions, audit entries) in the database."""
    with demo.db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(m.RefusalResolution)),
            session.scalar(select(func.count()).select_from(m.AuditEntry)),
        )


def test_a_resolved_refusal_leaves_the_count_and_the_list_and_is_kept_for_the_record(demo, clerk, refused):
    assert sync_service.sync_status(demo.db).rejected == 2
    note = f"已按 GA-001 重新受理；申请人 {ID_NUMBER} 已电话告知"

    resolution = refusals.resolve_refused_change(
        demo.db, clerk, event_id=refused["case.accepted"], note=f"  {note}\n", supervisor=DEMO_SUPERVISOR
    )

    with demo.db.read() as session:
        supervisor_id, supervisor_name = session.execute(
            select(m.Operator.id, m.Operator.display_name).where(m.Operator.login == DEMO_SUPERVISOR.login)
        ).one()
    assert (resolution.supervisor, resolution.note) == (supervisor_name, note)
    assert sync_service.sync_status(demo.db).rejected == 1
    assert [c.kind for c in refusals.refused_changes(demo.db)] == ["resident.registered"]
    everything = refusals.refused_changes(demo.db, include_resolved=True)
    assert [(c.kind, c.resolution) for c in everything] == [
        ("case.accepted", resolution),
        ("resident.registered", None),
    ]
    # The refused event itself is unchanged: still refused, with the hub's reason.
    with demo.db.read() as session:
        event = session.scalars(select(m.OutboxEvent).where(m.OutboxEvent.event_id == refused["case.accepted"])).one()
        assert (event.state, event.last_error) == ("rejected", "refused: case.accepted")
        entry = session.scalars(select(m.AuditEntry).order_by(m.AuditEntry.seq.desc()).limit(1)).one()
        sent = session.scalars(
            select(m.OutboxEvent).where(m.OutboxEvent.kind == "audit.entry", m.OutboxEvent.entity_id == entry.id)
        ).one()
        # Audited under the operator at the window, naming the supervisor who approved.
        assert (entry.action, entry.operator_id, entry.entity, entry.detail["event_id"]) == (
            "sync.refusal_resolved",
            clerk.operator_id,
            "case",
            refused["case.accepted"],
        )
        assert entry.detail["supervisor"] == supervisor_id
        assert entry.detail["note"] == note.replace(ID_NUMBER, MASKED)
        assert sent.state == "pending" and ID_NUMBER not in json.dumps(sent.payload, ensure_ascii=False)
    assert audit.verify_chain(demo.db) == []


def test_resolving_needs_a_note_and_a_supervisor_and_happens_once(demo, clerk, refused):
    event_id = refused["resident.registered"]
    before = _stored(demo)
    with pytest.raises(ValidationError, match="what was done"):
        refusals.resolve_refused_change(demo.db, clerk, event_id=event_id, note=" \n ", supervisor=DEMO_SUPERVISOR)
    with pytest.raises(ApprovalRefused, match="wrong"):
        refusals.resolve_refused_change(
            demo.db,
            clerk,
            event_id=event_id,
            note="已处理",
            supervisor=SupervisorCredentials(DEMO_SUPERVISOR.login, "not-it"),
        )
    # The operator's own (correct) credentials do not do: they are not a supervisor.
    with pytest.raises(ApprovalRefused, match="not a supervisor"):
        refusals.resolve_refused_change(demo.db, clerk, event_id=event_id, note="已处理", supervisor=CLERK)
    resolutions, audit_entries = _stored(demo)
    assert resolutions == before[0] == 0
    assert audit_entries == before[1] + 1  # only the wrong password's "approval.failed"
    assert sync_service.sync_status(demo.db).rejected == 2

    refusals.resolve_refused_change(demo.db, clerk, event_id=event_id, note="已处理", supervisor=DEMO_SUPERVISOR)
    resolved = _stored(demo)
    # Once only; told before any password is checked (a wrong one would count against them).
    with pytest.raises(ValidationError, match="already marked this change as resolved"):
        refusals.resolve_refused_change(
            demo.db,
            clerk,
            event_id=event_id,
            note="再次处理",
            supervisor=SupervisorCredentials(DEMO_SUPERVISOR.login, "not-it"),
        )
    assert _stored(demo) == resolved  # no second resolution, no "approval.failed"
    assert resolved[0] == 1


def test_only_a_refused_change_can_be_resolved(demo, clerk, refused):
    with demo.db.write() as session:
        pending = session.scalars(select(m.OutboxEvent).where(m.OutboxEvent.state == "pending").limit(1)).one()
        pending_id = pending.event_id
    for event_id in (pending_id, "0190d2a8-0000-7000-8000-000000000000"):
        with pytest.raises(NotFoundError, match="not among those the hub refused"):
            refusals.resolve_refused_change(
                demo.db, clerk, event_id=event_id, note="已处理", supervisor=DEMO_SUPERVISOR
            )
    assert _stored(demo)[0] == 0


def test_a_resolution_is_still_there_after_the_program_is_restarted(demo, clerk, refused):
    refusals.resolve_refused_change(
        demo.db, clerk, event_id=refused["case.accepted"], note="已处理", supervisor=DEMO_SUPERVISOR
    )
    demo.db.dispose()
    reopened = Database(demo.db.path, key=demo.db.key)
    try:
        [resolved, open_one] = refusals.refused_changes(reopened, include_resolved=True)
        assert (resolved.kind, resolved.resolution.note, open_one.resolution) == ("case.accepted", "已处理", None)
        assert sync_service.sync_status(reopened).rejected == 1
    finally:
        reopened.dispose()


def test_the_days_work_and_the_record_say_the_hub_refused_it(demo, clerk, refused):
    def case_entry():
        [entry] = [e for e in worklist.list_day_work(demo.db, demo.ctx) if e.kind == "case"]
        return entry

    entry = case_entry()
    assert entry.state == "Accepted \u00b7 refused by the hub"
    detail = worklist.get_record_detail(demo.db, demo.ctx, kind="case", record_id=entry.id)
    assert [(r.change, r.reason, r.resolution) for r in detail.hub_refusals] == [
        ("Case accepted", "refused: case.accepted", None)
    ]
    page = detail_html(detail, "Asia/Shanghai")
    assert "Refused by the hub" in page and "refused: case.accepted" in page and "Not dealt with yet" in page

    refusals.resolve_refused_change(
        demo.db, clerk, event_id=refused["case.accepted"], note="已重新受理", supervisor=DEMO_SUPERVISOR
    )
    assert case_entry().state == "Accepted \u00b7 refused by the hub, resolved"
    detail = worklist.get_record_detail(demo.db, demo.ctx, kind="case", record_id=entry.id)
    assert detail.hub_refusals[0].resolution.note == "已重新受理"
    assert "Resolved" in detail_html(detail, "Asia/Shanghai") and "已重新受理" in detail_html(detail, "Asia/Shanghai")


def test_the_case_watch_marks_a_refused_case_until_it_is_dealt_with_then_leaves_it_out(demo, clerk, refused):
    from windowdesk.services import cases

    with demo.db.read() as session:
        case_id = session.scalars(
            select(m.OutboxEvent.entity_id).where(m.OutboxEvent.event_id == refused["case.accepted"])
        ).one()
    later = dataclasses.replace(demo.ctx, clock=lambda: demo.ctx.now() + dt.timedelta(days=60))  # long overdue

    def watched():
        return [c for c in cases.late_cases(demo.db, later, shipped_calendar=demo.calendar) if c.case_id == case_id]

    [late] = watched()
    assert late.hub_refused and cases.late_list_row(late)[4] == "Accepted \u00b7 refused by the hub"
    refusals.resolve_refused_change(
        demo.db, clerk, event_id=refused["case.accepted"], note="已重新受理", supervisor=DEMO_SUPERVISOR
    )
    assert watched() == []  # dealt with: no longer a case the window waits on
    assert [c.state for c in worklist.list_day_work(demo.db, demo.ctx) if c.id == case_id] == [
        "Accepted \u00b7 refused by the hub, resolved"
    ]


def test_changes_dealt_with_together_are_resolved_together_or_not_at_all(demo, clerk, refused):
    from windowdesk.domain.case_state import CaseAction
    from windowdesk.services import cases

    with demo.db.read() as session:
        case_id = session.scalars(
            select(m.OutboxEvent.entity_id).where(m.OutboxEvent.event_id == refused["case.accepted"])
        ).one()
    cases.change_status(demo.db, demo.ctx, case_id=case_id, action=CaseAction.WITHDRAW, note="申请人撤回")
    with demo.db.write() as session:
        status = session.scalars(select(m.OutboxEvent).where(m.OutboxEvent.kind == "case.status")).one()
        status.state, status.last_error = "rejected", "its acceptance was refused"
        status_id = status.event_id
    before = _stored(demo)
    # One of them is not a refused change: nothing is resolved.
    with pytest.raises(NotFoundError):
        refusals.resolve_refused_change(
            demo.db,
            clerk,
            event_id=refused["case.accepted"],
            note="已撤回并重新受理",
            supervisor=DEMO_SUPERVISOR,
            together_with=[status_id, new_uuid()],
        )
    assert _stored(demo) == before

    refusals.resolve_refused_change(
        demo.db,
        clerk,
        event_id=refused["case.accepted"],
        note="已撤回并重新受理",
        supervisor=DEMO_SUPERVISOR,
        together_with=[status_id],
    )
    assert [c.kind for c in refusals.refused_changes(demo.db)] == ["resident.registered"]
    resolutions, audit_entries = _stored(demo)
    assert (resolutions, audit_entries) == (2, before[1] + 2)  # one audit entry for each, naming its event
    assert audit.verify_chain(demo.db) == []
