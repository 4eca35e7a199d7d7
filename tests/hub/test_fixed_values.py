"""The hub's fixed-value columns hold their domain StrEnum (hub/storage/models.py, TextEnum):
read back as members, and a value outside the set refused when written, the row left as it
was. Values are the database's as before (no migration). On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import Engine, String, event, select, text, update
from sqlalchemy.exc import StatementError

from windowdesk.domain.applicants import ApplicantKind
from windowdesk.domain.booking_status import BookingStatus, HalfDay
from windowdesk.domain.case_parts import PartStatus
from windowdesk.domain.case_sources import CaseSource
from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.catalog_forms import FormKind
from windowdesk.domain.catalog_model import CenterKind
from windowdesk.domain.commitment import VerificationResult
from windowdesk.domain.complaints import ComplaintKind, ComplaintSource, ComplaintStatus, ReplySource
from windowdesk.domain.console_roles import ConsoleRole
from windowdesk.domain.delivery import DeliveryMode
from windowdesk.domain.event_kinds import ChangeKind
from windowdesk.domain.ids import resident_id_check_char
from windowdesk.domain.online_application_status import ApplicationStatus, HubApplicationStatus, received_status
from windowdesk.domain.page_readers import PageReader
from windowdesk.domain.permissions import Role
from windowdesk.domain.quality_states import FollowUpStatus, InquiryStatus, QuestionStatus
from windowdesk.domain.service_quality import ASPECTS, RatingChannel, RatingStage
from windowdesk.domain.suspensions import SuspensionKind
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.services import (
    admin,
    console_accounts,
    figure_catchup,
    online_applications,
    public_bookings,
    public_complaints,
    public_questions,
    public_ratings,
    push_view,
    question_answers,
    replies,
)
from windowdesk.hub.services.console_rights import ADMINISTRATOR, DEPARTMENT, ConsoleActor
from windowdesk.hub.services.online_uploads import Upload
from windowdesk.hub.storage.application_files import ApplicationFiles
from windowdesk.hub.storage.models import (
    Case,
    CaseCommitment,
    CaseEvent,
    Center,
    Change,
    Notification,
    Operator,
    PushedEvent,
    Refusal,
)
from windowdesk.hub.storage.models_applications import OnlineApplication
from windowdesk.hub.storage.models_console import ConsoleUser
from windowdesk.hub.storage.models_delivery import CaseDelivery, CaseHandover
from windowdesk.hub.storage.models_figures import CaseFigures
from windowdesk.hub.storage.models_forms import FormVersion, Question
from windowdesk.hub.storage.models_pages import PageReading
from windowdesk.hub.storage.models_public import Booking, BookingSlot
from windowdesk.hub.storage.models_quality import CasePart, Complaint, Inquiry, Rating
from windowdesk.hub.storage.sealing import sealer_for
from windowdesk.sync.protocol import API_PREFIX, PushedEventStatus

from .conftest import VERSION_HEADERS, EventFactory, Hub, Workstation
from .test_commitment_cases import ACCEPTED_AT, _committed_case, _verify
from .test_service_quality import _complaint, _rating, _window_record


def _accepted_case(hub: Hub) -> str:
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    events = EventFactory()
    resident = events.resident()
    case = events.case(resident["entity_id"])
    assert {status for status, _ in hub.push_results(window, [resident, case])} == {"applied"}
    return case["entity_id"]


def test_a_case_s_source_reads_back_as_a_member(hub: Hub) -> None:
    case_id = _accepted_case(hub)
    with hub.db.read() as session:
        source = session.scalar(select(Case.source).where(Case.id == case_id))
    assert type(source) is CaseSource and source is CaseSource.WINDOW


def test_a_case_source_outside_the_set_is_refused_and_the_case_kept(hub: Hub) -> None:
    case_id = _accepted_case(hub)
    with pytest.raises(StatementError, match="'fax' is not a valid CaseSource"), hub.db.write() as session:
        session.get_one(Case, case_id).source = "fax"  # type: ignore[assignment]
        session.flush()
    with hub.db.read() as session:
        assert session.scalar(select(Case.source).where(Case.id == case_id)) is CaseSource.WINDOW


def _booked_visit(hub: Hub) -> str:
    hub.import_demo_catalog()
    now, tomorrow = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC), dt.date(2026, 12, 8)
    with hub.db.write() as session:
        public_bookings.set_capacity(
            session,
            by=ConsoleActor("1", "admin", "Admin", ADMINISTRATOR),
            center_code="JD01",
            item_code="MZ-002",
            day=tomorrow,
            half_day="am",
            capacity=2,
            now=now,
        )
    return public_bookings.book(
        hub.db,
        center_code="JD01",
        item_code="MZ-002",
        day=tomorrow,
        half_day="am",
        name="王建国",
        phone="13800138000",
        id_number="",
        address="10.0.0.1",
        now=now,
    )


def test_a_booking_s_status_reads_back_as_a_member_booked_then_cancelled(hub: Hub) -> None:
    code = _booked_visit(hub)
    with hub.db.read() as session:
        assert session.get_one(Booking, code).status is BookingStatus.BOOKED
    public_bookings.cancel(hub.db, code=code, now=dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC))
    with hub.db.read() as session:
        assert session.get_one(Booking, code).status is BookingStatus.CANCELLED


def test_a_booking_status_outside_the_set_is_refused_and_the_booking_kept(hub: Hub) -> None:
    code = _booked_visit(hub)
    with pytest.raises(StatementError, match="'lost' is not a valid BookingStatus"), hub.db.write() as session:
        session.get_one(Booking, code).status = "lost"  # type: ignore[assignment]
        session.flush()
    with hub.db.read() as session:
        assert session.get_one(Booking, code).status is BookingStatus.BOOKED


def test_the_centers_kinds_read_back_as_members(hub: Hub) -> None:
    hub.import_demo_catalog()
    with hub.db.read() as session:
        kinds = dict(session.execute(select(Center.code, Center.kind)).all())
    assert kinds["JD01"] is CenterKind.STREET and CenterKind.CITY_HALL in kinds.values()
    assert {type(kind) for kind in kinds.values()} == {CenterKind}


def test_a_center_kind_outside_the_set_is_refused_and_the_center_kept(hub: Hub) -> None:
    hub.import_demo_catalog()
    with pytest.raises(StatementError, match="'village' is not a valid CenterKind"), hub.db.write() as session:
        session.get_one(Center, "JD01").kind = "village"  # type: ignore[assignment]
        session.flush()
    with hub.db.read() as session:
        assert session.get_one(Center, "JD01").kind is CenterKind.STREET


def _operator(hub: Hub, role: str) -> str:
    hub.import_demo_catalog()
    with hub.db.write(feed=True) as session:
        operator, _ = admin.publish_operator(
            session,
            login="li4",
            display_name="李四",
            center_code="CH",
            role=role,
            now=dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC),
        )
        return operator.id


def test_an_operator_s_role_reads_back_as_a_member_that_prints_as_before(hub: Hub) -> None:
    operator_id = _operator(hub, "supervisor")
    with hub.db.read() as session:
        role = session.scalar(select(Operator.role).where(Operator.id == operator_id))
    assert type(role) is Role and role is Role.SUPERVISOR
    assert (str(role), f"{role}") == ("supervisor", "supervisor")  # as the plain string printed


def test_an_operator_role_outside_the_set_is_refused_and_the_operator_kept(hub: Hub) -> None:
    operator_id = _operator(hub, "operator")
    with pytest.raises(StatementError, match="'auditor' is not a valid Role"), hub.db.write() as session:
        session.get_one(Operator, operator_id).role = "auditor"  # type: ignore[assignment]
        session.flush()
    with hub.db.read() as session:
        assert session.get_one(Operator, operator_id).role is Role.OPERATOR


def _console_user(hub: Hub, role: str) -> str:
    hub.import_demo_catalog()
    with hub.db.write() as session:
        return console_accounts.create_user(
            session,
            by=None,
            login="mz.clerk",
            display_name="Clerk",
            role=role,
            department_code="MZJ",
            password="Harbour-Lamp-4821",
            now=dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC),
        ).id


def test_a_console_account_s_role_reads_back_as_a_member(hub: Hub) -> None:
    user_id = _console_user(hub, "department")
    with hub.db.read() as session:
        role = session.get_one(ConsoleUser, user_id).role
        actor = console_accounts.actor_of(session.get_one(ConsoleUser, user_id))
    assert type(role) is ConsoleRole and role is ConsoleRole.DEPARTMENT
    assert actor.role is ConsoleRole.DEPARTMENT and f"{actor.role}" == "department"


def test_a_console_role_outside_the_set_is_refused_and_the_account_kept(hub: Hub) -> None:
    user_id = _console_user(hub, "department")
    with pytest.raises(StatementError, match="'mayor' is not a valid ConsoleRole"), hub.db.write() as session:
        session.get_one(ConsoleUser, user_id).role = "mayor"  # type: ignore[assignment]
        session.flush()
    with hub.db.read() as session:
        assert session.get_one(ConsoleUser, user_id).role is ConsoleRole.DEPARTMENT


def _delivered_by_post(hub: Hub) -> str:
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    events = EventFactory()
    resident = events.resident()
    case = events.case(resident["entity_id"], delivery={"mode": "post", "address": "哈尔滨市南岗区学府路 1 号"})
    case_id = case["entity_id"]
    steps = [
        events.status(case_id, "start_review"),
        events.status(case_id, "approve"),
        events.status(case_id, "complete"),
        events.status(case_id, "deliver", handover={"mode": "post", "waybill": "1234567890123"}),
    ]
    assert {status for status, _ in hub.push_results(window, [resident, case, *steps])} == {"applied"}
    return case_id


def test_a_case_s_delivery_and_handover_modes_read_back_as_members(hub: Hub) -> None:
    case_id = _delivered_by_post(hub)
    with hub.db.read() as session:
        modes = (session.get_one(CaseDelivery, case_id).mode, session.get_one(CaseHandover, case_id).mode)
    assert modes == (DeliveryMode.POST, DeliveryMode.POST) and {type(mode) for mode in modes} == {DeliveryMode}


def test_a_delivery_mode_outside_the_set_is_refused_and_the_rows_kept(hub: Hub) -> None:
    case_id = _delivered_by_post(hub)
    for table in (CaseDelivery, CaseHandover):
        with pytest.raises(StatementError, match="'drone' is not a valid DeliveryMode"), hub.db.write() as session:
            session.get_one(table, case_id).mode = "drone"  # type: ignore[assignment]
            session.flush()
        with hub.db.read() as session:
            assert session.get_one(table, case_id).mode is DeliveryMode.POST


def _parallel_case_decided_by_one_department(hub: Hub) -> str:
    """GS-003 (企业设立登记): 工商 (GSJ), 质监 (ZJJ) and 税务 (SWJ) decide their parts; GSJ approves."""
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    events = EventFactory()
    resident = events.resident()
    case = events.case(resident["entity_id"], item="GS-003")
    assert {status for status, _ in hub.push_results(window, [resident, case])} == {"applied"}
    headers = {**VERSION_HEADERS, "Authorization": f"Bearer {hub.staff_token('GSJ')}"}
    answer = hub.client.post(
        f"{API_PREFIX}/cases/{case['entity_id']}/decisions",
        headers=headers,
        json={"decision": "approve", "department": "GSJ", "note": ""},
    )
    assert answer.status_code == 200, answer.text
    return case["entity_id"]


def _part_statuses(hub: Hub, case_id: str) -> dict[str, PartStatus]:
    with hub.db.read() as session:
        return dict(
            session.execute(select(CasePart.department_code, CasePart.status).where(CasePart.case_id == case_id)).all()
        )


def test_a_case_part_s_status_reads_back_as_a_member(hub: Hub) -> None:
    statuses = _part_statuses(hub, _parallel_case_decided_by_one_department(hub))
    assert statuses == {"GSJ": PartStatus.APPROVED, "ZJJ": PartStatus.PENDING, "SWJ": PartStatus.PENDING}
    assert {type(status) for status in statuses.values()} == {PartStatus}


def test_a_part_status_outside_the_set_is_refused_and_the_part_kept(hub: Hub) -> None:
    case_id = _parallel_case_decided_by_one_department(hub)
    with pytest.raises(StatementError, match="'maybe' is not a valid PartStatus"), hub.db.write() as session:
        part = session.scalars(select(CasePart).where(CasePart.case_id == case_id, CasePart.department_code == "GSJ"))
        part.one().status = "maybe"  # type: ignore[assignment]
        session.flush()
    assert _part_statuses(hub, case_id)["GSJ"] is PartStatus.APPROVED


def _suspended_case(hub: Hub) -> str:
    """A case pushed, then suspended for a hearing by its window (the push path's steps)."""
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    events = EventFactory()
    resident = events.resident()
    case = events.case(resident["entity_id"])
    suspend = events.status(case["entity_id"], "suspend", suspension_kind="hearing", note="听证")
    assert {status for status, _ in hub.push_results(window, [resident, case, suspend])} == {"applied"}
    return case["entity_id"]


def _timeline(hub: Hub, case_id: str) -> list[tuple[object, ...]]:
    with hub.db.read() as session:
        return [
            tuple(row)
            for row in session.execute(
                select(CaseEvent.action, CaseEvent.from_status, CaseEvent.to_status, CaseEvent.suspension_kind)
                .where(CaseEvent.case_id == case_id)
                .order_by(CaseEvent.seq)
            )
        ]


def test_a_case_s_status_and_its_steps_read_back_as_members(hub: Hub) -> None:
    case_id = _suspended_case(hub)
    with hub.db.read() as session:
        status = session.scalar(select(Case.status).where(Case.id == case_id))
    assert type(status) is CaseStatus and status is CaseStatus.SUSPENDED
    timeline = _timeline(hub, case_id)
    assert timeline == [
        (None, None, CaseStatus.ACCEPTED, None),
        ("suspend", CaseStatus.ACCEPTED, CaseStatus.SUSPENDED, SuspensionKind.HEARING),
    ]
    assert [type(value) for value in timeline[1][1:]] == [CaseStatus, CaseStatus, SuspensionKind]


def test_a_case_status_or_suspension_kind_outside_the_set_is_refused_and_the_case_kept(hub: Hub) -> None:
    case_id = _suspended_case(hub)
    with pytest.raises(StatementError, match="'archived' is not a valid CaseStatus"), hub.db.write() as session:
        session.get_one(Case, case_id).status = "archived"  # type: ignore[assignment]
        session.flush()
    with pytest.raises(StatementError, match="'holiday' is not a valid SuspensionKind"), hub.db.write() as session:
        session.execute(update(CaseEvent).where(CaseEvent.case_id == case_id).values(suspension_kind="holiday"))
    with hub.db.read() as session:
        assert session.scalar(select(Case.status).where(Case.id == case_id)) is CaseStatus.SUSPENDED
    assert _timeline(hub, case_id)[1][3] is SuspensionKind.HEARING


def test_the_case_s_status_words_are_stored_as_before(hub: Hub) -> None:
    """No migration: the columns keep the plain words, read without the model's types."""
    case_id = _suspended_case(hub)
    with hub.db.read() as session:
        raw = session.execute(
            select(Case.__table__.c.status.cast(String), CaseEvent.__table__.c.suspension_kind.cast(String))
            .join(CaseEvent.__table__, CaseEvent.__table__.c.case_id == Case.__table__.c.id)
            .where(Case.__table__.c.id == case_id, CaseEvent.__table__.c.action == "suspend")
        ).one()
    assert tuple(raw) == ("suspended", "hearing") and all(type(value) is str for value in raw)


def test_a_verification_s_result_reads_back_as_a_member_and_one_outside_the_set_is_refused(hub: Hub) -> None:
    hub.import_demo_catalog()
    case = _committed_case(hub, hub.enroll("CH", "01"), EventFactory(clock=ACCEPTED_AT))
    _verify(hub, case, "true")
    with hub.db.read() as session:
        result = session.get_one(CaseCommitment, case["entity_id"]).result
    assert type(result) is VerificationResult and result is VerificationResult.TRUE
    with pytest.raises(StatementError, match="'maybe' is not a valid VerificationResult"), hub.db.write() as session:
        session.get_one(CaseCommitment, case["entity_id"]).result = "maybe"  # type: ignore[assignment]
        session.flush()
    with hub.db.read() as session:
        assert session.get_one(CaseCommitment, case["entity_id"]).result is VerificationResult.TRUE


def test_a_booking_s_half_day_and_its_slot_s_read_back_as_members(hub: Hub) -> None:
    code = _booked_visit(hub)
    with hub.db.read() as session:
        booking = session.get_one(Booking, code)
        slot = session.get_one(BookingSlot, booking.slot_id)
        assert (booking.half_day, slot.half_day) == (HalfDay.AM, HalfDay.AM)
        assert (type(booking.half_day), type(slot.half_day)) == (HalfDay, HalfDay)


def test_a_half_day_outside_the_set_is_refused_and_a_booking_for_one_finds_no_slot(hub: Hub) -> None:
    code = _booked_visit(hub)
    with pytest.raises(StatementError, match="'noon' is not a valid HalfDay"), hub.db.write() as session:
        session.get_one(Booking, code).half_day = "noon"  # type: ignore[assignment]
        session.flush()
    with hub.db.read() as session:
        assert session.get_one(Booking, code).half_day is HalfDay.AM
    # A tampered form's half-day is answered as a slot that does not exist, not an error.
    with pytest.raises(public_bookings.BookingRefused) as refused:
        public_bookings.book(
            hub.db,
            center_code="JD01",
            item_code="MZ-002",
            day=dt.date(2026, 12, 8),
            half_day="noon",
            name="李四",
            phone="13900139000",
            id_number="",
            address="10.0.0.2",
            now=dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC),
        )
    assert refused.value.message == public_bookings.NO_SUCH_SLOT


