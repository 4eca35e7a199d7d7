"""The window's fixed-value columns hold their domain StrEnum (storage/column_types.py,
TextEnum), as the hub's do (tests/hub/test_fixed_values.py): read back as members, and a
value outside the set refused when written, the row left as it was. The stored values are
the same as before (no migration). On the real (SQLCipher) database of the demo."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import String, select, update
from sqlalchemy.exc import StatementError

from windowdesk.domain.case_parts import PartStatus
from windowdesk.domain.case_sources import CaseSource
from windowdesk.domain.case_state import CaseAction, CaseStatus
from windowdesk.domain.case_steps import StepSource
from windowdesk.domain.catalog_forms import FORM_KINDS, FormKind
from windowdesk.domain.catalog_model import DEFERRAL_RULES, CenterKind, DeferralRule, FeeKind, MaterialForm
from windowdesk.domain.commitment import VerificationResult
from windowdesk.domain.complaints import ComplaintKind, ComplaintSource, ComplaintStatus, ReplySource
from windowdesk.domain.delivery import DeliveryMode
from windowdesk.domain.event_kinds import EventKind
from windowdesk.domain.material_status import MaterialStatus
from windowdesk.domain.online_application_status import ApplicationStatus
from windowdesk.domain.outbox_state import OutboxState
from windowdesk.domain.permissions import Role
from windowdesk.domain.quality_states import FollowUpSource, FollowUpStatus, InquiryStatus
from windowdesk.domain.service_quality import RatingChannel
from windowdesk.domain.suspensions import SuspensionKind
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.services import applicants, auth, bootstrap, cases, complaints, intake, service_quality
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.sync_apply import apply_change, load_page_cases, store_page
from windowdesk.storage import application_queries, queries, sent_events
from windowdesk.storage import models as m
from windowdesk.storage.models_applications import OnlineApplication
from windowdesk.storage.models_delivery import CaseDelivery
from windowdesk.storage.models_forms import ItemForm
from windowdesk.storage.models_quality import CasePart, Complaint, FollowUp, Inquiry, Rating
from windowdesk.sync import outbox
from windowdesk.sync.protocol import (
    CHANGE_APPLICATION,
    CHANGE_DECISION,
    CHANGE_NOTE,
    CHANGE_VERIFICATION,
    CHANGE_WEB_COMPLAINT,
    CHANGE_WEB_RATING,
    Change,
)

from .test_commitment_acceptance import MONDAY, _commit
from .test_intake_service import at

ITEM = "MZ-001"
NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)


def _accepted_case(demo, item: str = ITEM) -> str:
    who = applicants.find_residents(demo.db, demo.ctx, query="2309")[0].ref
    guide = get_item_guide(demo.db, item_code=item)
    checks = [intake.MaterialCheck(material.code, "received") for material in guide.materials]
    return intake.accept_case(
        demo.db, demo.ctx, item_code=item, applicant=who, checks=checks, shipped_calendar=demo.calendar
    ).id


def _steps(demo, case_id: str) -> list[tuple[str, StepSource]]:
    with demo.db.read() as session:
        return [
            (kind, source)
            for kind, source in session.execute(
                select(m.CaseEvent.kind, m.CaseEvent.source)
                .where(m.CaseEvent.case_id == case_id)
                .order_by(m.CaseEvent.position)
            )
        ]


def test_an_operator_s_role_reads_back_as_a_member_that_prints_as_before(demo) -> None:
    with demo.db.read() as session:
        role = queries.operator_by_login(session, bootstrap.DEMO_LOGIN).role
    assert type(role) is Role and role is Role.SUPERVISOR
    # Shown on screens and in logs as the stored word, as the plain string it was.
    assert (str(role), f"{role}", "%s" % role, format(role, ">11")) == (  # noqa: UP031 - the old style too
        "supervisor",
        "supervisor",
        "supervisor",
        " supervisor",
    )
    assert (
        auth.log_in(demo.db, login=bootstrap.DEMO_LOGIN, password=bootstrap.DEMO_PASSWORD).ctx.operator_role
        is Role.SUPERVISOR
    )


def test_an_operator_role_outside_the_set_is_refused_and_the_account_kept(demo) -> None:
    with pytest.raises(StatementError, match="'auditor' is not a valid Role"), demo.db.write() as session:
        queries.operator_by_login(session, bootstrap.DEMO_LOGIN).role = "auditor"  # type: ignore[assignment]
        session.flush()
    with pytest.raises(StatementError, match="'root' is not a valid Role"), demo.db.write() as session:
        session.execute(update(m.Operator).values(role="root"))  # a bulk write is refused too
    with demo.db.read() as session:
        assert queries.operator_by_login(session, bootstrap.DEMO_LOGIN).role is Role.SUPERVISOR


def test_a_pulled_account_with_a_role_this_window_does_not_know_is_skipped_and_the_feed_goes_on(demo) -> None:
    def upsert(seq: int, login: str, role: str) -> Change:
        return Change(
            seq=seq,
            kind="operator.upsert",
            entity="operator",
            entity_id=login,
            payload={
                "id": f"0190a0c0-0000-7000-8000-00000000000{seq}",
                "login": login,
                "display_name": "王五",
                "role": role,
                "center_code": "CH",
                "active": True,
            },
        )

    with demo.db.write() as session:
        assert apply_change(session, upsert(1, "wangwu", "auditor"), now=NOW) is None
        assert apply_change(session, upsert(2, "zhaoliu", "operator"), now=NOW) == "operator.upsert"
    with demo.db.read() as session:
        assert queries.operator_by_login(session, "wangwu") is None
        assert queries.operator_by_login(session, "zhaoliu").role is Role.OPERATOR


def test_a_case_s_steps_read_back_their_source_the_window_s_and_a_pulled_hub_note(demo) -> None:
    case_id = _accepted_case(demo)
    with demo.db.read() as session:
        number = session.get_one(m.Case, case_id).case_number
    with demo.db.write() as session:  # a department's note, stored by the pull's one-statement insert
        apply_change(
            session,
            Change(
                seq=7,
                kind=CHANGE_NOTE,
                entity="case",
                entity_id=case_id,
                payload={
                    "case_id": case_id,
                    "case_number": number,
                    "department": "MZJ",
                    "note": "已电话联系申请人",
                    "at": NOW.isoformat(),
                },
            ),
            now=NOW,
        )
    steps = _steps(demo, case_id)
    assert steps == [("accepted", StepSource.WINDOW), ("note", StepSource.HUB)]
    assert {type(source) for _, source in steps} == {StepSource}


def test_a_step_source_outside_the_set_is_refused_and_the_step_kept(demo) -> None:
    case_id = _accepted_case(demo)
    with pytest.raises(StatementError, match="'phone' is not a valid StepSource"), demo.db.write() as session:
        session.get_one(m.Case, case_id).events[0].source = "phone"  # type: ignore[assignment]
        session.flush()
    assert _steps(demo, case_id) == [("accepted", StepSource.WINDOW)]


def test_a_case_s_source_reads_back_as_a_member(demo) -> None:
    case_id = _accepted_case(demo)
    with demo.db.read() as session:
        source = session.scalar(select(m.Case.source).where(m.Case.id == case_id))
    assert type(source) is CaseSource and source is CaseSource.WINDOW


def test_a_case_source_outside_the_set_is_refused_and_the_case_kept(demo) -> None:
    case_id = _accepted_case(demo)
    with pytest.raises(StatementError, match="'fax' is not a valid CaseSource"), demo.db.write() as session:
        session.get_one(m.Case, case_id).source = "fax"  # type: ignore[assignment]
        session.flush()
    with demo.db.read() as session:
        assert session.get_one(m.Case, case_id).source is CaseSource.WINDOW


def test_the_centers_kinds_read_back_as_members(demo) -> None:
    with demo.db.read() as session:
        kinds = dict(session.execute(select(m.Center.code, m.Center.kind)).all())
    assert kinds["CH"] is CenterKind.CITY_HALL and CenterKind.STREET in kinds.values()
    assert {type(kind) for kind in kinds.values()} == {CenterKind}


def test_a_center_kind_outside_the_set_is_refused_and_the_center_kept(demo) -> None:
    with pytest.raises(StatementError, match="'village' is not a valid CenterKind"), demo.db.write() as session:
        session.get_one(m.Center, "CH").kind = "village"  # type: ignore[assignment]
        session.flush()
    with demo.db.read() as session:
        assert session.get_one(m.Center, "CH").kind is CenterKind.CITY_HALL


def test_the_stored_values_are_the_words_stored_before(demo) -> None:
    """No migration: the columns keep the plain words, read here without the model's types."""
    case_id = _accepted_case(demo)
    with demo.db.read() as session:
        raw = (
            session.connection()
            .exec_driver_sql(
                "SELECT c.source, e.source, o.role, k.kind, c.status, e.to_status FROM cases c "
                "JOIN case_events e ON e.case_id = c.id "
                "JOIN operators o ON o.id = ? JOIN centers k ON k.code = c.center_code WHERE c.id = ?",
                (demo.ctx.operator_id, case_id),
            )
            .one()
        )
    assert tuple(raw) == ("window", "window", "supervisor", "city_hall", "accepted", "accepted")
    assert all(type(value) is str for value in raw)


