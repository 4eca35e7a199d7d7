"""Pages of a case's material rows on real encrypted files: add from images and PDFs,
reorder, turn, delete, the checked-against-the-original stamp, one outbox event per
change, refusal once the case is decided, a full disk."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from PIL import Image, ImageChops
from sqlalchemy import event, select

from windowdesk.domain.case_state import CaseAction
from windowdesk.errors import StorageError, ValidationError
from windowdesk.imaging import page_image
from windowdesk.services import cases, material_pages
from windowdesk.storage.db import Database
from windowdesk.storage.models import AuditEntry, CaseMaterialPage, OutboxEvent
from windowdesk.storage.page_store import PageStore

from .conftest import MATERIAL, accept_case, page_png, pdf_with_pages, write


def outbox(db, kind: str = "case.pages") -> list[SimpleNamespace]:
    with db.read() as session:
        return [
            SimpleNamespace(entity=e.entity, entity_id=e.entity_id, payload=e.payload)
            for e in session.scalars(select(OutboxEvent).where(OutboxEvent.kind == kind).order_by(OutboxEvent.seq))
        ]


def audit_actions(db) -> list[str]:
    with db.read() as session:
        return [entry.action for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq))]


def page_rows(db) -> int:
    with db.read() as session:
        return len(list(session.scalars(select(CaseMaterialPage))))


def shown(demo, store, page_id: str) -> Image.Image:
    return Image.open(
        io.BytesIO(material_pages.page_preview(demo.db, store, demo.ctx, page_id=page_id, longest_side=4000))
    )


def test_image_and_pdf_files_become_grey_300_dpi_jpeg_pages_in_order(demo, store, tmp_path):
    case = accept_case(demo)
    files = [write(tmp_path / "id-card.png", page_png("front")), write(tmp_path / "register.pdf", pdf_with_pages(3))]
    seen = []
    ids = material_pages.add_page_files(
        demo.db, store, demo.ctx, case_id=case.id, material_code=MATERIAL, paths=files, progress=seen.append
    )
    assert len(ids) == 4 and seen == [(1, 2), (2, 2)]
    pages = material_pages.case_pages(demo.db, demo.ctx, case_id=case.id).material(MATERIAL).pages
    assert [page.page_id for page in pages] == ids and [page.position for page in pages] == [0, 1, 2, 3]
    for page in pages:
        with Image.open(io.BytesIO(store.read(page.sha256))) as image:
            assert (image.format, image.mode, image.info["dpi"]) == ("JPEG", "L", (300, 300))
        assert page.mime == "image/jpeg" and page.size == store.size(page.sha256)
    with Image.open(io.BytesIO(store.read(pages[1].sha256))) as rendered:
        assert rendered.size == (2481, 3508)  # A4 at 300 dpi
    events = outbox(demo.db)
    assert len(events) == 1, "one change, one event"
    payload = events[0].payload
    assert events[0].entity == "case" and events[0].entity_id == case.id
    assert payload["case_id"] == case.id and payload["material_code"] == MATERIAL
    assert [p["page_id"] for p in payload["pages"]] == ids
    assert payload["pages"][0] == {
        "page_id": ids[0],
        "sha256": pages[0].sha256,
        "size": pages[0].size,
        "mime": "image/jpeg",
        "rotation": 0,
        "checked_by": None,
        "checked_at": None,
    }


def test_the_same_page_added_twice_is_stored_once(demo, store):
    case = accept_case(demo)
    content = page_png("same")
    first = material_pages.add_image(demo.db, store, demo.ctx, case_id=case.id, material_code=MATERIAL, image=content)
    second = material_pages.add_image(demo.db, store, demo.ctx, case_id=case.id, material_code="M02", image=content)
    view = material_pages.case_pages(demo.db, demo.ctx, case_id=case.id)
    assert first != second
    assert view.material(MATERIAL).pages[0].sha256 == view.material("M02").pages[0].sha256
    assert store.pending()[0] == 1
    assert [e.payload["material_code"] for e in outbox(demo.db)] == [MATERIAL, "M02"]


def test_reorder_turn_and_delete_each_send_the_whole_list(demo, store):
    case = accept_case(demo)
    ids = material_pages.add_pages(
        demo.db, store, demo.ctx, case_id=case.id, material_code=MATERIAL, contents=[page_png(label) for label in "abc"]
    )
    material_pages.reorder_pages(
        demo.db, demo.ctx, case_id=case.id, material_code=MATERIAL, page_ids=[ids[2], ids[0], ids[1]]
    )
    assert material_pages.rotate_page(demo.db, demo.ctx, page_id=ids[0]) == 90
    assert material_pages.rotate_page(demo.db, demo.ctx, page_id=ids[0], quarter_turns=-2) == 270
    material_pages.delete_page(demo.db, demo.ctx, page_id=ids[2])
    events = outbox(demo.db)
    assert len(events) == 5
    assert [[p["page_id"] for p in e.payload["pages"]] for e in events] == [
        ids,
        [ids[2], ids[0], ids[1]],
        [ids[2], ids[0], ids[1]],
        [ids[2], ids[0], ids[1]],
        [ids[0], ids[1]],
    ]
    assert [p["rotation"] for p in events[-1].payload["pages"]] == [270, 0]
    pages = material_pages.case_pages(demo.db, demo.ctx, case_id=case.id).material(MATERIAL).pages
    assert [(p.page_id, p.position) for p in pages] == [(ids[0], 0), (ids[1], 1)]
    # Shown turned, stored as it came: a portrait page is shown landscape.
    assert shown(demo, store, ids[0]).size[0] > shown(demo, store, ids[0]).size[1]
    with Image.open(io.BytesIO(store.read(pages[0].sha256))) as stored:
        assert stored.size[0] < stored.size[1]
    # The deleted page's bytes wait for the hub like every other.
    assert store.pending()[0] == 3
    with pytest.raises(ValidationError):
        material_pages.reorder_pages(demo.db, demo.ctx, case_id=case.id, material_code=MATERIAL, page_ids=[ids[0]])
    material_pages.delete_page(demo.db, demo.ctx, page_id=ids[0])
    material_pages.delete_page(demo.db, demo.ctx, page_id=ids[1])
    assert outbox(demo.db)[-1].payload["pages"] == []


def test_a_checked_page_carries_a_visible_stamp_and_an_audit_entry(demo, store):
    case = accept_case(demo)
    page_id = material_pages.add_image(
        demo.db, store, demo.ctx, case_id=case.id, material_code=MATERIAL, image=page_png("original", size=(2480, 3508))
    )
    material_pages.rotate_page(demo.db, demo.ctx, page_id=page_id, quarter_turns=2)
    before = shown(demo, store, page_id).convert("L")
    view = material_pages.mark_checked(demo.db, store, demo.ctx, page_id=page_id)
    after = shown(demo, store, page_id).convert("L")
    assert view.checked_by_name == demo.ctx.operator_name and view.checked_at is not None
    assert view.rotation == 0, "the stamp is drawn on the upright page, which is stored upright"
    assert before.size == after.size
    # Where the pixels changed by more than the re-encoding's small noise.
    changed = ImageChops.difference(before, after).point(lambda v: 255 if v > 64 else 0).getbbox()
    assert changed is not None, "no mark was drawn"
    width, height = after.size
    # The mark sits in the lower right corner, big enough to read: dark strokes inside it.
    assert changed[0] > width / 2 and changed[1] > height * 0.8
    assert (changed[2] - changed[0]) > width / 6
    corner = after.crop(changed)
    assert corner.getextrema()[0] < 60 and sum(corner.histogram()[:128]) > 2000
    payload = outbox(demo.db)[-1].payload["pages"][0]
    assert payload["checked_by"] == demo.ctx.operator_id and payload["checked_at"]
    assert payload["sha256"] == view.sha256
    entry_actions = audit_actions(demo.db)
    assert entry_actions[-1] == "case.page_checked"
    with demo.db.read() as session:
        detail = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first().detail
    assert detail["page_id"] == page_id and detail["sha256"] == view.sha256
    assert detail["unstamped_sha256"] != view.sha256


def test_pages_cannot_change_once_the_case_is_decided(demo, store, tmp_path):
    case = accept_case(demo)
    page_id = material_pages.add_image(
        demo.db, store, demo.ctx, case_id=case.id, material_code=MATERIAL, image=page_png("kept")
    )
    cases.change_status(demo.db, demo.ctx, case_id=case.id, action=CaseAction.WITHDRAW, note="申请人撤回")
    events, pending = len(outbox(demo.db)), store.pending()
    attempts = [
        lambda: material_pages.add_image(
            demo.db, store, demo.ctx, case_id=case.id, material_code=MATERIAL, image=page_png("late")
        ),
        lambda: material_pages.add_page_files(
            demo.db,
            store,
            demo.ctx,
            case_id=case.id,
            material_code=MATERIAL,
            paths=[write(tmp_path / "late.png", page_png("late file"))],
        ),
        lambda: material_pages.reorder_pages(
            demo.db, demo.ctx, case_id=case.id, material_code=MATERIAL, page_ids=[page_id]
        ),
        lambda: material_pages.rotate_page(demo.db, demo.ctx, page_id=page_id),
        lambda: material_pages.delete_page(demo.db, demo.ctx, page_id=page_id),
        lambda: material_pages.mark_checked(demo.db, store, demo.ctx, page_id=page_id),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.title == "The case is decided"
        assert case.number in caught.value.message and "Nothing was changed" in caught.value.message
    assert len(outbox(demo.db)) == events and store.pending() == pending
    assert material_pages.case_pages(demo.db, demo.ctx, case_id=case.id).can_change is False


def test_an_unreadable_file_is_refused_in_plain_words_and_adds_nothing(demo, store, tmp_path):
    case = accept_case(demo)
    files = [write(tmp_path / "good.png", page_png("good")), write(tmp_path / "notes.txt", b"not an image")]
    with pytest.raises(ValidationError) as caught:
        material_pages.add_page_files(demo.db, store, demo.ctx, case_id=case.id, material_code=MATERIAL, paths=files)
    assert "notes.txt" in caught.value.message and "Nothing was added" in caught.value.message
    assert page_rows(demo.db) == 0 and store.pending() == (0, 0) and outbox(demo.db) == []


def test_a_full_page_store_is_a_clear_error_and_nothing_is_half_stored(demo, tmp_path):
    case = accept_case(demo)
    (tmp_path / "full").mkdir()
    store = PageStore(tmp_path / "full" / "materials.db", key=demo.db.key)

    @event.listens_for(store.engine, "connect")
    def _small_disk(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 8}")

    store.engine.dispose()
    try:
        material_pages.add_image(
            demo.db, store, demo.ctx, case_id=case.id, material_code=MATERIAL, image=page_png("fits")
        )
        noise = Image.effect_noise((1600, 1600), 90)
        big = io.BytesIO()
        noise.save(big, "PNG")
        before = store.pending()
        with pytest.raises(StorageError) as caught:
            material_pages.add_image(
                demo.db, store, demo.ctx, case_id=case.id, material_code=MATERIAL, image=big.getvalue()
            )
        assert caught.value.title == "The disk is full" and "Nothing was saved" in caught.value.message
        assert store.pending() == before
        assert page_rows(demo.db) == 1 and len(outbox(demo.db)) == 1
    finally:
        store.dispose()


def test_a_full_main_database_takes_the_new_bytes_back(demo, store):
    case = accept_case(demo)
    demo.db.dispose()
    db = Database(demo.db.path, key=demo.db.key)

    @event.listens_for(db.write_engine, "connect")
    def _small_disk(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    added = []
    try:
        with pytest.raises(StorageError) as caught:
            for serial in range(300):
                added.append(
                    material_pages.add_image(
                        db,
                        store,
                        demo.ctx,
                        case_id=case.id,
                        material_code=MATERIAL,
                        image=page_png(f"page {serial}", size=(200, 280)),
                    )
                )
        assert caught.value.title == "The disk is full"
        assert added, "the limit left no room at all; the test proves nothing"
        # Every page saved has its bytes; the one that failed left none behind.
        assert store.pending()[0] == len(added) == page_rows(db)
        assert len(outbox(db)) == len(added)
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (dt.date(2026, 12, 7), "二〇二六年十二月七日"),
        (dt.date(2020, 10, 20), "二〇二〇年十月二十日"),
        (dt.date(2031, 1, 31), "二〇三一年一月三十一日"),
    ],
)
def test_the_stamp_writes_its_date_the_way_a_seal_does(day, words):
    assert page_image.chinese_date(day) == words