def _complaints(hub: Hub) -> tuple[str, str]:
    """A window's complaint (pushed, then replied at the hub) and a web 办不成事反映 (open)."""
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    pushed = _complaint(EventFactory(), window, "TS-CH-01-2026-0001")
    assert [status for status, _ in hub.push_results(window, [pushed])] == ["applied"]
    now = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
    with hub.db.write(feed=True) as session:
        replies.reply_to_complaint(session, complaint=pushed["entity_id"], reply="已核实", by="市电子政务办", now=now)
    filed = public_complaints.file_complaint(
        hub.db,
        kind="not_done",
        center_code="CH",
        item_code="MZ-001",
        facts="窗口说材料不全，但没有一次性告知缺什么。",
        phone="138 0013 8000",
        address="10.0.0.3",
        now=now,
    )
    with hub.db.read() as session:
        web_id = session.scalar(select(Complaint.id).where(Complaint.number == filed.number))
    assert web_id is not None
    return pushed["entity_id"], web_id


def _row_words(hub: Hub, model: Any, row_id: str, names: tuple[str, ...], *, raw: bool) -> tuple:
    """The row's words in these columns: as the model reads them, or (``raw``) as stored."""
    c = model.__table__.c
    columns = [c[name].cast(String) if raw else c[name] for name in names]
    with hub.db.read() as session:
        return tuple(session.execute(select(*columns).where(c.id == row_id)).one())