def test_a_case_s_delivery_mode_reads_back_as_a_member(demo) -> None:
    case_id = _accepted_case(demo)
    with demo.db.read() as session:
        mode = session.get_one(CaseDelivery, case_id).mode
    assert type(mode) is DeliveryMode and mode is DeliveryMode.WINDOW


def test_a_delivery_mode_outside_the_set_is_refused_and_the_choice_kept(demo) -> None:
    case_id = _accepted_case(demo)
    with pytest.raises(StatementError, match="'drone' is not a valid DeliveryMode"), demo.db.write() as session:
        session.get_one(CaseDelivery, case_id).mode = "drone"  # type: ignore[assignment]
        session.flush()
    with demo.db.read() as session:
        assert session.get_one(CaseDelivery, case_id).mode is DeliveryMode.WINDOW


def _parallel_case_decided_by_one_department(demo) -> str:
    """GS-003 (企业设立登记): 工商 (GSJ), 质监 (ZJJ) and 税务 (SWJ) decide their parts; GSJ's
    approval arrives by the pull."""
    case_id = _accepted_case(demo, "GS-003")
    with demo.db.write() as session:
        apply_change(
            session,
            Change(
                seq=9,
                kind=CHANGE_DECISION,
                entity="case",
                entity_id=case_id,
                payload={
                    "case_id": case_id,
                    "case_number": "",
                    "decision": "approve",
                    "department": "GSJ",
                    "note": "",
                    "status": "in_progress",
                    "at": NOW.isoformat(),
                },
            ),
            now=NOW,
        )
    return case_id


