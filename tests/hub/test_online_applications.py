"""网上申报 at the hub: submitting (fields checked with the window's validators, files made
safe or everything refused), the application sealed at rest, the limits, following it
with its number and query code (the case's lock-out), correcting a returned one, and the
purge of applications never completed. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select, update

from tests.hub.conftest import VERSION_HEADERS
from tests.web.human import answer_for
from windowdesk.domain.ids import resident_id_check_char
from windowdesk.hub.app import create_public_app
from windowdesk.hub.cli import main
from windowdesk.hub.services import online_applications as applications
from windowdesk.hub.services import public_bookings as bookings
from windowdesk.hub.services.console_rights import ADMINISTRATOR, ConsoleActor
from windowdesk.hub.services.online_uploads import MAX_FILE_BYTES, Upload
from windowdesk.hub.settings import HubSettings
from windowdesk.hub.storage.application_files import ApplicationFiles
from windowdesk.hub.storage.models_applications import OnlineApplication, OnlineApplicationPage
from windowdesk.hub.storage.models_console import HubAuditEntry
from windowdesk.hub.storage.sealing import SealBroken, sealer_for
from windowdesk.sync.protocol import API_PREFIX

NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
ITEM = "MZ-003"
ADMIN = ConsoleActor("1", "admin", "Admin", ADMINISTRATOR)


def _id(first17: str = "11010519491231002") -> str:
    return first17 + resident_id_check_char(first17)


def _values(**changes: str) -> dict[str, str]:
    return {
        "applicant_name": "王建国",
        "id_number": _id(),
        "phone": "138 0013 8000",
        "hardship": "疾病",
        "since": "2026-11-30",
        **changes,
    }


def _photo(colour: str = "white", *, exif: bool = True) -> bytes:
    image = Image.new("RGB", (600, 800), colour)
    out = io.BytesIO()
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x8825] = {2: (39.0, 54.0, 20.0)}  # GPS: where the photo was taken
        extra["exif"] = data.tobytes()
    image.save(out, "JPEG", **extra)
    return out.getvalue()


def _pdf(pages: int = 2) -> bytes:
    images = [Image.new("RGB", (595, 842), "white") for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:])
    return out.getvalue()


@pytest.fixture
def catalog_hub(hub, demo_catalog):
    return hub


@pytest.fixture
def files(hub) -> ApplicationFiles:
    return ApplicationFiles(hub.data_dir, sealer_for(hub.data_dir))


def _submit(hub, files, *, values=None, uploads=None, address="10.0.0.1", now=NOW, center="CH"):
    return applications.submit(
        hub.db,
        files,
        item_code=ITEM,
        center_code=center,
        values=values if values is not None else _values(),
        uploads=uploads if uploads is not None else [Upload("M01", "id.jpg", _photo())],
        address=address,
        now=now,
    )


def _stored(hub, files) -> tuple[int, int, list[str]]:
    with hub.db.read() as session:
        rows = session.scalar(select(OnlineApplication).limit(1)) is not None
        pages = len(session.scalars(select(OnlineApplicationPage)).all())
    return int(rows), pages, files.folders()


def test_an_application_is_sealed_its_pages_made_safe_and_opened_with_its_code(catalog_hub, files) -> None:
    sent = _submit(catalog_hub, files, uploads=[Upload("M01", "id.jpg", _photo()), Upload("M03", "form.pdf", _pdf(2))])
    assert re.fullmatch(r"SQ-20261207-[A-Z0-9]{6}", sent.number)
    with catalog_hub.db.read() as session:
        row = session.get(OnlineApplication, sent.application_id)
        row = (row.sealed, row.status, row.round, row.center_code)
        pages = [
            (p.id, p.material_code, p.position)
            for p in session.scalars(
                select(OnlineApplicationPage).order_by(
                    OnlineApplicationPage.material_code, OnlineApplicationPage.position
                )
            )
        ]
    sealed, status, round_, center = row
    # Nothing the resident typed is in the clear, in the row or in the page files.
    assert _id().encode() not in sealed and "王建国".encode() not in sealed
    assert status == applications.SUBMITTED and round_ == 1 and center == "CH"
    assert [p[1:] for p in pages] == [("M01", 1), ("M03", 1), ("M03", 2)]
    on_disk = (files.root / sent.application_id / pages[0][0]).read_bytes()
    assert b"PhoneMaker" not in on_disk and not on_disk.startswith(b"\xff\xd8")
    # Each page is the window's stored form: a grey JPEG without the photo's metadata.
    stored = files.read(sent.application_id, pages[0][0])
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.mode == "L" and not image.getexif()
    assert b"PhoneMaker" not in stored
    # The wrong record's context, or another key, does not open it.
    with pytest.raises(SealBroken):
        files.sealer.open(sealed, context="application:someone-else")

    wrong = applications.look_up(catalog_hub.db, number=sent.number, code="ACDEFGHJ", address="10.0.0.9", now=NOW)
    assert wrong.outcome == applications.WRONG and wrong.tries_left == 4
    found = applications.look_up(
        catalog_hub.db, number=sent.number.lower(), code=sent.code.lower(), address="10.0.0.9", now=NOW
    )
    assert found.outcome == applications.FOUND and found.application_id == sent.application_id
    view = applications.open_application(
        catalog_hub.db, files, application_id=sent.application_id, reader="resident", now=NOW
    )
    assert view.values["id_number"] == _id() and view.values["phone"] == "13800138000"
    assert view.pages == {"M01": 1, "M03": 2}
    with catalog_hub.db.read() as session:
        actions = [
            e.action
            for e in session.scalars(select(HubAuditEntry).where(HubAuditEntry.entity_id == sent.application_id))
        ]
    assert actions == ["application.submitted", "application.read"]


def test_five_wrong_codes_lock_the_number_and_an_unknown_number_counts_the_same(catalog_hub, files) -> None:
    sent = _submit(catalog_hub, files)
    for left in (4, 3, 2, 1):
        tried = applications.look_up(
            catalog_hub.db, number=sent.number, code="ACDEFGHJ", address=f"10.1.0.{left}", now=NOW
        )
        assert tried.tries_left == left
    assert (
        applications.look_up(catalog_hub.db, number=sent.number, code="ACDEFGHJ", address="10.1.0.9", now=NOW).outcome
        == applications.LOCKED
    )
    # Locked even for the right code, until the window has passed.
    assert (
        applications.look_up(catalog_hub.db, number=sent.number, code=sent.code, address="10.1.0.9", now=NOW).outcome
        == applications.LOCKED
    )
    later = NOW + applications.LOOKUP_WINDOW + dt.timedelta(seconds=1)
    assert (
        applications.look_up(catalog_hub.db, number=sent.number, code=sent.code, address="10.1.0.9", now=later).outcome
        == applications.FOUND
    )
    unknown = applications.look_up(
        catalog_hub.db, number="SQ-20261207-XXXXXX", code=sent.code, address="10.2.0.1", now=NOW
    )
    assert unknown.outcome == applications.WRONG and unknown.tries_left == 4


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (Upload("M01", "photo.jpg", b"MZ\x90\x00" + b"\x00" * 4096), "is not a photo"),  # a renamed executable
        (Upload("M01", "scan.pdf", b"%PDF-1.7\n" + b"this is no pdf" * 100), "cannot be read as one"),
        (Upload("M01", "huge.jpg", b"\xff\xd8\xff" + b"\x00" * MAX_FILE_BYTES), "larger than"),
        (Upload("M99", "x.jpg", _photo()), "does not ask for"),
    ],
)
def test_a_bad_file_refuses_the_whole_application_and_nothing_is_stored(catalog_hub, files, upload, words) -> None:
    with pytest.raises(applications.ApplicationRefused) as refused:
        _submit(catalog_hub, files, uploads=[Upload("M02", "book.jpg", _photo()), upload])
    assert words in refused.value.message
    assert _stored(catalog_hub, files) == (0, 0, [])


def test_fields_are_checked_with_the_windows_validators_every_one_at_once(catalog_hub, files) -> None:
    bad_id = _id()[:17] + ("1" if _id()[17] == "0" else "0")
    with pytest.raises(applications.FieldsRefused) as refused:
        _submit(catalog_hub, files, values=_values(id_number=bad_id, phone="12ab", hardship="彩票"))
    assert set(refused.value.problems) == {"id_number", "phone", "hardship"}
    assert _stored(catalog_hub, files) == (0, 0, [])
    with pytest.raises(applications.ApplicationRefused) as refused:
        _submit(catalog_hub, files, center="NOPE")
    assert refused.value.message == applications.NO_CENTER
    with pytest.raises(applications.ApplicationRefused):
        applications.submit(
            catalog_hub.db,
            files,
            item_code="MZ-001",
            center_code="CH",
            values={},
            uploads=[],
            address="10.0.0.1",
            now=NOW,
        )


def test_submissions_are_limited_per_applicant_and_per_address(catalog_hub, files) -> None:
    for n in range(applications.MAX_PER_APPLICANT_PER_DAY):
        _submit(catalog_hub, files, address=f"10.3.0.{n}", uploads=[])
    with pytest.raises(applications.ApplicationRefused) as refused:
        _submit(catalog_hub, files, address="10.3.0.99", uploads=[])
    assert refused.value.message == applications.APPLICANT_LIMIT
    for n in range(applications.MAX_PER_ADDRESS_PER_DAY - 1):  # 10.3.0.0 sent one above
        _submit(
            catalog_hub, files, values=_values(id_number=_id(f"1101051949123{n:04d}")), uploads=[], address="10.3.0.0"
        )
    with pytest.raises(applications.ApplicationRefused) as refused:
        _submit(catalog_hub, files, values=_values(id_number=_id("11010519800101999")), uploads=[], address="10.3.0.0")
    assert refused.value.message == applications.ADDRESS_LIMIT
    # A day later the same applicant may apply again.
    _submit(catalog_hub, files, address="10.3.0.50", uploads=[], now=NOW + dt.timedelta(days=1, minutes=1))


def _return(hub, application_id: str, items: list[dict]) -> None:
    with hub.db.write() as session:
        session.execute(
            update(OnlineApplication)
            .where(OnlineApplication.id == application_id)
            .values(status=applications.RETURNED, returned=items)
        )


def test_only_a_returned_application_is_corrected_and_sent_again(catalog_hub, files) -> None:
    sent = _submit(catalog_hub, files)
    with pytest.raises(applications.ApplicationRefused):
        applications.resubmit(catalog_hub.db, files, application_id=sent.application_id, values={}, uploads=[], now=NOW)
    _return(catalog_hub, sent.application_id, [{"material": "M03", "kind": "missing", "text": ""}])
    later = NOW + dt.timedelta(hours=3)
    view = applications.resubmit(
        catalog_hub.db,
        files,
        application_id=sent.application_id,
        values={"id_number": "", "phone": "13900139000"},
        uploads=[Upload("M03", "form.jpg", _photo("grey"))],
        now=later,
    )
    assert view.status == applications.SUBMITTED and view.round == 2
    assert view.values["id_number"] == _id() and view.values["phone"] == "13900139000"  # empty keeps
    assert view.pages == {"M01": 1, "M03": 1}
    # A bad file on re-submission: refused, nothing added, the application still returned.
    _return(catalog_hub, sent.application_id, [{"material": "M04", "kind": "missing", "text": ""}])
    with pytest.raises(applications.ApplicationRefused):
        applications.resubmit(
            catalog_hub.db,
            files,
            application_id=sent.application_id,
            values={},
            uploads=[Upload("M04", "a.pdf", b"%PDF-junk")],
            now=later,
        )
    with catalog_hub.db.read() as session:
        assert session.get(OnlineApplication, sent.application_id).status == applications.RETURNED
        assert len(session.scalars(select(OnlineApplicationPage)).all()) == 2


def test_applications_never_completed_are_purged_with_their_pages(catalog_hub, files) -> None:
    old = _submit(catalog_hub, files, address="10.4.0.1")
    kept = _submit(catalog_hub, files, address="10.4.0.2", values=_values(id_number=_id("11010519800101888")))
    done = _submit(catalog_hub, files, address="10.4.0.3", values=_values(id_number=_id("11010519800101777")))
    with catalog_hub.db.write() as session:
        session.execute(
            update(OnlineApplication)
            .where(OnlineApplication.id == done.application_id)
            .values(status=applications.COMPLETED)
        )
        session.execute(
            update(OnlineApplication)
            .where(OnlineApplication.id == kept.application_id)
            .values(updated_at=NOW + dt.timedelta(days=30))
        )
    orphan = files.root / "never-committed"
    orphan.mkdir()
    (orphan / "page").write_bytes(b"x")
    at = NOW + dt.timedelta(days=applications.KEEP_DAYS, minutes=1)
    assert applications.purge(catalog_hub.db, files, now=at) == 1
    assert files.folders() == sorted([kept.application_id, done.application_id])
    with catalog_hub.db.read() as session:
        assert session.get(OnlineApplication, old.application_id) is None
        assert (
            session.scalar(
                select(OnlineApplicationPage).where(OnlineApplicationPage.application_id == old.application_id)
            )
            is None
        )
    assert applications.purge(catalog_hub.db, files, now=at, keep_days=10) == 1  # the configurable period


# ---- the public pages, over HTTP -------------------------------------------------------------


def _form_fields(page_text: str) -> dict[str, str]:
    return {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page_text).group(1),
        "human_token": re.search(r'name="human_token" value="([^"]+)"', page_text).group(1),
    }


def test_the_public_form_applies_and_refuses_a_body_too_large_unread(catalog_hub) -> None:
    client = catalog_hub.client
    guide = client.get(f"/guides/{ITEM}")
    assert f'href="/apply/{ITEM}"' in guide.text
    assert 'href="/apply/MZ-001"' not in client.get("/guides/MZ-001").text
    form = client.get(f"/apply/{ITEM}")
    assert form.status_code == 200 and "身份证号码" in form.text and 'name="file_M01"' in form.text
    hidden = _form_fields(form.text)
    data = {
        **hidden,
        "human_answer": answer_for(catalog_hub.data_dir, hidden["human_token"]),
        "center": "CH",
        **{f"f_{k}": v for k, v in _values().items()},
    }
    sent = client.post(f"/apply/{ITEM}", data=data, files=[("file_M01", ("id.jpg", _photo(), "image/jpeg"))])
    assert sent.status_code == 200, sent.text
    number = re.search(r'id="application-number">([^<]+)<', sent.text).group(1)
    code = re.search(r'id="query-code">([^<]+)<', sent.text).group(1)
    view = client.get("/application/view")
    assert number in view.text and 'data-state="submitted"' in view.text

    client.cookies.clear()
    find = client.get("/application")
    opened = client.post(
        "/application",
        data={
            "csrf_token": _form_fields(find.text + 'name="human_token" value="x"')["csrf_token"],
            "number": number,
            "query_code": code,
        },
        follow_redirects=False,
    )
    assert opened.status_code == 303 and opened.headers["location"] == "/application/view"

    # A 200 MB upload is answered from its declared length, with a page, before a byte is read.
    too_large = client.post(
        f"/apply/{ITEM}",
        content=b"x" * 10,
        headers={"content-type": "multipart/form-data; boundary=x", "content-length": str(200 * 1024 * 1024)},
    )
    assert too_large.status_code == 413 and "text/html" in too_large.headers["content-type"]
    assert "MB" in too_large.text and "未保存任何内容" in too_large.text  # in the page's language (zh_CN by default)
    with catalog_hub.db.read() as session:
        assert len(session.scalars(select(OnlineApplication)).all()) == 1


def test_the_purge_command_deletes_what_is_older_than_the_days_given(catalog_hub, files, capsys) -> None:
    sent = _submit(catalog_hub, files, now=dt.datetime.now(dt.UTC) - dt.timedelta(days=11))
    assert main(catalog_hub.cli_args("purge-applications", "--keep-days", "12")) == 0
    assert files.folders() == [sent.application_id]
    assert main(catalog_hub.cli_args("purge-applications", "--keep-days", "10")) == 0
    assert files.folders() == []
    assert "1" in capsys.readouterr().out


def test_only_the_items_department_reads_an_application_and_every_reading_is_recorded(catalog_hub, files) -> None:
    sent = _submit(catalog_hub, files, uploads=[Upload("M01", "id.jpg", _photo()), Upload("M03", "form.pdf", _pdf(1))])
    client = catalog_hub.client
    own = {**VERSION_HEADERS, "Authorization": f"Bearer {catalog_hub.staff_token('MZJ')}"}
    other = {**VERSION_HEADERS, "Authorization": f"Bearer {catalog_hub.staff_token('GAJ')}"}
    listed = client.get(f"{API_PREFIX}/applications", headers=own)
    assert listed.status_code == 200 and [a["number"] for a in listed.json()] == [sent.number]
    assert _id() not in listed.text and "王建国" not in listed.text  # a list carries no personal data
    assert client.get(f"{API_PREFIX}/applications", headers=other).json() == []
    assert client.get(f"{API_PREFIX}/applications/{sent.application_id}", headers=other).status_code == 404
    opened = client.get(f"{API_PREFIX}/applications/{sent.application_id}", headers=own)
    assert opened.status_code == 200 and opened.json()["values"]["id_number"] == _id()
    pages = opened.json()["pages"]
    assert [p["material_code"] for p in pages] == ["M01", "M03"]
    page = client.get(f"{API_PREFIX}/applications/{sent.application_id}/pages/{pages[1]['page_id']}", headers=own)
    assert page.status_code == 200 and page.headers["content-type"] == "image/jpeg"
    assert hashlib.sha256(page.content).hexdigest() == pages[1]["sha256"]
    assert (
        client.get(
            f"{API_PREFIX}/applications/{sent.application_id}/pages/{pages[1]['page_id']}", headers=other
        ).status_code
        == 404
    )
    assert client.get(f"{API_PREFIX}/applications/{sent.application_id}", headers=VERSION_HEADERS).status_code == 401
    with catalog_hub.db.read() as session:
        readings = [
            (e.actor, e.action)
            for e in session.scalars(
                select(HubAuditEntry).where(HubAuditEntry.entity_id == sent.application_id).order_by(HubAuditEntry.seq)
            )
        ]
    assert readings == [
        ("resident", "application.submitted"),
        ("department:MZJ", "application.read"),
        ("department:MZJ", "application.page_read"),
    ]
    # A page whose file is gone (a hub restored without it) is answered in words, not with an error.
    (files.root / sent.application_id / pages[0]["page_id"]).unlink()
    gone = client.get(f"{API_PREFIX}/applications/{sent.application_id}/pages/{pages[0]['page_id']}", headers=own)
    assert gone.status_code == 404 and "backup" in gone.json()["error"]["message"]


def test_the_public_only_process_bounds_what_a_form_sends_too(catalog_hub) -> None:
    settings = HubSettings.resolve(data_dir=catalog_hub.data_dir, database_url=catalog_hub.url)
    with TestClient(create_public_app(settings, database=catalog_hub.db)) as public:
        assert public.get(f"/apply/{ITEM}").status_code == 200
        too_large = public.post(
            f"/apply/{ITEM}",
            content=b"x" * 10,
            headers={"content-type": "multipart/form-data; boundary=x", "content-length": str(200 * 1024 * 1024)},
        )
        assert too_large.status_code == 413 and "未保存任何内容" in too_large.text
        # The other public forms keep their small cap there as on the full hub.
        assert (
            public.post(
                "/status",
                content=b"x" * 10,
                headers={"content-type": "application/x-www-form-urlencoded", "content-length": str(1024 * 1024)},
            ).status_code
            == 413
        )


def test_an_application_accepted_for_the_visit_offers_the_booking_where_the_center_books_it(catalog_hub) -> None:
    client = catalog_hub.client
    form = client.get(f"/apply/{ITEM}")
    hidden = _form_fields(form.text)
    data = {
        **hidden,
        "human_answer": answer_for(catalog_hub.data_dir, hidden["human_token"]),
        "center": "CH",
        **{f"f_{k}": v for k, v in _values().items()},
    }
    sent = client.post(f"/apply/{ITEM}", data=data, files=[("file_M01", ("id.jpg", _photo(), "image/jpeg"))])
    assert sent.status_code == 200, sent.text
    with catalog_hub.db.write() as session:  # the window's pre-review (tests/sync, tests/web) accepted it
        session.execute(update(OnlineApplication).values(status=applications.ACCEPTED))
    assert 'data-state="accepted"' in (page := client.get("/application/view").text)
    assert 'id="book-visit"' not in page  # the center takes no bookings for it

    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    with catalog_hub.db.write() as session:
        bookings.set_capacity(
            session,
            by=ADMIN,
            center_code="JD01",
            item_code=ITEM,
            day=tomorrow,
            half_day="am",
            capacity=5,
            now=dt.datetime.now(dt.UTC),
        )
    assert 'id="book-visit"' not in client.get("/application/view").text  # another center books it
    with catalog_hub.db.write() as session:
        bookings.set_capacity(
            session,
            by=ADMIN,
            center_code="CH",
            item_code=ITEM,
            day=tomorrow,
            half_day="am",
            capacity=5,
            now=dt.datetime.now(dt.UTC),
        )
    page = client.get("/application/view").text
    assert f'id="book-visit" class="button" href="/book?center=CH&amp;item={ITEM}"' in page
    booking_form = client.get(f"/book?center=CH&item={ITEM}").text
    assert f'value="{ITEM}" selected' in booking_form and 'value="CH" selected' in booking_form