def _complaint_words(hub: Hub, complaint_id: str, *, raw: bool = False) -> tuple:
    return _row_words(hub, Complaint, complaint_id, ("source", "kind", "status", "reply_source"), raw=raw)


def test_a_complaint_s_source_kind_status_and_reply_source_read_back_as_members(hub: Hub) -> None:
    window_id, web_id = _complaints(hub)
    window_words, web_words = _complaint_words(hub, window_id), _complaint_words(hub, web_id)
    assert window_words == (ComplaintSource.WINDOW, ComplaintKind.COMPLAINT, ComplaintStatus.REPLIED, ReplySource.HUB)
    assert web_words == (ComplaintSource.WEB, ComplaintKind.NOT_DONE, ComplaintStatus.OPEN, ReplySource.NONE)
    assert [type(word) for word in window_words] == [ComplaintSource, ComplaintKind, ComplaintStatus, ReplySource]
    # No migration: the columns keep the plain words.
    assert _complaint_words(hub, window_id, raw=True) == ("window", "complaint", "replied", "hub")
    assert _complaint_words(hub, web_id, raw=True) == ("web", "not_done", "open", "")


def test_a_complaint_word_outside_the_set_is_refused_and_the_complaint_kept(hub: Hub) -> None:
    window_id, web_id = _complaints(hub)
    for column, word, enum in (
        ("source", "phone", "ComplaintSource"),
        ("kind", "praise", "ComplaintKind"),
        ("status", "closed", "ComplaintStatus"),
        ("reply_source", "sms", "ReplySource"),
    ):
        with pytest.raises(StatementError, match=f"'{word}' is not a valid {enum}"), hub.db.write() as session:
            session.execute(update(Complaint).where(Complaint.id == window_id).values({column: word}))
    assert _complaint_words(hub, window_id, raw=True) == ("window", "complaint", "replied", "hub")
    # The web form's kind is checked before anything is stored.
    with pytest.raises(public_complaints.ComplaintRefused) as refused:
        public_complaints.file_complaint(
            hub.db,
            kind="praise",
            center_code="CH",
            facts="窗口说材料不全，但没有一次性告知缺什么。",
            phone="138 0013 8000",
            address="10.0.0.4",
            now=dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC),
        )
    assert refused.value.message == public_complaints.BAD_KIND
    with hub.db.read() as session:
        assert set(session.scalars(select(Complaint.id))) == {window_id, web_id}