def _part_statuses(demo, case_id: str) -> dict[str, PartStatus]:
    with demo.db.read() as session:
        return dict(
            session.execute(select(CasePart.department_code, CasePart.status).where(CasePart.case_id == case_id)).all()
        )


def test_a_case_part_s_status_reads_back_as_a_member(demo) -> None:
    statuses = _part_statuses(demo, _parallel_case_decided_by_one_department(demo))
    assert statuses == {"GSJ": PartStatus.APPROVED, "ZJJ": PartStatus.PENDING, "SWJ": PartStatus.PENDING}
    assert {type(status) for status in statuses.values()} == {PartStatus}


def test_a_part_status_outside_the_set_is_refused_and_the_part_kept(demo) -> None:
    case_id = _parallel_case_decided_by_one_department(demo)
    with pytest.raises(StatementError, match="'maybe' is not a valid PartStatus"), demo.db.write() as session:
        part = session.scalars(select(CasePart).where(CasePart.case_id == case_id, CasePart.department_code == "GSJ"))
        part.one().status = "maybe"  # type: ignore[assignment]
        session.flush()
    assert _part_statuses(demo, case_id)["GSJ"] is PartStatus.APPROVED


def _timeline(demo, case_id: str) -> list[tuple[str, CaseStatus | None, CaseStatus | None, SuspensionKind | None]]:
    with demo.db.read() as session:
        return [
            tuple(row)
            for row in session.execute(
                select(m.CaseEvent.kind, m.CaseEvent.from_status, m.CaseEvent.to_status, m.CaseEvent.suspension_kind)
                .where(m.CaseEvent.case_id == case_id)
                .order_by(m.CaseEvent.position)
            )
        ]


def _case_status(demo, case_id: str) -> CaseStatus:
    with demo.db.read() as session:
        return session.get_one(m.Case, case_id).status


def test_a_case_s_status_and_its_steps_read_back_as_members(demo) -> None:
    case_id = _accepted_case(demo)
    cases.change_status(
        demo.db, demo.ctx, case_id=case_id, action=CaseAction.SUSPEND, note="听证", suspension_kind="hearing"
    )
    status = _case_status(demo, case_id)
    assert type(status) is CaseStatus and status is CaseStatus.SUSPENDED
    assert _timeline(demo, case_id) == [
        ("accepted", None, CaseStatus.ACCEPTED, None),
        ("suspend", CaseStatus.ACCEPTED, CaseStatus.SUSPENDED, SuspensionKind.HEARING),
    ]
    step = _timeline(demo, case_id)[1]
    assert (type(step[1]), type(step[2]), type(step[3])) == (CaseStatus, CaseStatus, SuspensionKind)
    # Printed, logged and sent as the stored word, as the plain string it was.
    assert (str(status), f"{status}", str(SuspensionKind.HEARING)) == ("suspended", "suspended", "hearing")


def test_a_case_status_outside_the_set_is_refused_and_the_case_kept(demo) -> None:
    case_id = _accepted_case(demo)
    with pytest.raises(StatementError, match="'archived' is not a valid CaseStatus"), demo.db.write() as session:
        session.get_one(m.Case, case_id).status = "archived"  # type: ignore[assignment]
        session.flush()
    with pytest.raises(StatementError, match="'lost' is not a valid CaseStatus"), demo.db.write() as session:
        session.execute(update(m.CaseEvent).where(m.CaseEvent.case_id == case_id).values(to_status="lost"))
    assert _case_status(demo, case_id) is CaseStatus.ACCEPTED
    assert _timeline(demo, case_id) == [("accepted", None, CaseStatus.ACCEPTED, None)]


def test_a_suspension_kind_outside_the_set_is_refused_and_the_step_kept(demo) -> None:
    case_id = _accepted_case(demo)
    cases.change_status(demo.db, demo.ctx, case_id=case_id, action=CaseAction.SUSPEND, note="缺户口簿")
    with pytest.raises(StatementError, match="'holiday' is not a valid SuspensionKind"), demo.db.write() as session:
        session.get_one(m.Case, case_id).events[1].suspension_kind = "holiday"  # type: ignore[assignment]
        session.flush()
    assert _timeline(demo, case_id)[1][3] is SuspensionKind.MATERIALS


