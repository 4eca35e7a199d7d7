"""投诉 / 办不成事反映 from the public pages (issue 27), on SQLite and PostgreSQL: a web
complaint is a complaint like a window's (owner, deadline, reply in the console or at a
window, rectification), reaches its center's windows by the change feed, is read back by
number and code, and is counted apart and together in the reports."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.web.human import answer_for
from windowdesk.domain.service_quality import COMPLAINT_REPLY_WORKING_DAYS
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.services import console_accounts as accounts
from windowdesk.hub.services import console_rights as rights
from windowdesk.hub.services import public_complaints as web
from windowdesk.hub.services import reports, supervision
from windowdesk.hub.services.calendar_years import hub_calendar
from windowdesk.hub.storage.models import Operator
from windowdesk.hub.storage.models_quality import Complaint
from windowdesk.sync.protocol import CHANGE_COMPLAINT_REPLY, CHANGE_WEB_COMPLAINT

from .conftest import EventFactory, Hub, Workstation, utc_now

FACTS = "窗口说材料不全，但没有一次性告知缺什么，跑了三趟还没办成。"


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


def _file(hub: Hub, *, address: str = "10.0.0.1", **changes) -> web.Filed:
    values = dict(
        kind=web.NOT_DONE,
        center_code="CH",
        item_code="MZ-001",
        case_number="",
        facts=FACTS,
        phone="138 0013 8000",
        address=address,
        now=utc_now(),
    )
    values.update(changes)
    return web.file_complaint(hub.db, **values)


def _supervisor(hub: Hub) -> rights.ConsoleActor:
    with hub.db.write() as session:
        user = accounts.create_user(
            session,
            by=None,
            login="sup",
            display_name="Sup",
            role=rights.SUPERVISOR,
            department_code=None,
            password="Harbour-Lamp-4821",
            now=utc_now(),
        )
        return accounts.actor_of(user)


def test_a_web_complaint_is_owned_due_and_sent_to_its_centers_windows(hub: Hub, window: Workstation) -> None:
    supervisor_id = new_uuid()
    with hub.db.write() as session:
        session.add(
            Operator(
                id=supervisor_id,
                login="ch.lead",
                display_name="李主任",
                role="supervisor",
                center_code="CH",
                active=True,
                updated_at=utc_now(),
            )
        )
    street = hub.enroll("JD01", "01")
    filed = _file(hub)
    assert re.fullmatch(rf"WTS-CH-{utc_now().year}-00001", filed.number)
    assert len(filed.code) == web.CODE_LENGTH
    assert _file(hub, address="10.0.0.2").number.endswith("-00002")
    with hub.db.read() as session:
        row = session.scalars(select(Complaint).where(Complaint.number == filed.number)).one()
        session.expunge(row)
        today = utc_now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
        assert row.deadline == hub_calendar(session).add_working_days(today, COMPLAINT_REPLY_WORKING_DAYS)
    assert (row.source, row.kind, row.window_id, row.operator_id, row.owner_id, row.status) == (
        "web",
        "not_done",
        None,
        None,
        supervisor_id,
        "open",
    )
    assert row.contact_phone == "13800138000" and row.code_hash and filed.code not in row.code_hash
    [change, _second] = [c for c in hub.changes(window)["changes"] if c["kind"] == CHANGE_WEB_COMPLAINT]
    assert change["payload"]["number"] == filed.number and change["payload"]["owner"] == supervisor_id
    assert change["payload"]["deadline"] == row.deadline.isoformat() and change["payload"]["phone"] == "13800138000"
    # Another center's windows are not told.
    assert not [c for c in hub.changes(street)["changes"] if c["kind"] == CHANGE_WEB_COMPLAINT]


def test_what_the_form_refuses_and_the_per_address_limit(hub: Hub, window: Workstation) -> None:
    for changes, reason in (
        (dict(kind="praise"), web.BAD_KIND),
        (dict(center_code="XX"), web.BAD_CENTER),
        (dict(center_code=""), web.BAD_CENTER),
        (dict(facts="太慢"), web.BAD_FACTS),
        (dict(facts="长" * (web.MAX_FACTS + 1)), web.BAD_FACTS),
        (dict(phone="12345"), web.BAD_PHONE),
        (dict(window_id="JD01-01"), web.BAD_WINDOW),
        (dict(window_id="CH-99"), web.BAD_WINDOW),
    ):
        with pytest.raises(web.ComplaintRefused) as refused:
            _file(hub, **changes)
        assert refused.value.message == reason, changes
    for _ in range(web.MAX_PER_ADDRESS_PER_DAY):
        _file(hub)
    with pytest.raises(web.ComplaintRefused) as refused:
        _file(hub)
    assert refused.value.message == web.ADDRESS_LIMIT
    _file(hub, address="10.0.0.9")  # another address is not held back
    with hub.db.read() as session:
        assert session.query(Complaint).count() == web.MAX_PER_ADDRESS_PER_DAY + 1


def test_a_case_of_the_center_is_what_it_is_about_and_an_unknown_number_is_kept_as_written(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    resident = events.resident()
    case = events.case(resident["entity_id"])
    hub.push_results(window, [resident, case])
    number = case["payload"]["number"]
    about_case = _file(hub, case_number=number, item_code="")
    unknown = _file(hub, case_number="CH-20991231-01-9999", address="10.0.0.2", window_id="CH-02")
    other_center = _file(hub, case_number=number, center_code="JD01", address="10.0.0.3")
    with hub.db.read() as session:
        rows = {row.number: row for row in session.scalars(select(Complaint))}
        session.expunge_all()
    found = rows[about_case.number]
    assert (found.case_id, found.about_window_id, found.about_item_code) == (
        case["entity_id"],
        window.window_id,
        case["payload"]["item"],
    )
    assert found.facts.startswith(f"[{number}] ")
    for filed in (unknown, other_center):
        assert rows[filed.number].case_id is None and rows[filed.number].facts.startswith("[")
    assert rows[unknown.number].about_window_id == "CH-02"  # the window chosen in the form


def test_number_and_code_read_it_back_and_five_wrong_codes_lock_it(hub: Hub, window: Workstation) -> None:
    filed = _file(hub)
    found = web.look_up_complaint(
        hub.db, number=filed.number.lower(), code=filed.code.lower(), address="1.1.1.1", now=utc_now()
    )
    assert found.outcome == web.FOUND and found.complaint.facts == FACTS and not found.complaint.answered
    assert not hasattr(found.complaint, "contact_phone")
    unknown = web.look_up_complaint(
        hub.db, number="WTS-CH-2026-99999", code=filed.code, address="1.1.1.2", now=utc_now()
    )
    assert (unknown.outcome, unknown.tries_left) == (web.WRONG, web.MAX_TRIES - 1)
    for left in range(web.MAX_TRIES - 1, 0, -1):
        wrong = web.look_up_complaint(
            hub.db, number=filed.number, code="WRONGCOD", address=f"2.2.2.{left}", now=utc_now()
        )
        assert (wrong.outcome, wrong.tries_left) == (web.WRONG, left)
    assert (
        web.look_up_complaint(hub.db, number=filed.number, code="WRONGCOD", address="2.2.2.9", now=utc_now()).outcome
        == web.LOCKED
    )
    # Locked for the right code too, until the tries fall out of the window.
    assert (
        web.look_up_complaint(hub.db, number=filed.number, code=filed.code, address="3.3.3.3", now=utc_now()).outcome
        == web.LOCKED
    )
    later = utc_now() + web.LOOKUP_WINDOW + dt.timedelta(seconds=1)
    assert (
        web.look_up_complaint(hub.db, number=filed.number, code=filed.code, address="3.3.3.3", now=later).outcome
        == web.FOUND
    )


def test_the_console_s_reply_shows_on_the_public_page_and_reaches_the_windows(hub: Hub, window: Workstation) -> None:
    supervisor = _supervisor(hub)
    filed = _file(hub)
    with hub.db.read() as session:
        [row] = supervision.complaints(session, actor=supervisor, now=utc_now()).rows
    assert (row.number, row.source, row.kind, row.window_id) == (filed.number, "web", web.NOT_DONE, None)
    cursor = hub.changes(window)["next_cursor"]
    with hub.db.write(feed=True) as session:
        supervision.reply_to_complaint(
            session, actor=supervisor, complaint_id=row.id, reply="已约谈窗口，材料清单已补发", now=utc_now()
        )
    found = web.look_up_complaint(hub.db, number=filed.number, code=filed.code, address="1.1.1.1", now=utc_now())
    assert found.complaint.answered and found.complaint.reply == "已约谈窗口，材料清单已补发"
    [change] = hub.changes(window, after=cursor)["changes"]
    assert (change["kind"], change["payload"]["number"]) == (CHANGE_COMPLAINT_REPLY, filed.number)


def test_a_window_answers_a_web_complaint_and_sets_its_rectification(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    filed = _file(hub)
    complaint_id = next(c["entity_id"] for c in hub.changes(window)["changes"] if c["kind"] == CHANGE_WEB_COMPLAINT)
    task_id = new_uuid()
    replied = events.event(
        "complaint.replied",
        "complaint",
        complaint_id,
        {"id": complaint_id, "center": "CH", "reply": "已电话联系并当场办结", "replied_at": events.clock.isoformat()},
    )
    task = events.event(
        "rectification.set",
        "rectification",
        task_id,
        {
            "id": task_id,
            "complaint_id": complaint_id,
            "center": "CH",
            "task": "一次性告知培训",
            "unit": "综合窗口",
            "responsible": "王晓燕",
            "deadline": (utc_now().date() + dt.timedelta(days=10)).isoformat(),
        },
    )
    assert [s for s, _ in hub.push_results(window, [replied, task])] == ["applied", "applied"]
    found = web.look_up_complaint(hub.db, number=filed.number, code=filed.code, address="1.1.1.1", now=utc_now())
    assert found.complaint.reply == "已电话联系并当场办结"


def test_a_window_s_reply_to_a_web_complaint_is_told_to_the_center_and_a_window_complaint_s_is_not(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    """Every window of the center keeps a web complaint: the one that answers it, the hub
    tells the others ("complaint.reply", source "window", the operator by name). A
    complaint received at a window is that window's alone: its reply makes no change."""
    operator_id = new_uuid()
    with hub.db.write() as session:
        session.add(
            Operator(
                id=operator_id,
                login="ch.wang",
                display_name="王晓燕",
                role="supervisor",
                center_code="CH",
                active=True,
                updated_at=utc_now(),
            )
        )
    filed = _file(hub)
    complaint_id = next(c["entity_id"] for c in hub.changes(window)["changes"] if c["kind"] == CHANGE_WEB_COMPLAINT)
    cursor = hub.changes(window)["next_cursor"]
    at_window = new_uuid()
    received = events.event(
        "complaint.received",
        "complaint",
        at_window,
        {
            "id": at_window,
            "number": "TS-CH-01-0001",
            "center": "CH",
            "window": "CH-01",
            "operator": operator_id,
            "complainant_name": "张三",
            "complainant_phone": "13800138000",
            "about": {"window": "CH-01"},
            "facts": FACTS,
            "owner": operator_id,
            "deadline": (utc_now().date() + dt.timedelta(days=10)).isoformat(),
            "received_at": events.clock.isoformat(),
        },
    )
    replies = [
        events.event(
            "complaint.replied",
            "complaint",
            record,
            {
                "id": record,
                "center": "CH",
                "reply": reply,
                "replied_at": events.clock.isoformat(),
                "operator": operator_id,
            },
        )
        for record, reply in ((complaint_id, "已电话联系并当场办结"), (at_window, "已当面致歉"))
    ]
    assert [s for s, _ in hub.push_results(window, [received, *replies])] == ["applied"] * 3

    [change] = hub.changes(window, after=cursor)["changes"]
    assert (change["kind"], change["entity_id"]) == (CHANGE_COMPLAINT_REPLY, complaint_id)
    assert change["payload"] == {
        "complaint_id": complaint_id,
        "number": filed.number,
        "reply": "已电话联系并当场办结",
        "by": "王晓燕",
        "at": change["payload"]["at"],
        "source": "window",
    }
    assert not [c for c in hub.changes(hub.enroll("JD01", "01"))["changes"] if c["kind"] == CHANGE_COMPLAINT_REPLY]
    # Sent again (the window did not hear the answer): a duplicate, told nobody again.
    assert [s for s, _ in hub.push_results(window, replies[:1])] == ["duplicate"]
    assert hub.changes(window, after=change["seq"])["changes"] == []


