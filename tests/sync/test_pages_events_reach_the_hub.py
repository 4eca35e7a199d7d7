"""Pages added offline at the window: their case.pages events wait in the outbox like any
other change and a real hub process takes them on the next sync (the bytes travel apart,
services/sync's page upload)."""

from __future__ import annotations

from windowdesk.domain.ids import resident_id_check_char
from windowdesk.domain.outbox_state import OutboxState
from windowdesk.services import applicants, intake, material_pages
from windowdesk.services.catalog import get_item_guide
from windowdesk.storage import models as m

from ..materials.conftest import page_png


def waiting_kinds(station) -> list[str]:
    with station.db.read() as session:
        return [
            kind
            for (kind,) in session.query(m.OutboxEvent.kind)
            .filter(m.OutboxEvent.state != OutboxState.SENT)  # not those confirmed, kept a while
            .order_by(m.OutboxEvent.seq)
        ]


def test_pages_added_offline_are_taken_by_the_hub_on_the_next_sync(enrolled_station):
    station = enrolled_station
    first17 = "23090219700101555"
    person = applicants.register_resident(
        station.db, station.ctx, id_number=first17 + resident_id_check_char(first17), name="赵文"
    )
    guide = get_item_guide(station.db, item_code="MZ-002")
    case = intake.accept_case(
        station.db,
        station.ctx,
        item_code="MZ-002",
        applicant=person.ref,
        checks=[intake.MaterialCheck(mat.code, intake.RECEIVED) for mat in guide.materials],
        shipped_calendar=station.calendar,
    )
    store = material_pages.open_page_store(station.db)
    page_ids = material_pages.add_pages(
        station.db, store, station.ctx, case_id=case.id, material_code="M01", contents=[page_png("一"), page_png("二")]
    )
    material_pages.rotate_page(station.db, station.ctx, page_id=page_ids[1])
    assert waiting_kinds(station).count("case.pages") == 2
    client = station.hub_client()
    try:
        report = station.runner(client, retries=0).run()
    finally:
        client.close()
    assert report.error is None and report.rejected == []
    assert waiting_kinds(station) == [] and report.applied >= 2


def test_the_pages_bytes_follow_from_the_window_s_own_store_and_are_confirmed(enrolled_station, serving_hub):
    """The window's page store (materials.db) is what the sync sends the bytes from: after one
    sync the hub holds every page by its hash and the window has nothing left waiting."""
    station = enrolled_station
    first17 = "23090219700101556"
    person = applicants.register_resident(
        station.db, station.ctx, id_number=first17 + resident_id_check_char(first17), name="钱文"
    )
    guide = get_item_guide(station.db, item_code="MZ-002")
    case = intake.accept_case(
        station.db,
        station.ctx,
        item_code="MZ-002",
        applicant=person.ref,
        checks=[intake.MaterialCheck(mat.code, intake.RECEIVED) for mat in guide.materials],
        shipped_calendar=station.calendar,
    )
    store = material_pages.open_page_store(station.db)
    material_pages.add_pages(
        station.db,
        store,
        station.ctx,
        case_id=case.id,
        material_code="M01",
        contents=[page_png("page 3"), page_png("page 4")],
    )
    pages, size = store.pending()
    assert pages == 2 and size > 0
    client = station.hub_client()
    try:
        report = station.runner(client, retries=0, blobs=store).run()
    finally:
        client.close()
    assert report.error is None and report.rejected == []
    assert store.pending() == (0, 0)
    held = {sha for (sha,) in serving_hub.rows("SELECT sha256 FROM page_blobs")}
    assert {sha for sha, _size in store.unconfirmed(10)} == set()
    with station.db.read() as session:
        listed = {row.sha256 for row in session.query(m.CaseMaterialPage).filter_by(case_id=case.id)}
    assert listed and listed <= held