def test_a_pulled_decision_with_a_status_or_kind_this_window_does_not_know_is_skipped_and_the_feed_goes_on(
    demo, caplog
) -> None:
    """A newer hub's words: the change is skipped (logged), the case keeps its status and
    steps, and the page's later changes are applied as the pull applies them."""
    case_id = _accepted_case(demo)

    def decision(seq: int, decision: str, status: str, **extra: str) -> Change:
        payload = {"case_id": case_id, "case_number": "", "decision": decision, "department": "MZJ"}
        payload |= {"note": "", "status": status, "at": NOW.isoformat(), **extra}
        return Change(seq=seq, kind=CHANGE_DECISION, entity="case", entity_id=case_id, payload=payload)

    changes = [
        decision(11, "archive", "archived"),
        decision(12, "suspend", "suspended", suspension_kind="site_survey"),
        decision(13, "approve", "approved"),
    ]
    with demo.db.write() as session:
        page = load_page_cases(session, changes)
        applied = [apply_change(session, change, now=NOW, page=page) for change in changes]
        store_page(session, page)
    assert applied == [None, None, CHANGE_DECISION]
    skipped = [r.getMessage() for r in caplog.records if r.name == "windowdesk.sync" and "skipped" in r.getMessage()]
    assert [message.split(" skipped")[0] for message in skipped] == ["case.decision seq 11", "case.decision seq 12"]
    assert _case_status(demo, case_id) is CaseStatus.APPROVED
    assert _timeline(demo, case_id) == [
        ("accepted", None, CaseStatus.ACCEPTED, None),
        ("decision.approve", CaseStatus.ACCEPTED, CaseStatus.APPROVED, None),
    ]


def test_a_case_s_materials_and_a_notification_s_entries_read_back_as_members(demo) -> None:
    case_id = _accepted_case(demo)
    who = applicants.find_residents(demo.db, demo.ctx, query="2309")[0].ref
    guide = get_item_guide(demo.db, item_code=ITEM)
    first, second, *rest = guide.materials
    checks = [
        intake.MaterialCheck(first.code, "missing"),
        intake.MaterialCheck(second.code, "correction", "复印件不清晰"),
        *(intake.MaterialCheck(material.code, "received") for material in rest),
    ]
    notification = intake.notify_missing(demo.db, demo.ctx, item_code=ITEM, applicant=who, checks=checks)
    with demo.db.read() as session:
        statuses = set(session.scalars(select(m.CaseMaterial.status).where(m.CaseMaterial.case_id == case_id)))
        problems = list(
            session.scalars(
                select(m.NotificationEntry.problem)
                .where(m.NotificationEntry.notification_id == notification.id)
                .order_by(m.NotificationEntry.position)
            )
        )
    assert statuses == {MaterialStatus.RECEIVED} and {type(status) for status in statuses} == {MaterialStatus}
    assert problems == [MaterialStatus.MISSING, MaterialStatus.CORRECTION]
    assert {type(problem) for problem in problems} == {MaterialStatus}


def test_a_material_status_outside_the_set_is_refused_and_the_material_kept(demo) -> None:
    case_id = _accepted_case(demo)
    with pytest.raises(StatementError, match="'lost' is not a valid MaterialStatus"), demo.db.write() as session:
        session.get_one(m.Case, case_id).materials[0].status = "lost"  # type: ignore[assignment]
        session.flush()
    with demo.db.read() as session:
        assert session.get_one(m.Case, case_id).materials[0].status is MaterialStatus.RECEIVED


def test_a_pulled_verification_reads_back_as_a_member_and_an_unknown_result_is_skipped(demo) -> None:
    """The hub's words: "true" / "false"; a newer hub's other word is skipped (logged), the
    feed goes on, the commitment keeps what it had; a write of one is refused."""
    case = _commit(demo, at(demo.ctx, MONDAY))

    def verification(seq: int, result: str) -> Change:
        payload = {"case_id": case.id, "case_number": case.number, "result": result, "department": "JDB"}
        payload |= {"note": "收入情况不实", "at": "2026-03-05T02:00:00+00:00"}
        return Change(seq=seq, kind=CHANGE_VERIFICATION, entity="case", entity_id=case.id, payload=payload)

    with demo.db.write() as session:
        assert apply_change(session, verification(21, "unclear"), now=NOW) is None
        assert apply_change(session, verification(22, "false"), now=NOW) == CHANGE_VERIFICATION
    with demo.db.read() as session:
        result = session.get_one(m.CaseCommitment, case.id).verified_result
    assert type(result) is VerificationResult and result is VerificationResult.FALSE
    with pytest.raises(StatementError, match="'maybe' is not a valid VerificationResult"), demo.db.write() as session:
        session.get_one(m.CaseCommitment, case.id).verified_result = "maybe"  # type: ignore[assignment]
        session.flush()
    with demo.db.read() as session:
        assert session.get_one(m.CaseCommitment, case.id).marked_for_revocation