def _inquiry_and_questions(hub: Hub) -> tuple[str, str, str]:
    """A window's inquiry, logged and answered (pushed), and two questions from the public
    pages, one answered by its department, one open."""
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    events, inquiry_id = EventFactory(), new_uuid()
    logged = events.event(
        "inquiry.logged",
        "inquiry",
        inquiry_id,
        {"id": inquiry_id, "center": "CH", "window": window.window_id, "operator": "op-1", "owner": "op-1"}
        | {"question": "老年证怎么办", "asked_at": events.clock.isoformat()},
    )
    answered = events.event(
        "inquiry.answered",
        "inquiry",
        inquiry_id,
        {"id": inquiry_id, "center": "CH", "answer": "带身份证", "answered_at": events.clock.isoformat()},
    )
    assert [status for status, _ in hub.push_results(window, [logged, answered])] == ["applied", "applied"]
    now = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
    asked, still_open = (
        public_questions.ask(hub.db, item_code="MZ-002", text=text, address=address, now=now)
        for text, address in (("医疗救助需要带户口本原件吗？", "10.0.0.5"), ("低保多久能办好？", "10.0.0.6"))
    )
    civil = ConsoleActor("11", "mz", "民政小李", DEPARTMENT, "MZJ")
    with hub.db.write() as session:
        question_answers.answer(session, actor=civil, number=asked.number, text="需要", now=now)
    return inquiry_id, asked.number, still_open.number


