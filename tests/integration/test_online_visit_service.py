"""网上申报 at the visit (services/online_visit.py, intake.accept_case): the application
number or the applicant's ID number opens the form (the applicant registered from it when
not yet known, the materials with pages named); the case accepted from it records its
source as online, completes the application, and gets the uploaded pages as its pages."""

from __future__ import annotations

import pytest

from tests.sync.application_stand_in import ApplicationHub, bring_application, page_photo
from windowdesk.domain.ids import resident_id_check_char
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.services import catalog as catalog_service
from windowdesk.services import intake, material_pages, online_visit, prereview, reports
from windowdesk.services.intake import RECEIVED, MaterialCheck
from windowdesk.storage import models as m
from windowdesk.storage.page_store import content_hash

ID_NUMBER = "11010519491231002" + resident_id_check_char("11010519491231002")


def _accepted_for_visit(demo) -> ApplicationHub:
    hub = ApplicationHub(
        "SQ-20261207-EEEEEE",
        {"applicant_name": "李秀英", "id_number": ID_NUMBER},
        {"M01": [page_photo(1)], "M02": [page_photo(2), page_photo(3)]},
    )
    bring_application(demo.db, hub)
    prereview.accept_for_visit(demo.db, demo.ctx, application_id=hub.id)
    return hub


def _all_received(demo, item: str = "MZ-003") -> list[MaterialCheck]:
    return [
        MaterialCheck(mat.code, RECEIVED) for mat in catalog_service.get_item_guide(demo.db, item_code=item).materials
    ]


def test_the_number_or_the_id_number_opens_the_form(demo) -> None:
    hub = _accepted_for_visit(demo)
    by_number = online_visit.open_for_visit(demo.db, demo.ctx, key=" sq-20261207-eeeeee ")
    assert (by_number.application_id, by_number.item_code, by_number.with_pages) == (
        hub.id,
        "MZ-003",
        frozenset({"M01", "M02"}),
    )
    assert by_number.applicant is not None and by_number.applicant.name == "李秀英"  # registered from the form
    by_id = online_visit.open_for_visit(demo.db, demo.ctx, key=ID_NUMBER)
    assert by_id.application_id == hub.id and by_id.applicant.ref == by_number.applicant.ref  # found, not twice
    with pytest.raises(NotFoundError):
        online_visit.open_for_visit(demo.db, demo.ctx, key="SQ-20261207-ZZZZZZ")


def test_the_case_is_online_completes_the_application_and_gets_its_pages(demo) -> None:
    hub = _accepted_for_visit(demo)
    form = online_visit.open_for_visit(demo.db, demo.ctx, key=hub.number)
    result = intake.accept_case(
        demo.db,
        demo.ctx,
        item_code=form.item_code,
        applicant=form.applicant.ref,
        checks=_all_received(demo),
        shipped_calendar=demo.calendar,
        online_application_id=form.application_id,
    )
    assert result.kind == "case" and result.warnings == ()
    with demo.db.read() as session:
        case = session.get(m.Case, result.id)
        assert (case.source, case.online_application_id) == ("online", hub.id)
        [payload] = [e.payload for e in session.query(m.OutboxEvent) if e.kind == "case.accepted"]
    assert (payload["source"], payload["online_application"]) == ("online", hub.id)
    pages = material_pages.case_pages(demo.db, demo.ctx, case_id=result.id)
    assert [page.sha256 for page in pages.material("M02").pages] == [
        content_hash(d) for _i, mat, d in hub.pages if mat == "M02"
    ]
    assert len(pages.material("M01").pages) == 1
    # The window's report counts it as applied online.
    today = demo.ctx.local_today()
    report = reports.performance_report(
        demo.db, demo.ctx, start=today, end=today, by="center", shipped_calendar=demo.calendar
    )
    assert (report.total.accepted, report.total.online_accepted) == (1, 1)
    # Finished: it opens no more, and no second case takes it.
    with pytest.raises(NotFoundError):
        online_visit.open_for_visit(demo.db, demo.ctx, key=hub.number)
    with pytest.raises(ValidationError):
        intake.accept_case(
            demo.db,
            demo.ctx,
            item_code="MZ-003",
            applicant=form.applicant.ref,
            checks=_all_received(demo),
            shipped_calendar=demo.calendar,
            online_application_id=hub.id,
        )


def test_another_item_does_not_finish_it(demo) -> None:
    hub = _accepted_for_visit(demo)
    form = online_visit.open_for_visit(demo.db, demo.ctx, key=hub.number)
    with pytest.raises(ValidationError):
        intake.accept_case(
            demo.db,
            demo.ctx,
            item_code="MZ-001",
            applicant=form.applicant.ref,
            checks=_all_received(demo, "MZ-001"),
            shipped_calendar=demo.calendar,
            online_application_id=hub.id,
        )
    with demo.db.read() as session:
        assert session.query(m.Case).filter(m.Case.online_application_id == hub.id).count() == 0