def test_an_outbox_event_s_state_reads_back_as_a_member_and_one_outside_the_set_is_refused(demo) -> None:
    case_id = _accepted_case(demo)
    with demo.db.read() as session:
        states = set(session.scalars(select(m.OutboxEvent.state).where(m.OutboxEvent.entity_id == case_id)))
        assert queries.outbox_count(session) >= 1
    assert states == {OutboxState.PENDING} and {type(state) for state in states} == {OutboxState}
    with pytest.raises(StatementError, match="'lost' is not a valid OutboxState"), demo.db.write() as session:
        session.execute(update(m.OutboxEvent).where(m.OutboxEvent.entity_id == case_id).values(state="lost"))
    with demo.db.read() as session:
        assert set(session.scalars(select(m.OutboxEvent.state).where(m.OutboxEvent.entity_id == case_id))) == {
            OutboxState.PENDING
        }


def _web_complaint(demo, seq: int, kind: str) -> Change:
    complaint_id = new_uuid()
    payload = {"id": complaint_id, "number": f"WS-CH-2026-{seq:04d}", "center": demo.ctx.center_code, "kind": kind}
    payload |= {"phone": "13800138000", "about": {"item": ITEM}, "facts": "跑了三趟还没办成", "owner": None}
    payload |= {"deadline": "2026-12-14", "received_at": NOW.isoformat()}
    return Change(seq=seq, kind=CHANGE_WEB_COMPLAINT, entity="complaint", entity_id=complaint_id, payload=payload)


def _complaint_words(demo, complaint_id: str, *, raw: bool = False) -> tuple:
    c = Complaint.__table__.c
    columns = (c.source, c.kind, c.status, c.reply_source)
    with demo.db.read() as session:
        return tuple(
            session.execute(
                select(*(column.cast(String) if raw else column for column in columns)).where(c.id == complaint_id)
            ).one()
        )


def _window_complaint(demo) -> str:
    complaint_id, _number = complaints.receive_complaint(
        demo.db,
        demo.ctx,
        complainant_name="周女士",
        facts="收费不透明",
        about=complaints.ComplaintAbout(department_code="MZJ"),
        shipped_calendar=demo.calendar,
    )
    complaints.reply_to_complaint(demo.db, demo.ctx, complaint_id=complaint_id, reply="经核查收费符合标准")
    return complaint_id


def test_a_complaint_s_source_kind_status_and_reply_source_read_back_as_members(demo) -> None:
    window_id = _window_complaint(demo)
    pulled = _web_complaint(demo, 31, "not_done")
    with demo.db.write() as session:
        assert apply_change(session, pulled, now=NOW) == CHANGE_WEB_COMPLAINT
    window_words, web_words = _complaint_words(demo, window_id), _complaint_words(demo, pulled.entity_id)
    assert window_words == (
        ComplaintSource.WINDOW,
        ComplaintKind.COMPLAINT,
        ComplaintStatus.REPLIED,
        ReplySource.WINDOW,
    )
    assert web_words == (ComplaintSource.WEB, ComplaintKind.NOT_DONE, ComplaintStatus.OPEN, ReplySource.NONE)
    assert [type(word) for word in web_words] == [ComplaintSource, ComplaintKind, ComplaintStatus, ReplySource]
    # No migration: the columns keep the plain words.
    assert _complaint_words(demo, window_id, raw=True) == ("window", "complaint", "replied", "window")
    assert _complaint_words(demo, pulled.entity_id, raw=True) == ("web", "not_done", "open", "")


def test_a_complaint_word_outside_the_set_is_refused_and_the_complaint_kept(demo) -> None:
    window_id = _window_complaint(demo)
    for column, word, enum in (
        ("source", "phone", "ComplaintSource"),
        ("kind", "praise", "ComplaintKind"),
        ("status", "closed", "ComplaintStatus"),
        ("reply_source", "sms", "ReplySource"),
    ):
        with pytest.raises(StatementError, match=f"'{word}' is not a valid {enum}"), demo.db.write() as session:
            session.execute(update(Complaint).where(Complaint.id == window_id).values({column: word}))
    assert _complaint_words(demo, window_id, raw=True) == ("window", "complaint", "replied", "window")


def test_a_pulled_web_complaint_of_a_kind_this_window_does_not_know_is_skipped_and_the_feed_goes_on(
    demo, caplog
) -> None:
    """A newer hub's kind: the change is skipped (logged), nothing is stored for it, and
    the page's later changes are applied (it was stored as any word, cut to 20, before)."""
    unknown, known = _web_complaint(demo, 41, "suggestion"), _web_complaint(demo, 42, "complaint")
    with demo.db.write() as session:
        assert [apply_change(session, change, now=NOW) for change in (unknown, known)] == [None, CHANGE_WEB_COMPLAINT]
    skipped = [r.getMessage() for r in caplog.records if r.name == "windowdesk.sync" and "skipped" in r.getMessage()]
    assert [message.split(" skipped")[0] for message in skipped] == ["complaint.web seq 41"]
    with demo.db.read() as session:
        assert session.get(Complaint, unknown.entity_id) is None
        assert session.get_one(Complaint, known.entity_id).kind is ComplaintKind.COMPLAINT