def test_an_inquiry_s_and_a_question_s_status_read_back_as_members(hub: Hub) -> None:
    inquiry_id, answered, still_open = _inquiry_and_questions(hub)
    with hub.db.read() as session:
        inquiry = session.get_one(Inquiry, inquiry_id).status
        questions = [session.get_one(Question, number).status for number in (answered, still_open)]
        raw = session.execute(
            select(Question.__table__.c.status.cast(String)).where(Question.number == answered)
        ).scalar_one()
        raw_inquiry = session.execute(
            select(Inquiry.__table__.c.status.cast(String)).where(Inquiry.id == inquiry_id)
        ).scalar_one()
    assert type(inquiry) is InquiryStatus and inquiry is InquiryStatus.ANSWERED
    assert questions == [QuestionStatus.ANSWERED, QuestionStatus.OPEN]
    assert {type(status) for status in questions} == {QuestionStatus}
    assert (raw_inquiry, raw) == ("answered", "answered")  # the plain words, as before


def test_an_inquiry_or_question_status_outside_the_set_is_refused_and_the_row_kept(hub: Hub) -> None:
    inquiry_id, answered, _still_open = _inquiry_and_questions(hub)
    with pytest.raises(StatementError, match="'closed' is not a valid InquiryStatus"), hub.db.write() as session:
        session.execute(update(Inquiry).where(Inquiry.id == inquiry_id).values(status="closed"))
    with pytest.raises(StatementError, match="'hidden' is not a valid QuestionStatus"), hub.db.write() as session:
        session.get_one(Question, answered).status = "hidden"  # type: ignore[assignment]
        session.flush()
    with hub.db.read() as session:
        assert session.get_one(Inquiry, inquiry_id).status is InquiryStatus.ANSWERED
        assert session.get_one(Question, answered).status is QuestionStatus.ANSWERED


def _ratings(hub: Hub) -> tuple[Workstation, EventFactory, str, str, str]:
    """Two ratings pushed by a window (a bad one with its follow-up, closed at the hub, and
    a good one naming no channel) and one given on the public pages for an accepted case."""
    case_id = _accepted_case(hub)
    window, events, follow_up_id = hub.enroll("CH", "02"), EventFactory(), new_uuid()
    bad = _rating(events, window, 2, follow_up={"id": follow_up_id, "owner": new_uuid(), "deadline": "2026-12-03"})
    unsaid = _rating(events, window, 5)
    del unsaid["payload"]["channel"]
    assert [status for status, _ in hub.push_results(window, [bad, unsaid])] == ["applied", "applied"]
    now = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
    with hub.db.write(feed=True) as session:
        replies.record_follow_up_outcome(session, follow_up_id=follow_up_id, outcome="已回访", by="张主任", now=now)
    web = public_ratings.rate_case(
        hub.db, case_id=case_id, level=5, aspects=dict.fromkeys(ASPECTS, 5), comment="", now=now
    ).rating_id
    return window, events, bad["entity_id"], unsaid["entity_id"], web


def _rating_words(hub: Hub, rating_id: str, *, raw: bool = False) -> tuple:
    return _row_words(hub, Rating, rating_id, ("channel", "stage", "follow_up_status"), raw=raw)


def test_a_rating_s_channel_stage_and_follow_up_status_read_back_as_members(hub: Hub) -> None:
    _window, _events, bad, unsaid, web = _ratings(hub)
    assert _rating_words(hub, bad) == (RatingChannel.APPLICANT_SCREEN, None, FollowUpStatus.CLOSED)
    assert _rating_words(hub, unsaid) == (RatingChannel.NONE, None, None)
    assert _rating_words(hub, web) == (RatingChannel.WEB, RatingStage.ACCEPTED, None)
    assert [type(word) for word in _rating_words(hub, bad)] == [RatingChannel, type(None), FollowUpStatus]
    assert type(_rating_words(hub, web)[1]) is RatingStage
    # No migration: the columns keep the plain words.
    assert _rating_words(hub, bad, raw=True) == ("applicant_screen", None, "closed")
    assert _rating_words(hub, unsaid, raw=True) == ("", None, None)
    assert _rating_words(hub, web, raw=True) == ("web", "accepted", None)