def test_reports_count_web_and_window_complaints_apart_and_together(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    _file(hub)
    complaint_id = new_uuid()
    at_window = events.event(
        "complaint.received",
        "complaint",
        complaint_id,
        {
            "id": complaint_id,
            "number": "TS-CH-01-2026-0001",
            "center": "CH",
            "window": window.window_id,
            "operator": new_uuid(),
            "about": {"window": window.window_id},
            "facts": "态度生硬",
            "owner": new_uuid(),
            "deadline": (utc_now().date() + dt.timedelta(days=7)).isoformat(),
            "received_at": events.clock.isoformat(),
        },
    )
    assert hub.push_results(window, [at_window])[0][0] == "applied"
    with hub.db.read() as session:
        report = reports.city_report(
            session,
            start=utc_now().date() - dt.timedelta(days=1),
            end=utc_now().date() + dt.timedelta(days=1),
            by="center",
        )
    total = report.total
    assert (total.complaints, total.web_complaints, total.window_complaints) == (2, 1, 1)
    assert reports.report_json(report)["total"]["web_complaints"] == 1


def test_the_public_form_files_it_and_the_page_reads_it_back_escaped(hub: Hub, window: Workstation) -> None:
    client = hub.client
    form = client.get("/complain", params={"center": "CH"})
    assert form.status_code == 200 and 'value="CH" selected' in form.text
    token = re.search(r'name="human_token" value="([^"]+)"', form.text).group(1)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    data = {
        "csrf_token": csrf,
        "kind": web.COMPLAINT,
        "center": "CH",
        "item": "",
        "case_number": "",
        "facts": "<script>alert(1)</script> 等了两个小时没人理",
        "phone": "13800138000",
        "human_token": token,
        "human_answer": "99",
    }
    refused = client.post("/complain", data=data)
    assert refused.status_code == 422 and "等了两个小时没人理" in refused.text  # nothing typed is lost
    data["human_answer"] = answer_for(hub.data_dir, token)
    taken = client.post("/complain", data=data)
    assert taken.status_code == 200
    number = re.search(r'id="complaint-number">([^<]+)<', taken.text).group(1)
    code = re.search(r'id="complaint-code">([^<]+)<', taken.text).group(1)
    shown = client.post("/complaint", data={"csrf_token": csrf, "number": number, "code": code})
    assert shown.status_code == 200 and "&lt;script&gt;" in shown.text and "<script>alert" not in shown.text
    assert "13800138000" not in shown.text
    wrong = client.post("/complaint", data={"csrf_token": csrf, "number": number, "code": "AAAAAAAA"})
    assert wrong.status_code == 403
    assert client.post("/complaint", data={"number": number, "code": code}).status_code in (400, 403)  # no CSRF
