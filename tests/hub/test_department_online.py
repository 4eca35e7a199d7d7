"""全程网办: the department that decides a fully-online item pre-reviews its online
applications in the console and accepts them itself. The case is made at the hub, numbered
in the department's own series, source online, with the promised date from the working-day
calendar; the resident's query code opens its public page; the chosen center's windows are
told through the feed; the report counts it as applied online. Only that department's
staff, only fully-online items; every action audited. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import threading

import jsonschema
import pytest
from PIL import Image
from sqlalchemy import select

from windowdesk.domain.assessment import GROUPINGS
from windowdesk.domain.ids import resident_id_check_char
from windowdesk.hub.errors import Conflict, Forbidden, InvalidInput, NotFound
from windowdesk.hub.services import department_online, department_work, province_export, public_cases, public_ratings
from windowdesk.hub.services import online_applications as applications
from windowdesk.hub.services.calendar_years import hub_calendar
from windowdesk.hub.services.console_rights import ADMINISTRATOR, DEPARTMENT, SUPERVISOR, ConsoleActor
from windowdesk.hub.services.online_uploads import Upload
from windowdesk.hub.services.reports import city_report, report_json
from windowdesk.hub.storage.application_files import ApplicationFiles
from windowdesk.hub.storage.models import Case, CaseEvent, Organisation
from windowdesk.hub.storage.models_applications import OnlineApplication
from windowdesk.hub.storage.models_console import HubAuditEntry
from windowdesk.hub.storage.models_figures import CaseFigures
from windowdesk.hub.storage.sealing import sealer_for

from .conftest import EventFactory, Hub
from .report_oracle import oracle_report
from .test_province_export import SCHEMA

LABOUR = ConsoleActor("21", "lb", "人社小周", DEPARTMENT, "LBJ")  # LB-005's department: fully online
CIVIL = ConsoleActor("22", "mz", "民政小李", DEPARTMENT, "MZJ")  # MZ-003's: online, not fully
SUPERVISION = ConsoleActor("23", "sup", "监察小赵", SUPERVISOR)
ADMIN = ConsoleActor("24", "admin", "管理员", ADMINISTRATOR)
CREDIT_CODE = "91350100M000100Y43"
ID_NUMBER = "11010519491231002" + resident_id_check_char("11010519491231002")
NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)  # a Monday, 10:00 in Beijing


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def files(hub: Hub, demo_catalog: None) -> ApplicationFiles:
    return ApplicationFiles(hub.data_dir, sealer_for(hub.data_dir))


def _employer(
    hub: Hub, files: ApplicationFiles, *, address: str = "10.0.0.9", credit_code: str = CREDIT_CODE
) -> applications.Submitted:
    return applications.submit(
        hub.db,
        files,
        item_code="LB-005",
        center_code="CH",
        address=address,
        now=NOW,
        uploads=[Upload("M01", "licence.jpg", _photo())],
        values={
            "credit_code": credit_code,
            "organisation_name": "某某科技有限公司",
            "contact_name": "周明",
            "contact_id_number": ID_NUMBER,
            "phone": "13800138000",
        },
    )


def _hardship(hub: Hub, files: ApplicationFiles) -> applications.Submitted:
    return applications.submit(
        hub.db,
        files,
        item_code="MZ-003",
        center_code="CH",
        address="10.0.0.8",
        now=NOW,
        uploads=[Upload("M01", "id.jpg", _photo())],
        values={"applicant_name": "王建国", "id_number": ID_NUMBER, "phone": "13800138000", "hardship": "疾病"},
    )


def _write(hub: Hub, work):
    return hub.db.run_write(work, feed=True)


def _accept(
    hub: Hub,
    files: ApplicationFiles,
    application_id: str,
    *,
    actor: ConsoleActor = LABOUR,
    round_: int = 1,
    at: dt.datetime = NOW,
) -> department_online.Accepted:
    return _write(
        hub,
        lambda session: department_online.accept(
            session, files, actor=actor, application_id=application_id, round_=round_, now=at, address="10.1.1.1"
        ),
    )


def _audit(hub: Hub, entity_id: str) -> list[tuple[str, str]]:
    with hub.db.read() as session:
        return [
            (e.actor, e.action)
            for e in session.scalars(
                select(HubAuditEntry).where(HubAuditEntry.entity_id == entity_id).order_by(HubAuditEntry.seq)
            )
        ]


def test_the_department_accepts_a_fully_online_application_as_a_case_of_its_own(hub: Hub, files) -> None:
    sent = _employer(hub, files)
    with hub.db.read() as session:
        [listed] = department_online.waiting(session, actor=LABOUR)
    assert (listed.number, listed.item_code, listed.round) == (sent.number, "LB-005", 1)
    opened = _write(
        hub,
        lambda session: department_online.open_application(
            session, files, actor=LABOUR, application_id=sent.application_id, now=NOW
        ),
    )
    assert opened.view.values["credit_code"] == CREDIT_CODE and opened.case_number is None

    accepted = _accept(hub, files, sent.application_id)
    # The department's own series, in the acceptance's transaction: WB-<department>-<year>-<seq>.
    assert accepted.case_number == "WB-LBJ-2026-000001"
    with hub.db.read() as session:
        case = session.get(Case, accepted.case_id)
        assert case is not None
        assert (case.source, case.window_id, case.accepted_by_department, case.center_code, case.status) == (
            "online",
            None,
            "LBJ",
            "CH",
            "accepted",
        )
        # LB-005 promises 5 working days, counted on the center's day by the hub's calendar.
        assert (
            case.promised_date
            == accepted.promised_date
            == hub_calendar(session).add_working_days(dt.date(2026, 12, 7), 5)
        )
        organisation = session.get(Organisation, case.applicant_id)
        assert organisation is not None and (organisation.credit_code, organisation.name) == (
            CREDIT_CODE,
            "某某科技有限公司",
        )
        [step] = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
        assert (step.source, step.kind, step.department_code) == ("hub", "accepted", "LBJ")
        row = session.get(OnlineApplication, sent.application_id)
        assert row is not None and (row.status, row.case_id) == ("completed", case.id)
        assert session.get(CaseFigures, case.id).source == "online"
        # It waits in the department's queue like any case.
        queue = department_work.department_queue(session, actor=LABOUR, now=NOW)
        assert [r.case_number for r in queue.rows] == [accepted.case_number]
        record = department_work.case_record(session, actor=LABOUR, case_ref=accepted.case_number, now=NOW)
        assert (record.window_id, record.online_application_id) == (None, sent.application_id)
        assert department_online.waiting(session, actor=LABOUR) == []
    # The resident's query code (the application's) opens the case's public page.
    found = public_cases.look_up_case(
        hub.db, case_number=accepted.case_number, code=sent.code, address="10.0.0.9", now=NOW
    )
    assert found.outcome == public_cases.FOUND
    page = public_cases.public_case(hub.db, accepted.case_id)
    assert page is not None and page.promised_date == accepted.promised_date and page.status == "accepted"
    # Rated on the public page like any case (it has no window to name).
    taken = public_ratings.rate_case(
        hub.db,
        case_id=accepted.case_id,
        level=5,
        aspects={"efficiency": 5, "quality": 5, "attitude": 5},
        comment="很方便",
        now=NOW,
    )
    assert taken is not None
    assert _audit(hub, sent.application_id)[-2:] == [
        ("console:lb", "application.read"),
        ("console:lb", "application.accepted"),
    ]

    # The next one takes the next number of the series; nothing skipped.
    second = _employer(hub, files, address="10.0.0.7")
    assert _accept(hub, files, second.application_id).case_number == "WB-LBJ-2026-000002"
    # A new year starts the series again.
    third = _employer(hub, files, address="10.0.0.6")
    assert (
        _accept(hub, files, third.application_id, at=dt.datetime(2027, 1, 4, 2, 0, tzinfo=dt.UTC)).case_number
        == "WB-LBJ-2027-000001"
    )


def test_the_provincial_record_names_the_department_as_the_accepting_party(hub: Hub, files) -> None:
    sent = _employer(hub, files)
    accepted = _accept(hub, files, sent.application_id)
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    with hub.db.read() as session:
        [record] = province_export.day_records(session, dt.date(2026, 12, 7))
    validator.validate(record)
    assert (record["case_number"], record["window"], record["source"]) == (accepted.case_number, None, "online")
    assert record["stages"][0]["stage"] == "受理" and record["stages"][0]["by"] == "LBJ"


def test_the_chosen_center_s_windows_are_told_with_the_case_and_no_personal_data(hub: Hub, files) -> None:
    ch, jd = hub.enroll("CH", "01"), hub.enroll("JD01", "01")
    sent = _employer(hub, files)
    accepted = _accept(hub, files, sent.application_id)
    told = [c for c in hub.changes(ch)["changes"] if c["kind"] == "application.pending"]
    assert [c["payload"]["status"] for c in told] == ["submitted", "completed"]
    assert told[-1]["payload"]["case"] == {
        "id": accepted.case_id,
        "number": accepted.case_number,
        "department": "LBJ",
        "promised_date": accepted.promised_date.isoformat(),
    }
    assert CREDIT_CODE not in str(told) and ID_NUMBER not in str(told) and "某某" not in str(told)
    assert [c for c in hub.changes(jd)["changes"] if c["kind"] == "application.pending"] == []


def test_a_window_s_pre_review_after_the_department_s_is_refused(hub: Hub, files, events: EventFactory) -> None:
    ch = hub.enroll("CH", "01")
    sent = _employer(hub, files)
    _accept(hub, files, sent.application_id)
    decided = events.event(
        "application.decided",
        "application",
        sent.application_id,
        {
            "id": sent.application_id,
            "center": "CH",
            "window": "CH-01",
            "decision": "accept",
            "round": 1,
            "returned": [],
            "at": events.clock.isoformat(),
        },
    )
    [(status, reason)] = hub.push_results(ch, [decided])
    assert status == "rejected" and "already pre-reviewed" in reason


def test_only_that_department_s_staff_and_only_for_fully_online_items(hub: Hub, files) -> None:
    employer, hardship = _employer(hub, files), _hardship(hub, files)
    for actor in (SUPERVISION, ADMIN):
        with hub.db.read() as session, pytest.raises(Forbidden):
            department_online.waiting(session, actor=actor)
        with pytest.raises(Forbidden):
            _accept(hub, files, employer.application_id, actor=actor)
    # Civil affairs' MZ-003 may be applied for online, but is not fully online: not theirs to accept here.
    with hub.db.read() as session:
        assert department_online.waiting(session, actor=CIVIL) == []
    for actor, application in ((CIVIL, hardship), (CIVIL, employer), (LABOUR, hardship)):
        with pytest.raises(NotFound):
            _write(
                hub,
                lambda session, a=actor, ap=application: department_online.open_application(
                    session, files, actor=a, application_id=ap.application_id, now=NOW
                ),
            )
        with pytest.raises(NotFound):
            _accept(hub, files, application.application_id, actor=actor)
    with hub.db.read() as session:
        assert session.scalar(select(Case.id)) is None
        assert {r.status for r in session.scalars(select(OnlineApplication))} == {"submitted"}


def test_returned_with_the_one_time_list_then_sent_again_and_accepted(hub: Hub, files) -> None:
    sent = _employer(hub, files)

    def give_back(entries, round_=1):
        return _write(
            hub,
            lambda session: department_online.return_for_more(
                session, actor=LABOUR, application_id=sent.application_id, round_=round_, entries=entries, now=NOW
            ),
        )

    with pytest.raises(InvalidInput):  # nothing listed
        give_back([{"material": "M01", "kind": "", "text": ""}])
    with pytest.raises(InvalidInput):  # a material the item does not ask for
        give_back([{"material": "M99", "kind": "missing", "text": "x"}])
    with pytest.raises(InvalidInput):  # no words
        give_back([{"material": "M03", "kind": "missing", "text": " "}])
    give_back(
        [
            {"material": "M03", "kind": "missing", "text": "社会保险登记表（加盖公章）"},
            {"material": "", "kind": "correction", "text": "联系电话请填手机号"},
        ]
    )
    with hub.db.read() as session:
        row = session.get(OnlineApplication, sent.application_id)
        assert row is not None and row.status == "returned" and len(row.returned) == 2
    with pytest.raises(Conflict):  # decided already: not twice
        _accept(hub, files, sent.application_id)
    applications.resubmit(
        hub.db,
        files,
        application_id=sent.application_id,
        values={},
        now=NOW,
        uploads=[Upload("M03", "form.jpg", _photo())],
    )
    with pytest.raises(Conflict):  # the round before
        _accept(hub, files, sent.application_id, round_=1)
    assert _accept(hub, files, sent.application_id, round_=2).case_number == "WB-LBJ-2026-000001"
    assert [action for _actor, action in _audit(hub, sent.application_id)] == [
        "application.submitted",
        "application.returned",
        "application.resubmitted",
        "application.accepted",
    ]


def test_refused_with_the_reason_the_resident_reads(hub: Hub, files) -> None:
    sent = _employer(hub, files)

    def refuse(reason):
        return _write(
            hub,
            lambda session: department_online.refuse(
                session, actor=LABOUR, application_id=sent.application_id, round_=1, reason=reason, now=NOW
            ),
        )

    with pytest.raises(InvalidInput):
        refuse("  ")
    refuse("申请单位未依法取得营业执照或登记证书")
    view = applications.open_application(
        hub.db, files, application_id=sent.application_id, reader=applications.RESIDENT_READER, now=NOW
    )
    assert view is not None and view.status == "refused"
    with hub.db.read() as session:
        row = session.get(OnlineApplication, sent.application_id)
        assert row is not None and row.refused_reason == "申请单位未依法取得营业执照或登记证书"
        assert session.scalar(select(Case.id)) is None
    with pytest.raises(Conflict):
        _accept(hub, files, sent.application_id)
    assert _audit(hub, sent.application_id)[-2][1] == "application.refused"


def test_the_report_counts_the_case_as_applied_online_like_the_case_by_case_report(hub: Hub, files) -> None:
    now = dt.datetime.now(dt.UTC)
    sent = applications.submit(
        hub.db,
        files,
        item_code="LB-005",
        center_code="CH",
        address="10.0.0.5",
        now=now,
        uploads=[],
        values={
            "credit_code": CREDIT_CODE,
            "organisation_name": "某某公司",
            "contact_name": "周明",
            "contact_id_number": ID_NUMBER,
            "phone": "13800138000",
        },
    )
    _accept(hub, files, sent.application_id, at=now)
    today = now.date()
    with hub.db.read() as session:
        for by in GROUPINGS:
            for narrowed in ({}, {"center": "CH"}, {"department": "LBJ"}):
                counted = city_report(
                    session, start=today - dt.timedelta(days=1), end=today + dt.timedelta(days=1), by=by, **narrowed
                )
                built = oracle_report(
                    session, start=today - dt.timedelta(days=1), end=today + dt.timedelta(days=1), by=by, **narrowed
                )
                assert report_json(counted) == report_json(built), (by, narrowed)
                assert (counted.total.accepted, counted.total.online_accepted) == (1, 1), (by, narrowed)


class _Undone(Exception):
    """Raised inside an acceptance's transaction after its number was taken: all of it is undone."""


def test_numbers_are_given_in_the_acceptance_s_transaction_never_twice_nor_skipped(hub: Hub, files) -> None:
    sent = [_employer(hub, files, address=f"10.0.1.{n}") for n in range(3)]

    def accept_then_fail(session):
        department_online.accept(session, files, actor=LABOUR, application_id=sent[0].application_id, round_=1, now=NOW)
        raise _Undone()

    with pytest.raises(_Undone):
        _write(hub, accept_then_fail)
    with hub.db.read() as session:
        assert session.scalar(select(Case.id)) is None
        assert session.get(OnlineApplication, sent[0].application_id).status == "submitted"
    # Three at once (threads, each its own transaction): three numbers, one each, none skipped.
    numbers: list[str] = []
    failures: list[BaseException] = []

    def accept(application_id: str) -> None:
        try:
            numbers.append(_accept(hub, files, application_id).case_number)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=accept, args=(s.application_id,)) for s in sent]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(numbers) == [f"WB-LBJ-2026-{n:06d}" for n in (1, 2, 3)]