def test_a_rating_word_outside_the_set_is_refused_and_the_rating_kept(hub: Hub) -> None:
    _window, _events, bad, _unsaid, _web = _ratings(hub)
    for column, word, enum in (
        ("channel", "kiosk", "RatingChannel"),
        ("stage", "delivered", "RatingStage"),
        ("follow_up_status", "pending", "FollowUpStatus"),
    ):
        with pytest.raises(StatementError, match=f"'{word}' is not a valid {enum}"), hub.db.write() as session:
            session.execute(update(Rating).where(Rating.id == bad).values({column: word}))
    assert _rating_words(hub, bad, raw=True) == ("applicant_screen", None, "closed")


def test_a_pushed_rating_with_a_channel_a_window_does_not_have_is_refused_with_its_reason(hub: Hub) -> None:
    """A window's push: a word outside the window's channels ("web" included: the public
    pages' ratings are the hub's own) is refused with a clear reason, nothing stored."""
    window, events, *_ = _ratings(hub)
    kiosk, web = _rating(events, window, 4, channel="kiosk"), _rating(events, window, 4, channel="web")
    results = hub.push_results(window, [kiosk, web])
    assert [status for status, _ in results] == ["rejected", "rejected"]
    assert all("operator_screen, applicant_screen" in reason for _, reason in results)
    assert "'kiosk'" in results[0][1] and "'web'" in results[1][1]
    with hub.db.read() as session:
        assert (
            session.scalars(select(Rating.id).where(Rating.id.in_([kiosk["entity_id"], web["entity_id"]]))).all() == []
        )


def _applicant_rows(hub: Hub) -> tuple[str, str, str, int]:
    """A window's case (its figures row with it), a one-time notification and a refusal
    for a resident, and a reading of one of the case's pages by its center."""
    hub.import_demo_catalog()
    window, events = hub.enroll("CH", "01"), EventFactory()
    resident = events.resident()
    case = events.case(resident["entity_id"])
    notice = _window_record(events, "notification.given", "GZ", resident["entity_id"], new_uuid())
    refusal = _window_record(events, "refusal.given", "BY", resident["entity_id"], new_uuid())
    results = hub.push_results(window, [resident, case, notice, refusal])
    assert {status for status, _ in results} == {"applied"}, results
    with hub.db.write() as session:
        reading = PageReading(
            case_id=case["entity_id"],
            page_id=new_uuid(),
            sha256="0" * 64,
            actor_kind="center",
            actor_code="CH",
            read_at=dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC),
        )
        session.add(reading)
        session.flush()
        seq = reading.seq
    figure_catchup.catch_up(hub.db)  # the case's figures, as a reader of them finds them
    return case["entity_id"], notice["entity_id"], refusal["entity_id"], seq


def test_applicant_kinds_a_case_figures_source_and_a_page_reader_read_back_as_members(hub: Hub) -> None:
    case_id, notice_id, refusal_id, seq = _applicant_rows(hub)
    with hub.db.read() as session:
        kinds = [
            session.get_one(Case, case_id).applicant_kind,
            session.get_one(Notification, notice_id).applicant_kind,
            session.get_one(Refusal, refusal_id).applicant_kind,
            session.get_one(CaseFigures, case_id).applicant_kind,
        ]
        source = session.get_one(CaseFigures, case_id).source
        reader = session.get_one(PageReading, seq).actor_kind
        raw = session.execute(
            select(
                Case.__table__.c.applicant_kind.cast(String),
                CaseFigures.__table__.c.source.cast(String),
                PageReading.__table__.c.actor_kind.cast(String),
            )
            .join(CaseFigures.__table__, CaseFigures.__table__.c.case_id == Case.__table__.c.id)
            .join(PageReading.__table__, PageReading.__table__.c.case_id == Case.__table__.c.id)
            .where(Case.__table__.c.id == case_id)
        ).one()
    assert kinds == [ApplicantKind.RESIDENT] * 4 and {type(kind) for kind in kinds} == {ApplicantKind}
    assert type(source) is CaseSource and source is CaseSource.WINDOW
    assert type(reader) is PageReader and reader is PageReader.CENTER
    assert tuple(raw) == ("resident", "window", "center")  # the plain words, as before


def test_an_applicant_kind_figures_source_or_page_reader_outside_the_set_is_refused_and_the_row_kept(
    hub: Hub,
) -> None:
    case_id, notice_id, _refusal_id, seq = _applicant_rows(hub)
    for table, key, row_id, column, word, enum in (
        (Case, Case.id, case_id, "applicant_kind", "company", "ApplicantKind"),
        (Notification, Notification.id, notice_id, "applicant_kind", "company", "ApplicantKind"),
        (CaseFigures, CaseFigures.case_id, case_id, "source", "fax", "CaseSource"),
        (PageReading, PageReading.seq, seq, "actor_kind", "robot", "PageReader"),
    ):
        with pytest.raises(StatementError, match=f"'{word}' is not a valid {enum}"), hub.db.write() as session:
            session.execute(update(table).where(key == row_id).values({column: word}))
    with hub.db.read() as session:
        assert session.get_one(Case, case_id).applicant_kind is ApplicantKind.RESIDENT
        assert session.get_one(Notification, notice_id).applicant_kind is ApplicantKind.RESIDENT
        assert session.get_one(CaseFigures, case_id).source is CaseSource.WINDOW
        assert session.get_one(PageReading, seq).actor_kind is PageReader.CENTER