def _follow_up_and_inquiry(demo) -> tuple[str, str, str]:
    """A bad rating's follow-up closed here, one left open, and an answered inquiry."""
    closed = service_quality.rate_service(demo.db, demo.ctx, level=1, shipped_calendar=demo.calendar).follow_up_id
    still_open = service_quality.rate_service(demo.db, demo.ctx, level=2, shipped_calendar=demo.calendar).follow_up_id
    assert closed is not None and still_open is not None
    service_quality.record_follow_up_outcome(demo.db, demo.ctx, follow_up_id=closed, outcome="已电话回访")
    inquiry_id = service_quality.log_inquiry(demo.db, demo.ctx, question="办理老年证需要带什么材料？")
    service_quality.answer_inquiry(demo.db, demo.ctx, inquiry_id=inquiry_id, answer="带身份证")
    return closed, still_open, inquiry_id


def _raw(demo, table, column: str, row_id: str) -> str:
    with demo.db.read() as session:
        return session.execute(
            select(table.__table__.c[column].cast(String)).where(table.__table__.c.id == row_id)
        ).scalar_one()


def test_a_follow_up_s_status_and_source_and_an_inquiry_s_status_read_back_as_members(demo) -> None:
    closed, still_open, inquiry_id = _follow_up_and_inquiry(demo)
    with demo.db.read() as session:
        words = [(row.status, row.source) for row in (session.get_one(FollowUp, i) for i in (closed, still_open))]
        inquiry = session.get_one(Inquiry, inquiry_id).status
    assert words == [(FollowUpStatus.CLOSED, FollowUpSource.WINDOW), (FollowUpStatus.OPEN, FollowUpSource.WINDOW)]
    assert {(type(status), type(source)) for status, source in words} == {(FollowUpStatus, FollowUpSource)}
    assert type(inquiry) is InquiryStatus and inquiry is InquiryStatus.ANSWERED
    # No migration: the columns keep the plain words.
    assert [_raw(demo, FollowUp, column, closed) for column in ("status", "source")] == ["closed", "window"]
    assert _raw(demo, Inquiry, "status", inquiry_id) == "answered"


def test_a_follow_up_or_inquiry_word_outside_the_set_is_refused_and_the_row_kept(demo) -> None:
    closed, _still_open, inquiry_id = _follow_up_and_inquiry(demo)
    for table, row_id, column, word, enum in (
        (FollowUp, closed, "status", "pending", "FollowUpStatus"),
        (FollowUp, closed, "source", "phone", "FollowUpSource"),
        (Inquiry, inquiry_id, "status", "closed", "InquiryStatus"),
    ):
        with pytest.raises(StatementError, match=f"'{word}' is not a valid {enum}"), demo.db.write() as session:
            session.execute(update(table).where(table.id == row_id).values({column: word}))
    assert [_raw(demo, FollowUp, column, closed) for column in ("status", "source")] == ["closed", "window"]
    assert _raw(demo, Inquiry, "status", inquiry_id) == "answered"


def test_a_rating_s_channel_reads_back_as_a_member_and_one_outside_the_set_is_refused(demo) -> None:
    """The window's screens, and "web" for a rating the hub's feed brings (its own word,
    never a pulled one)."""
    case_id = _accepted_case(demo)
    given = service_quality.rate_service(
        demo.db, demo.ctx, level=5, case_id=case_id, shipped_calendar=demo.calendar, channel="applicant_screen"
    ).rating_id
    rating_id = new_uuid()
    payload = {"id": rating_id, "case_id": case_id, "level": 4, "comment": "", "rated_at": NOW.isoformat()}
    pulled = Change(seq=51, kind=CHANGE_WEB_RATING, entity="rating", entity_id=rating_id, payload=payload)
    with demo.db.write() as session:
        assert apply_change(session, pulled, now=NOW) == CHANGE_WEB_RATING
    with demo.db.read() as session:
        channels = [session.get_one(Rating, i).channel for i in (given, rating_id)]
    assert channels == [RatingChannel.APPLICANT_SCREEN, RatingChannel.WEB]
    assert {type(channel) for channel in channels} == {RatingChannel}
    assert [_raw(demo, Rating, "channel", i) for i in (given, rating_id)] == ["applicant_screen", "web"]
    with pytest.raises(StatementError, match="'kiosk' is not a valid RatingChannel"), demo.db.write() as session:
        session.execute(update(Rating).where(Rating.id == given).values(channel="kiosk"))
    assert _raw(demo, Rating, "channel", given) == "applicant_screen"


