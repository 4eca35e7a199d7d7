"""网上预审 at the hub: an online application reaches its center's windows through the feed
with no personal data; the workstation endpoints answer only that center's windows; the
application.decided rule applies a window's accept or return once, for the current
round, and refuses the rest in words. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from windowdesk.domain.ids import resident_id_check_char
from windowdesk.hub.services import online_applications as applications
from windowdesk.hub.services import province_export
from windowdesk.hub.services.online_uploads import Upload
from windowdesk.hub.storage.application_files import ApplicationFiles
from windowdesk.hub.storage.sealing import sealer_for
from windowdesk.sync.protocol import API_PREFIX

from .conftest import EventFactory, Hub

ID_NUMBER = "11010519491231002" + resident_id_check_char("11010519491231002")


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def sent(hub: Hub, demo_catalog: None) -> applications.Submitted:
    files = ApplicationFiles(hub.data_dir, sealer_for(hub.data_dir))
    return applications.submit(
        hub.db,
        files,
        item_code="MZ-003",
        center_code="CH",
        address="10.0.0.9",
        now=dt.datetime.now(dt.UTC),
        uploads=[Upload("M01", "id.jpg", _photo())],
        values={"applicant_name": "王建国", "id_number": ID_NUMBER, "phone": "13800138000", "hardship": "疾病"},
    )


def _decision(
    events: EventFactory,
    application_id: str,
    decision: str,
    *,
    round_: int = 1,
    returned: list | None = None,
    center: str = "CH",
) -> dict:
    return events.event(
        "application.decided",
        "application",
        application_id,
        {
            "id": application_id,
            "center": center,
            "window": f"{center}-01",
            "decision": decision,
            "round": round_,
            "returned": returned if returned is not None else [],
            "at": events.clock.isoformat(),
        },
    )


MISSING_M03 = [{"material": "M03", "kind": "missing", "text": "申请书原件1份"}]


def test_the_feed_names_the_application_to_its_center_only_without_personal_data(hub: Hub, sent) -> None:
    ch, jd = hub.enroll("CH", "01"), hub.enroll("JD01", "01")
    [change] = [c for c in hub.changes(ch)["changes"] if c["kind"] == "application.pending"]
    assert change["payload"]["number"] == sent.number and change["payload"]["round"] == 1
    assert ID_NUMBER not in str(change) and "王建国" not in str(change)
    assert [c for c in hub.changes(jd)["changes"] if c["kind"] == "application.pending"] == []
    listed = hub.client.get(f"{API_PREFIX}/window/applications", headers=jd.headers)
    assert listed.status_code == 200 and listed.json() == []
    opened = hub.client.get(f"{API_PREFIX}/window/applications/{sent.application_id}", headers=jd.headers)
    assert opened.status_code == 404
    opened = hub.client.get(f"{API_PREFIX}/window/applications/{sent.application_id}", headers=ch.headers)
    assert opened.status_code == 200 and opened.json()["values"]["id_number"] == ID_NUMBER


def test_a_decision_is_applied_once_for_the_current_round(hub: Hub, sent, events: EventFactory) -> None:
    ch = hub.enroll("CH", "01")
    jd = hub.enroll("JD01", "01")
    foreign = EventFactory(center="JD01", window="JD01-01")
    assert hub.push_results(jd, [_decision(foreign, sent.application_id, "accept", center="JD01")])[0][0] == "rejected"
    refused = hub.push_results(
        ch,
        [
            _decision(events, sent.application_id, "accept", round_=2),  # not its round
            _decision(events, sent.application_id, "return"),  # returned without the list
            _decision(events, sent.application_id, "accept", returned=MISSING_M03),  # accepted with one
            _decision(
                events, sent.application_id, "return", returned=[{"material": "M03", "kind": "lost", "text": "x"}]
            ),
            _decision(events, sent.application_id, "maybe"),
        ],
    )
    assert [status for status, _reason in refused] == ["rejected"] * 5
    assert all(reason for _status, reason in refused)
    answered = hub.push_results(
        ch,
        [
            _decision(events, sent.application_id, "return", returned=MISSING_M03),
            _decision(events, sent.application_id, "accept"),
        ],
    )
    assert [status for status, _reason in answered] == ["applied", "rejected"]
    with hub.db.read() as session:
        from windowdesk.hub.storage.models_applications import OnlineApplication

        row = session.get(OnlineApplication, sent.application_id)
        assert (row.status, row.returned, row.decided_by) == ("returned", MISSING_M03, "CH-01")
    listed = hub.client.get(f"{API_PREFIX}/window/applications", headers=ch.headers)
    assert listed.json() == []


def test_a_case_accepted_from_the_application_is_online_and_completes_it(hub: Hub, sent, events: EventFactory) -> None:
    ch = hub.enroll("CH", "01")
    resident = events.resident()
    assert hub.push_results(ch, [resident, _decision(events, sent.application_id, "accept")]) == [
        ("applied", ""),
        ("applied", ""),
    ]
    wrong = events.case(resident["entity_id"], item="MZ-003", source="by fax")
    assert hub.push_results(ch, [wrong])[0][0] == "rejected"
    case = events.case(resident["entity_id"], item="MZ-003", source="online", online_application=sent.application_id)
    assert hub.push_results(ch, [case]) == [("applied", "")]
    with hub.db.read() as session:
        from windowdesk.hub.storage.models import Case
        from windowdesk.hub.storage.models_applications import OnlineApplication

        assert session.get(Case, case["entity_id"]).source == "online"
        assert session.get(OnlineApplication, sent.application_id).status == "completed"
        # The provincial exchange's record names the source (来源).
        day = events.clock.astimezone(ZoneInfo("Asia/Shanghai")).date()
        [record] = [
            r for r in province_export.day_records(session, day) if r["case_number"] == case["payload"]["number"]
        ]
        assert record["source"] == "online"
    # A case of the window (no source named) stays "window", as before.
    plain = events.case(resident["entity_id"], item="MZ-003")
    assert hub.push_results(ch, [plain]) == [("applied", "")]
    with hub.db.read() as session:
        assert session.get(Case, plain["entity_id"]).source == "window"