def test_a_form_version_s_kind_reads_back_as_a_member_and_one_outside_the_set_is_refused(hub: Hub) -> None:
    hub.import_demo_catalog()  # 表格下载: the shipped catalog's forms
    with hub.db.read() as session:
        kinds = sorted(session.scalars(select(FormVersion.kind)))
    assert kinds and {type(kind) for kind in kinds} == {FormKind}
    with pytest.raises(StatementError, match="'leaflet' is not a valid FormKind"), hub.db.write() as session:
        session.execute(update(FormVersion).values(kind="leaflet"))
    with hub.db.read() as session:
        assert sorted(session.scalars(select(FormVersion.kind))) == kinds
        words = session.scalars(select(FormVersion.kind.cast(String))).all()
    assert set(words) <= {kind.value for kind in FormKind}  # the words stored before


def _online_application(hub: Hub) -> tuple[Workstation, str]:
    """An application made on the public pages for 民政 MZ-003 at CH (told to the center's
    windows by the feed), then returned by a window's pre-review (pushed)."""
    hub.import_demo_catalog()
    files = ApplicationFiles(hub.data_dir, sealer_for(hub.data_dir))
    first17 = "11010519491231002"
    sent = online_applications.submit(
        hub.db,
        files,
        item_code="MZ-003",
        center_code="CH",
        address="10.0.0.9",
        now=dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC),
        uploads=[Upload("M01", "id.jpg", _grey_photo())],
        values={
            "applicant_name": "王建国",
            "id_number": first17 + resident_id_check_char(first17),
            "phone": "13800138000",
            "hardship": "疾病",
        },
    )
    window, events = hub.enroll("CH", "01"), EventFactory()
    returned = [{"material": "M03", "kind": "missing", "text": "申请书原件1份"}]
    decided = events.event(
        "application.decided",
        "application",
        sent.application_id,
        {"id": sent.application_id, "center": "CH", "window": "CH-01", "decision": "return", "round": 1}
        | {"returned": returned, "at": events.clock.isoformat()},
    )
    assert [status for status, _ in hub.push_results(window, [decided])] == ["applied"]
    return window, sent.application_id


def _grey_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(out, "JPEG")
    return out.getvalue()


def _application_status(hub: Hub, application_id: str, *, raw: bool = False) -> object:
    return _row_words(hub, OnlineApplication, application_id, ("status",), raw=raw)[0]


def test_an_online_application_s_status_reads_back_as_the_hub_s_member_its_word_stored_and_sent_as_before(
    hub: Hub,
) -> None:
    window, application_id = _online_application(hub)
    status = _application_status(hub, application_id)
    assert type(status) is HubApplicationStatus and status is HubApplicationStatus.RETURNED
    assert _application_status(hub, application_id, raw=True) == "returned"  # no migration: the plain word
    # On the wire, the plain words: the feed the window reads with ApplicationStatus, and the
    # departments' API.
    pending = [c for c in hub.changes(window)["changes"] if c["kind"] == "application.pending"]
    assert [c["payload"]["status"] for c in pending] == ["submitted"]
    assert received_status(pending[0]["payload"]["status"]) is ApplicationStatus.SUBMITTED
    staff = {**VERSION_HEADERS, "Authorization": f"Bearer {hub.staff_token('MZJ')}"}
    listed = hub.client.get(f"{API_PREFIX}/applications", headers=staff, params={"status": "returned"})
    assert listed.status_code == 200 and [a["status"] for a in listed.json()] == ["returned"]
    assert '"status":"returned"' in listed.text.replace(" ", "")
    # A word outside the hub's states finds nothing, as before (not a failed statement).
    for word in ("closed", "newer_hub", "lost"):
        answer = hub.client.get(f"{API_PREFIX}/applications", headers=staff, params={"status": word})
        assert (answer.status_code, answer.json()) == (200, [])


def test_every_state_of_the_hub_is_one_the_window_reads_as_itself() -> None:
    """The hub's five words are the window's ApplicationStatus words (the window's own two,
    closed and newer_hub, are not the hub's to take)."""
    assert {received_status(status.value) for status in HubApplicationStatus} == {
        ApplicationStatus(status.value) for status in HubApplicationStatus
    }
    assert {status.value for status in HubApplicationStatus} == {status.value for status in ApplicationStatus} - {
        ApplicationStatus.CLOSED.value,
        ApplicationStatus.NEWER_HUB.value,
    }


def test_an_online_application_status_outside_the_hub_s_set_is_refused_and_the_application_kept(hub: Hub) -> None:
    _window, application_id = _online_application(hub)
    # The window's own words too: they are not states of the hub.
    for word in ("closed", "newer_hub", "lost"):
        with (
            pytest.raises(StatementError, match=f"'{word}' is not a valid HubApplicationStatus"),
            hub.db.write() as session,
        ):
            session.get_one(OnlineApplication, application_id).status = word  # type: ignore[assignment]
            session.flush()
        with pytest.raises(StatementError, match=f"'{word}' is not a valid HubApplicationStatus"), hub.db.write() as s:
            s.execute(update(OnlineApplication).where(OnlineApplication.id == application_id).values(status=word))
    assert _application_status(hub, application_id, raw=True) == "returned"


