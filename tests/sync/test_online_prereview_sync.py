"""网上预审 through the real ``windowdesk-hub serve`` process on loopback: an online
application reaches the chosen center's windows by the normal pull, its values and pages
fetched through the workstation's endpoints (every reading in the hub's audit log, another
center's workstation answered as if there were none); the window's return reaches the
hub as an application.decided event, the resident sends it again, and the window accepts
the new round for the visit. A second window of the center stops showing it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image, ImageDraw

from tests.sync.hub_process import HubProcess, create_station
from windowdesk.domain.ids import resident_id_check_char
from windowdesk.errors import ValidationError
from windowdesk.hub.services import online_applications as hub_applications
from windowdesk.hub.services.online_uploads import Upload
from windowdesk.hub.storage.application_files import ApplicationFiles
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.sealing import sealer_for
from windowdesk.i18n import load_catalog, speaking_in
from windowdesk.paths import translations_dir
from windowdesk.services import catalog as catalog_service
from windowdesk.services import prereview
from windowdesk.services.intake import MISSING, RECEIVED, MaterialCheck
from windowdesk.storage import application_queries
from windowdesk.storage.page_store import content_hash, page_store_for
from windowdesk.sync.client import HubRefused

from .test_sync_with_hub import blank_stations, enrolled, hub, new_station, sync  # noqa: F401

ITEM = "MZ-003"
ID_NUMBER = "11010519491231002" + resident_id_check_char("11010519491231002")


def _photo(colour: str) -> bytes:
    """A page with a mark of its own (a flat page is levelled to the same bytes as any other)."""
    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).rectangle(
        (50, 50, 550, 100 + 300 * ["white", "#dddddd", "#eeeeee"].index(colour)), fill="black"
    )
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def _hub_side(process: HubProcess) -> tuple[HubDatabase, ApplicationFiles]:
    return HubDatabase(process.database_url), ApplicationFiles(process.data_dir, sealer_for(process.data_dir))


def _apply(process: HubProcess, center: str = "CH") -> hub_applications.Submitted:
    db, files = _hub_side(process)
    return hub_applications.submit(
        db,
        files,
        item_code=ITEM,
        center_code=center,
        address="10.0.0.7",
        now=dt.datetime.now(dt.UTC),
        values={"applicant_name": "王建国", "id_number": ID_NUMBER, "phone": "13800138000", "hardship": "疾病"},
        uploads=[Upload("M01", "id.jpg", _photo("white")), Upload("M02", "hukou.jpg", _photo("#dddddd"))],
    )


def _checks(station, missing: str) -> list[MaterialCheck]:
    guide = catalog_service.get_item_guide(station.db, item_code=ITEM)
    return [MaterialCheck(mat.code, MISSING if mat.code == missing else RECEIVED) for mat in guide.materials]


def test_an_online_application_is_pre_reviewed_at_the_chosen_centers_window(hub, new_station) -> None:  # noqa: F811
    hub.start()
    first, second = enrolled(new_station("CH", "01"), hub), enrolled(new_station("CH", "02"), hub)
    sent = _apply(hub)

    report = sync(first)
    assert report.ok and report.applications_fetched == 1, report
    [waiting] = prereview.waiting_applications(first.db, first.ctx)
    assert (waiting.number, waiting.round, waiting.values["id_number"]) == (sent.number, 1, ID_NUMBER)
    assert [(m.code, m.pages) for m in waiting.materials if m.pages] == [("M01", 1), ("M02", 1)]
    with speaking_in(load_catalog("zh_CN", translations_dir()), "zh_CN"):  # the form's labels, from the hub
        fields = dict(prereview.waiting_applications(first.db, first.ctx)[0].fields)
    assert fields["身份证号码"] == ID_NUMBER and fields["申请人姓名"] == "王建国"
    # The pages are in the window's page store, whole.
    for page in waiting.pages:
        data = prereview.page_bytes(first.db, first.ctx, application_id=waiting.id, page_id=page.page_id)
        assert content_hash(data) == page.sha256
        assert page_store_for(first.db).size(page.sha256) == len(data)
    # Every reading at the hub recorded with the workstation that read.
    actors = hub.rows(
        "SELECT actor, action FROM hub_audit WHERE entity_id = :a AND action LIKE 'application.%read' ORDER BY seq",
        a=sent.application_id,
    )
    assert actors and {actor for actor, _action in actors} == {f"workstation:{first.workstation_id}"}
    assert sorted(action for _actor, action in actors) == ["application.page_read"] * 2 + ["application.read"]

    returned = prereview.return_application(
        first.db, first.ctx, application_id=sent.application_id, checks=_checks(first, "M03")
    )
    assert [(r.material, r.kind) for r in returned] == [("M03", "missing")]
    assert prereview.waiting_applications(first.db, first.ctx) == []
    report = sync(first)
    assert report.ok and report.rejected == [], report
    status, listed = hub.rows("SELECT status, returned FROM online_applications")[0]
    assert status == "returned" and "M03" in str(listed)

    # The resident sends it again with the missing page: round 2 reaches the window.
    db, files = _hub_side(hub)
    hub_applications.resubmit(
        db,
        files,
        application_id=sent.application_id,
        values={},
        uploads=[Upload("M03", "form.jpg", _photo("#eeeeee"))],
        now=dt.datetime.now(dt.UTC),
    )
    assert sync(first).applications_fetched == 1
    [again] = prereview.waiting_applications(first.db, first.ctx)
    assert again.round == 2 and len(again.pages) == 3 and again.returned_before[0]["material"] == "M03"

    # Window 02 of the center sees it too, until window 01 decides it.
    assert sync(second).ok
    assert [w.number for w in prereview.waiting_applications(second.db, second.ctx)] == [sent.number]
    prereview.accept_for_visit(first.db, first.ctx, application_id=sent.application_id)
    assert sync(first).ok
    assert hub.rows("SELECT status, round, decided_by FROM online_applications") == [
        ("accepted", 2, first.ctx.window_id)
    ]
    assert sync(second).ok
    assert prereview.waiting_applications(second.db, second.ctx) == []
    with second.db.read() as session:  # what the resident typed is not kept where it is not needed
        closed = application_queries.get(session, sent.application_id)
        assert (closed.status, closed.values) == ("closed", {})
    with pytest.raises(ValidationError):
        prereview.accept_for_visit(second.db, second.ctx, application_id=sent.application_id)


def test_another_centers_window_is_answered_as_if_there_were_none(hub, tmp_path) -> None:  # noqa: F811
    hub.start()
    station = enrolled(create_station(tmp_path / "JD01-01", "JD01", "01"), hub)
    sent = _apply(hub, center="CH")
    client = station.hub_client()
    try:
        assert client.waiting_applications() == []
        for read in (
            lambda: client.application(sent.application_id),
            lambda: client.application_page(sent.application_id, sent.application_id),
        ):
            with pytest.raises(HubRefused) as refused:
                read()
            assert refused.value.status == 404
    finally:
        client.close()
        station.close()
    assert hub.scalar("SELECT count(*) FROM hub_audit WHERE action LIKE 'application.%read'") == 0