def _pulled_application(seq: int, application_id: str, status: str) -> Change:
    """The hub's feed telling this center's windows of an online application (网上预审)."""
    at = NOW.isoformat()
    payload = {
        "id": application_id,
        "number": f"WS-CH-2026-{seq:06d}",
        "item": ITEM,
        "center": "CH",
        "status": status,
        "round": 1,
        "submitted_at": at,
        "updated_at": at,
    }
    return Change(seq=seq, kind=CHANGE_APPLICATION, entity="application", entity_id=application_id, payload=payload)


def test_an_online_application_s_status_reads_back_as_a_member(demo) -> None:
    waiting, refused = new_uuid(), new_uuid()
    with demo.db.write() as session:
        assert apply_change(session, _pulled_application(61, waiting, "submitted"), now=NOW) == CHANGE_APPLICATION
        assert apply_change(session, _pulled_application(62, refused, "refused"), now=NOW) == CHANGE_APPLICATION
    with demo.db.read() as session:
        statuses = [session.get_one(OnlineApplication, i).status for i in (waiting, refused)]
        assert application_queries.to_fetch(session) == [(waiting, 1)]
    assert statuses == [ApplicationStatus.SUBMITTED, ApplicationStatus.REFUSED]
    assert {type(status) for status in statuses} == {ApplicationStatus}
    assert [_raw(demo, OnlineApplication, "status", i) for i in (waiting, refused)] == ["submitted", "refused"]


def test_an_application_status_outside_the_set_is_refused_and_the_application_kept(demo) -> None:
    application_id = new_uuid()
    with demo.db.write() as session:
        apply_change(session, _pulled_application(63, application_id, "submitted"), now=NOW)
    with pytest.raises(StatementError, match="'pending' is not a valid ApplicationStatus"), demo.db.write() as session:
        session.get_one(OnlineApplication, application_id).status = "pending"  # type: ignore[assignment]
        session.flush()
    with pytest.raises(StatementError, match="'lost' is not a valid ApplicationStatus"), demo.db.write() as session:
        session.execute(update(OnlineApplication).values(status="lost"))  # a bulk write is refused too
    assert _raw(demo, OnlineApplication, "status", application_id) == "submitted"


def test_a_pulled_application_in_a_state_of_a_newer_hub_is_kept_typed_and_the_feed_goes_on(demo) -> None:
    """Kept (its number and item stay known) but as the newer hub's state: neither waiting
    for a pre-review here nor fetched; the window's own words are not the hub's to send."""
    escalated, closed, waiting = new_uuid(), new_uuid(), new_uuid()
    with demo.db.write() as session:
        assert apply_change(session, _pulled_application(64, escalated, "escalated"), now=NOW) == CHANGE_APPLICATION
        assert apply_change(session, _pulled_application(65, closed, "closed"), now=NOW) == CHANGE_APPLICATION
        assert apply_change(session, _pulled_application(66, waiting, "submitted"), now=NOW) == CHANGE_APPLICATION
    with demo.db.read() as session:
        kept = [session.get_one(OnlineApplication, i) for i in (escalated, closed)]
        assert [row.status for row in kept] == [ApplicationStatus.NEWER_HUB, ApplicationStatus.NEWER_HUB]
        assert [row.number for row in kept] == ["WS-CH-2026-000064", "WS-CH-2026-000065"]
        assert application_queries.to_fetch(session) == [(waiting, 1)]
    assert _raw(demo, OnlineApplication, "status", escalated) == "newer_hub"


def test_a_catalog_s_material_forms_fee_kinds_and_form_kinds_read_back_as_members(demo) -> None:
    with demo.db.read() as session:
        forms = set(session.scalars(select(m.ItemMaterial.form)))
        fee_kinds = set(session.scalars(select(m.FeeRule.kind)))
        form_kinds = set(session.scalars(select(ItemForm.kind)))
    assert forms and {type(form) for form in forms} == {MaterialForm}
    assert fee_kinds and {type(kind) for kind in fee_kinds} == {FeeKind}
    assert form_kinds and {type(kind) for kind in form_kinds} == {FormKind}
    assert {str(kind) for kind in form_kinds} <= set(FORM_KINDS)  # the words stored before


def test_a_material_form_fee_kind_or_form_kind_outside_the_set_is_refused_and_the_catalog_kept(demo) -> None:
    with demo.db.read() as session:
        before = [
            sorted(session.scalars(select(column))) for column in (m.ItemMaterial.form, m.FeeRule.kind, ItemForm.kind)
        ]
    for table, column, word, enum in (
        (m.ItemMaterial, "form", "fax", "MaterialForm"),
        (m.FeeRule, "kind", "donation", "FeeKind"),
        (ItemForm, "kind", "leaflet", "FormKind"),
    ):
        with pytest.raises(StatementError, match=f"'{word}' is not a valid {enum}"), demo.db.write() as session:
            session.execute(update(table).values({column: word}))
    with demo.db.read() as session:
        after = [
            sorted(session.scalars(select(column))) for column in (m.ItemMaterial.form, m.FeeRule.kind, ItemForm.kind)
        ]
    assert after == before


