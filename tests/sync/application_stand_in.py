"""An online application as the hub hands it to the windows of its center, for the tests
of the pre-review that need one on the window without a hub process (the sync test with
a real hub is tests/sync/test_online_prereview_sync.py): the feed's change applied by the
real sync_apply, the values and pages fetched by the real application_fetch from this
stand-in of the hub's workstation endpoints."""

from __future__ import annotations

import datetime as dt
import io
import uuid

from PIL import Image, ImageDraw

from windowdesk.services.application_fetch import fetch_applications
from windowdesk.services.sync_apply import apply_change
from windowdesk.storage.page_store import content_hash, page_store_for
from windowdesk.sync import protocol

from .hub_stand_in import HubStandIn

ITEM = "MZ-003"  # 临时救助: M01 ID card, M02 household register, M03 application form


def page_photo(mark: int) -> bytes:
    image = Image.new("L", (300, 400), 255)
    ImageDraw.Draw(image).rectangle((20, 20, 280, 40 + 60 * mark), fill=0)
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


class ApplicationHub(HubStandIn):
    def __init__(
        self,
        number: str,
        values: dict[str, str],
        pages: dict[str, list[bytes]],
        *,
        round_: int = 1,
        returned: list[dict[str, str]] | None = None,
    ) -> None:
        self.id = str(uuid.uuid4())
        self.number, self.values, self.round, self.returned = number, values, round_, returned or []
        self.pages = [(str(uuid.uuid4()), material, data) for material, datas in pages.items() for data in datas]

    def waiting_applications(self) -> list[dict]:
        return [{"id": self.id, "number": self.number, "round": self.round, "status": "submitted"}]

    def application(self, application_id: str) -> dict:
        assert application_id == self.id
        return {
            "id": self.id,
            "status": "submitted",
            "round": self.round,
            "values": self.values,
            "fields": [
                {"code": "applicant_name", "label": "申请人姓名", "label_en": "Applicant's name", "kind": "text"},
                {"code": "id_number", "label": "身份证号码", "label_en": "ID number", "kind": "id_number"},
            ],
            "returned": self.returned,
            "pages": [
                {"page_id": page_id, "material_code": material, "sha256": content_hash(data)}
                for page_id, material, data in self.pages
            ],
        }

    def application_page(self, application_id: str, page_id: str) -> bytes:
        return next(data for known, _material, data in self.pages if known == page_id)


class SeveralApplications(HubStandIn):
    """The center's applications waiting at once."""

    def __init__(self, hubs: list[ApplicationHub]) -> None:
        self.hubs = {hub.id: hub for hub in hubs}

    def waiting_applications(self) -> list[dict]:
        return [entry for hub in self.hubs.values() for entry in hub.waiting_applications()]

    def application(self, application_id: str) -> dict:
        return self.hubs[application_id].application(application_id)

    def application_page(self, application_id: str, page_id: str) -> bytes:
        return self.hubs[application_id].application_page(application_id, page_id)


def bring_application(
    db, hub: ApplicationHub, *, seq: int = 1, at: dt.datetime | None = None, waiting_too: list[ApplicationHub] = ()
) -> None:
    """What a sync does with the application: the pulled change, then the fetch
    (``waiting_too``: applications brought before that still wait at the hub)."""
    at = at or dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)
    change = protocol.Change(
        seq,
        protocol.CHANGE_APPLICATION,
        "application",
        hub.id,
        {
            "id": hub.id,
            "number": hub.number,
            "item": ITEM,
            "center": "CH",
            "status": "submitted",
            "round": hub.round,
            "submitted_at": at.isoformat(),
            "updated_at": at.isoformat(),
        },
    )
    with db.write() as session:
        apply_change(session, change, now=at)
    fetch_applications(db, SeveralApplications([*waiting_too, hub]), page_store_for(db), call=lambda request: request())