def _pushed_with_one_refused(hub: Hub) -> tuple[Workstation, EventFactory, str, str, str]:
    """A resident (applied) and a case of an item the hub does not have (rejected)."""
    hub.import_demo_catalog()
    window, events = hub.enroll("CH", "01"), EventFactory()
    resident = events.resident()
    unknown = events.case(resident["entity_id"], item="XX-999")
    assert [status for status, _ in hub.push_results(window, [resident, unknown])] == ["applied", "rejected"]
    return window, events, resident["event_id"], unknown["event_id"], unknown["entity_id"]


def _pushed_status(hub: Hub, event_id: str, *, raw: bool = False) -> object:
    c = PushedEvent.__table__.c
    column = c.status.cast(String) if raw else c.status
    with hub.db.read() as session:
        return session.execute(select(column).where(c.event_id == event_id)).scalar_one()


def test_a_pushed_event_s_status_reads_back_as_a_member_stored_as_before(hub: Hub) -> None:
    _window, _events, applied, rejected, _case_id = _pushed_with_one_refused(hub)
    statuses = [_pushed_status(hub, event_id) for event_id in (applied, rejected)]
    assert statuses == [PushedEventStatus.APPLIED, PushedEventStatus.REJECTED]
    assert {type(status) for status in statuses} == {PushedEventStatus}
    assert [_pushed_status(hub, event_id, raw=True) for event_id in (applied, rejected)] == ["applied", "rejected"]
    # A resend is answered from the kept status, as before.
    with hub.db.read() as session:
        known = push_view.known_events(session, [applied, rejected])
    assert (known[applied].status, known[rejected].status) == (PushedEventStatus.APPLIED, PushedEventStatus.REJECTED)


def test_a_pushed_event_status_outside_the_set_is_refused_and_the_event_kept(hub: Hub) -> None:
    """ "duplicate" too: the push answers it, the hub never stores it."""
    _window, _events, applied, _rejected, _case_id = _pushed_with_one_refused(hub)
    for word in ("duplicate", "pending"):
        with (
            pytest.raises(StatementError, match=f"'{word}' is not a valid PushedEventStatus"),
            hub.db.write() as session,
        ):
            session.execute(update(PushedEvent).where(PushedEvent.event_id == applied).values(status=word))
    assert _pushed_status(hub, applied, raw=True) == "applied"


def test_the_push_still_finds_the_rejected_creations_through_their_partial_index(hub: Hub) -> None:
    """The statements a push sends for why a record is missing (push_view's rejected
    creations, the service-quality records' own) compare the status with the enum's word
    spelled out, so that SQLite and PostgreSQL plan them on ix_pushed_events_rejected; the
    plans of the very statements sent are read back."""
    window, events, _applied, _rejected, refused_case = _pushed_with_one_refused(hub)
    step = events.status(refused_case, "start_review")  # on the case whose acceptance was refused
    reply = events.event(
        "complaint.replied", "complaint", new_uuid(), {"reply": "已核实", "replied_at": events.clock.isoformat()}
    )
    sent: list[tuple[str, Any]] = []

    def seen(_conn, _cursor, sql, parameters, *_args) -> None:
        if "pushed_events" in sql and "status = 'rejected'" in sql:
            sent.append((sql, parameters))

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        results = hub.push_results(window, [step, reply])
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    assert [status for status, _ in results] == ["rejected", "rejected"]
    assert "its acceptance was rejected (Item XX-999" in results[0][1]  # the reason found through it
    assert len(sent) == 2, sent  # push_view's, then service_quality_rules'
    with hub.db.write() as session:  # SET LOCAL on PostgreSQL: this transaction only
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            plans = [
                "\n".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters))
                for sql, parameters in sent
            ]
            for plan in plans:
                assert "USING INDEX ix_pushed_events_rejected" in plan, plan
                assert "SCAN pushed_events\n" not in plan + "\n", plan
        else:
            # A test database holds few rows: with the sequential scan ruled out, only an
            # index whose condition the statement implies is planned.
            connection.execute(text("SET LOCAL enable_seqscan = off"))
            plans = [
                "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}", parameters))
                for sql, parameters in sent
            ]
            for plan in plans:
                assert "ix_pushed_events_rejected on pushed_events" in plan, plan
                assert "Seq Scan on pushed_events" not in plan, plan
        session.rollback()


def test_a_feed_change_s_kind_reads_back_as_a_member_and_one_outside_the_set_is_refused(hub: Hub) -> None:
    """The hub's changes.kind is ChangeKind (domain/event_kinds.py); the feed sends the word.
    An event kind is not a change kind ("case.accepted" is refused too)."""
    window, _events, _applied, _rejected, _case_id = _pushed_with_one_refused(hub)
    with hub.db.read() as session:
        kinds = set(session.scalars(select(Change.kind)))
        raw = set(session.scalars(select(Change.kind.cast(String))))
    assert ChangeKind.CATALOG in kinds and {type(kind) for kind in kinds} == {ChangeKind}
    assert raw == {kind.value for kind in kinds}  # the plain words: no migration
    assert ChangeKind.CATALOG.value in {change["kind"] for change in hub.changes(window)["changes"]}
    for word in ("case.accepted", "catalog.withdrawn"):
        refused = f"'{re.escape(word)}' is not a valid ChangeKind"
        with pytest.raises(StatementError, match=refused), hub.db.write() as session:
            session.execute(update(Change).values(kind=word))
    with hub.db.read() as session:
        assert set(session.scalars(select(Change.kind.cast(String)))) == raw