def test_a_catalog_item_s_deferral_rule_reads_back_as_a_member_none_for_an_item_without_one(demo) -> None:
    """MZ-002 suspends, FC-001 refuses (the demo catalog's 容缺 items); MZ-001 has no rule:
    DeferralRule.NONE, stored as "" as before (no migration), and read so by the guide."""
    with demo.db.read() as session:
        rules = dict(session.execute(select(m.CatalogItem.code, m.CatalogItem.deferral_rule)).all())
        raw = dict(session.execute(select(m.CatalogItem.code, m.CatalogItem.deferral_rule.cast(String))).all())
    assert (rules["MZ-002"], rules["FC-001"], rules["MZ-001"]) == (
        DeferralRule.SUSPEND,
        DeferralRule.REFUSE,
        DeferralRule.NONE,
    )
    assert {type(rule) for rule in rules.values()} == {DeferralRule}
    assert (raw["MZ-002"], raw["FC-001"], raw["MZ-001"]) == ("suspend", "refuse", "")
    assert set(raw.values()) == {"suspend", "refuse", ""}
    assert get_item_guide(demo.db, item_code="MZ-001").deferral_rule is DeferralRule.NONE
    assert get_item_guide(demo.db, item_code="FC-001").deferral_rule is DeferralRule.REFUSE
    # The catalog names only the two rules; parse_catalog checks them as before.
    assert DEFERRAL_RULES == ("suspend", "refuse")


def test_a_deferral_rule_outside_the_set_is_refused_and_the_item_kept(demo) -> None:
    for code, word in (("MZ-001", "postpone"), ("MZ-002", "none")):
        with (
            pytest.raises(StatementError, match=f"'{word}' is not a valid DeferralRule"),
            demo.db.write() as session,
        ):
            session.get_one(m.CatalogItem, code).deferral_rule = word  # type: ignore[assignment]
            session.flush()
    with demo.db.read() as session:
        assert session.get_one(m.CatalogItem, "MZ-001").deferral_rule is DeferralRule.NONE
        assert session.get_one(m.CatalogItem, "MZ-002").deferral_rule is DeferralRule.SUSPEND


def test_an_outbox_and_a_kept_event_s_kind_read_back_as_members_stored_as_before(demo) -> None:
    case_id = _accepted_case(demo)
    with demo.db.read() as session:
        kinds = set(session.scalars(select(m.OutboxEvent.kind).where(m.OutboxEvent.entity_id == case_id)))
        raw = set(session.scalars(select(m.OutboxEvent.kind.cast(String)).where(m.OutboxEvent.entity_id == case_id)))
        event_ids = list(session.scalars(select(m.OutboxEvent.event_id).where(m.OutboxEvent.entity_id == case_id)))
    assert EventKind.CASE_ACCEPTED in kinds and {type(kind) for kind in kinds} == {EventKind}
    assert raw == {kind.value for kind in kinds}  # the plain words: no migration
    # Confirmed by the hub, kept (marked sent), and pending again: the same kinds.
    with demo.db.write() as session:
        sent_events.keep_confirmed(session, event_ids, NOW)
    with demo.db.read() as session:
        kept = set(
            session.scalars(
                select(m.OutboxEvent.kind).where(
                    m.OutboxEvent.entity_id == case_id, m.OutboxEvent.state == OutboxState.SENT
                )
            )
        )
    assert kept == kinds and {type(kind) for kind in kept} == {EventKind}
    with demo.db.write() as session:
        assert sent_events.send_again(session) >= len(event_ids)
    with demo.db.read() as session:
        pending = select(m.OutboxEvent.kind).where(
            m.OutboxEvent.entity_id == case_id, m.OutboxEvent.state == OutboxState.PENDING
        )
        assert set(session.scalars(pending)) == kinds


def test_an_event_kind_outside_the_set_is_refused_and_the_events_kept(demo) -> None:
    """A change kind too ("case.decision" is the hub's, never pushed by a window)."""
    case_id = _accepted_case(demo)
    with demo.db.read() as session:
        before = sorted(session.scalars(select(m.OutboxEvent.kind).where(m.OutboxEvent.entity_id == case_id)))
    for word in ("case.decision", "case.archived"):
        refused = f"'{re.escape(word)}' is not a valid EventKind"
        with pytest.raises(StatementError, match=refused), demo.db.write() as session:
            session.execute(update(m.OutboxEvent).where(m.OutboxEvent.entity_id == case_id).values(kind=word))
    with pytest.raises(StatementError, match=r"'case\.archived' is not a valid EventKind"), demo.db.write() as session:
        outbox.enqueue(
            session,
            entity="case",
            entity_id=case_id,
            kind="case.archived",  # type: ignore[arg-type]
            payload={},
            now=NOW,
        )
    with demo.db.read() as session:
        assert sorted(session.scalars(select(m.OutboxEvent.kind).where(m.OutboxEvent.entity_id == case_id))) == before
