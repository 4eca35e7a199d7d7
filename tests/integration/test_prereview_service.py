"""网上预审 at the window (services/prereview.py): the applications the sync brought,
oldest first, with their pages; accepting one for the visit, returning one with the
one-time list by intake's material checks (every material marked, a correction says
what, everything at once), each decision one outbox event; nothing decided twice."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.sync.application_stand_in import ApplicationHub, bring_application, page_photo
from windowdesk.errors import ValidationError
from windowdesk.i18n import load_catalog, speaking_in
from windowdesk.paths import translations_dir
from windowdesk.services import prereview
from windowdesk.services.intake import CORRECTION, MISSING, RECEIVED, MaterialCheck
from windowdesk.storage import models as m
from windowdesk.storage.page_store import content_hash

VALUES = {"applicant_name": "王建国", "phone": "13800138000", "hardship": "疾病"}


def _outbox(demo) -> list[tuple[str, dict]]:
    with demo.db.read() as session:
        return [
            (e.kind, e.payload)
            for e in session.query(m.OutboxEvent).order_by(m.OutboxEvent.seq)
            if e.kind == "application.decided"
        ]


def _brought(
    demo, number: str = "SQ-20261207-AAAAAA", at: dt.datetime | None = None, waiting_too: list[ApplicationHub] = ()
) -> ApplicationHub:
    hub = ApplicationHub(number, VALUES, {"M01": [page_photo(1)], "M02": [page_photo(2)]})
    bring_application(demo.db, hub, at=at, waiting_too=waiting_too)
    return hub


def test_waiting_applications_oldest_first_with_their_pages(demo) -> None:
    later = _brought(demo, "SQ-20261207-BBBBBB", at=dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC))
    earlier = _brought(
        demo, "SQ-20261207-AAAAAA", at=dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC), waiting_too=[later]
    )
    waiting = prereview.waiting_applications(demo.db, demo.ctx)
    assert [w.number for w in waiting] == [earlier.number, later.number]
    first = waiting[0]
    assert first.values == VALUES and first.item_name and first.round == 1
    # Under the form's labels where the hub named them (in the window's language), else the code.
    with speaking_in(load_catalog("zh_CN", translations_dir()), "zh_CN"):
        shown = prereview.waiting_applications(demo.db, demo.ctx)[0].fields
    assert shown == (("申请人姓名", "王建国"), ("phone", "13800138000"), ("hardship", "疾病"))
    with speaking_in(load_catalog("en", translations_dir()), "en"):
        assert prereview.waiting_applications(demo.db, demo.ctx)[0].fields[0] == ("Applicant's name", "王建国")
    assert [(mat.code, mat.pages) for mat in first.materials] == [("M01", 1), ("M02", 1), ("M03", 0), ("M04", 0)]
    for page, (_id, _material, data) in zip(first.pages, earlier.pages, strict=True):
        assert prereview.page_bytes(demo.db, demo.ctx, application_id=first.id, page_id=page.page_id) == data
        assert page.sha256 == content_hash(data)


def test_a_return_lists_everything_at_once_and_is_one_outbox_event(demo) -> None:
    hub = _brought(demo)
    checks = [
        MaterialCheck("M01", RECEIVED),
        MaterialCheck("M02", CORRECTION, "户口簿首页不清楚"),
        MaterialCheck("M03", MISSING),
        MaterialCheck("M04", RECEIVED),
    ]
    returned = prereview.return_application(
        demo.db, demo.ctx, application_id=hub.id, checks=checks, note="电话号码少一位"
    )
    assert [(r.material, r.kind) for r in returned] == [("M02", "correction"), ("M03", "missing"), ("", "correction")]
    assert returned[0].text == "户口簿首页不清楚" and returned[2].text == "电话号码少一位"
    assert returned[1].text  # what the missing material must be (the catalog's requirement)
    [(_kind, payload)] = _outbox(demo)
    assert (payload["decision"], payload["round"], payload["center"]) == ("return", 1, "CH")
    assert [entry["material"] for entry in payload["returned"]] == ["M02", "M03", ""]
    assert prereview.waiting_applications(demo.db, demo.ctx) == []
    with pytest.raises(ValidationError):  # decided once
        prereview.accept_for_visit(demo.db, demo.ctx, application_id=hub.id)
    assert len(_outbox(demo)) == 1


def test_a_return_needs_every_material_marked_a_correction_said_and_something_wrong(demo) -> None:
    hub = _brought(demo)
    for checks in (
        [MaterialCheck("M01", RECEIVED), MaterialCheck("M03", MISSING), MaterialCheck("M04", RECEIVED)],  # M02?
        [
            MaterialCheck("M01", RECEIVED),
            MaterialCheck("M02", CORRECTION),
            MaterialCheck("M03", MISSING),
            MaterialCheck("M04", RECEIVED),
        ],  # the correction does not say what
        [MaterialCheck(code, RECEIVED) for code in ("M01", "M02", "M03", "M04")],  # nothing to return
    ):
        with pytest.raises(ValidationError):
            prereview.return_application(demo.db, demo.ctx, application_id=hub.id, checks=checks)
    assert _outbox(demo) == [] and len(prereview.waiting_applications(demo.db, demo.ctx)) == 1


def test_accepted_for_the_visit(demo) -> None:
    hub = _brought(demo)
    prereview.accept_for_visit(demo.db, demo.ctx, application_id=hub.id)
    [(_kind, payload)] = _outbox(demo)
    assert (payload["decision"], payload["returned"], payload["window"]) == ("accept", [], demo.ctx.window_id)
    assert prereview.waiting_applications(demo.db, demo.ctx) == []


def test_a_change_applied_twice_changes_nothing(demo) -> None:
    hub = _brought(demo)
    prereview.accept_for_visit(demo.db, demo.ctx, application_id=hub.id)
    bring_application(demo.db, hub, seq=2)  # the same round again (a page applied twice)
    assert prereview.waiting_applications(demo.db, demo.ctx) == []
