"""Forms to download (表格下载, issue 30): published with the catalog, checked, stored once
by hash, versioned (a new file is the next version, old versions kept), downloaded from
the guide page with the right type and name. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import select

from windowdesk.domain.catalog import parse_catalog
from windowdesk.hub.errors import Conflict, InvalidInput
from windowdesk.hub.services import catalog_import, city_publishing
from windowdesk.hub.services.console_rights import ADMINISTRATOR, ConsoleActor
from windowdesk.hub.storage.models import Change
from windowdesk.hub.storage.models_forms import FormFile, FormVersion
from windowdesk.paths import resources_dir
from windowdesk.sync.protocol import CHANGE_CATALOG

from .conftest import utc_now

SHIPPED = resources_dir() / "catalog"
ADMIN = ConsoleActor("1", "admin", "Admin", ADMINISTRATOR)


def _folder(tmp_path: Path, version: str = "2026.12-forms") -> Path:
    folder = tmp_path / f"catalog-{version}"
    shutil.copytree(SHIPPED, folder)
    items = folder / "items.json"
    items.write_text(items.read_text(encoding="utf-8").replace('"2026.11-demo"', f'"{version}"', 1), encoding="utf-8")
    return folder


def _import(hub, folder: Path):
    with hub.db.write(feed=True) as session:
        return catalog_import.import_catalog(session, folder=folder, now=utc_now())


def _text(pdf: bytes) -> str:
    return "".join("".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _word_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_import_stores_every_form_once_and_publishes_its_hash_and_version(hub) -> None:
    hub.import_demo_catalog()
    with hub.db.read() as session:
        versions = session.scalars(select(FormVersion).order_by(FormVersion.item_code, FormVersion.form_code)).all()
        assert {(v.item_code, v.form_code, v.version) for v in versions} >= {
            ("MZ-002", "F01", 1),
            ("MZ-002", "F02", 1),
            ("MZ-002", "F03", 1),
            ("LL-001", "F01", 1),
        }
        stored = session.get(FormFile, versions[0].sha256)
        assert stored.media_type == "application/pdf" and stored.content.startswith(b"%PDF-")
        payload = session.scalars(select(Change.payload).where(Change.kind == CHANGE_CATALOG)).one()
    # What a window receives parses with its own parser, each form with its hash and version.
    catalog = parse_catalog(payload["centers"], payload["departments"], payload["items"])
    forms = {form.code: form for form in catalog.item("MZ-002").forms}
    assert forms["F02"].kind == "commitment" and forms["F02"].version == 1 and forms["F02"].published
    assert forms["F02"].size == len((SHIPPED / "forms" / "MZ-002-F02.pdf").read_bytes())


def test_a_new_file_is_the_next_version_and_the_old_one_is_kept(hub, tmp_path: Path) -> None:
    hub.import_demo_catalog()
    first = (SHIPPED / "forms" / "MZ-002-F01.pdf").read_bytes()
    folder = _folder(tmp_path)
    changed = first.replace(b"%%EOF", b"% a new edition\n%%EOF")
    (folder / "forms" / "MZ-002-F01.pdf").write_bytes(changed)
    assert _import(hub, folder).published
    with hub.db.read() as session:
        rows = session.execute(
            select(FormVersion.form_code, FormVersion.version, FormVersion.catalog_version)
            .where(FormVersion.item_code == "MZ-002")
            .order_by(FormVersion.form_code, FormVersion.version)
        ).all()
    # Only the changed file got a new version; the others are the same files, the same versions.
    assert rows == [
        ("F01", 1, "2026.11-demo"),
        ("F01", 2, "2026.12-forms"),
        ("F02", 1, "2026.11-demo"),
        ("F03", 1, "2026.11-demo"),
    ]
    current = hub.client.get("/guides/MZ-002/forms/F01")
    assert current.status_code == 200 and current.content == changed
    assert 'filename="MZ-002-F01-v2.pdf"' in current.headers["content-disposition"]
    kept = hub.client.get("/guides/MZ-002/forms/F01/v1")
    assert kept.status_code == 200 and kept.content == first
    assert "immutable" in kept.headers["cache-control"]
    # The same version with another file is other content: refused, as any other change.
    (folder / "forms" / "MZ-002-F01.pdf").write_bytes(first)
    with pytest.raises(Conflict):
        _import(hub, folder)


def test_a_form_that_is_not_what_its_name_says_or_is_missing_is_refused_and_nothing_stored(hub, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "forms" / "LL-001-F02.pdf").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(200))  # a renamed program
    with pytest.raises(InvalidInput) as refused:
        _import(hub, folder)
    assert "LL-001" in refused.value.worded("en")[1] and "F02" in refused.value.worded("en")[1]
    assert "not a PDF" in refused.value.worded("en")[1]
    (folder / "forms" / "LL-001-F02.pdf").unlink()
    with pytest.raises(InvalidInput) as missing:
        _import(hub, folder)
    assert "forms/LL-001-F02.pdf" in missing.value.worded("en")[1]
    with hub.db.read() as session:
        assert session.scalars(select(FormFile)).all() == []


def test_a_word_form_is_served_as_a_word_document(hub, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    items = folder / "items.json"
    items.write_text(
        items.read_text(encoding="utf-8").replace('"file": "forms/LL-001-F02.pdf"', '"file": "forms/LL-001-F02.docx"'),
        encoding="utf-8",
    )
    (folder / "forms" / "LL-001-F02.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InvalidInput):
        _import(hub, folder)
    (folder / "forms" / "LL-001-F02.docx").write_bytes(_word_document())
    _import(hub, folder)
    reply = hub.client.get("/guides/LL-001/forms/F02")
    assert reply.headers["content-type"] == ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert 'filename="LL-001-F02-v1.docx"' in reply.headers["content-disposition"]
    assert (
        "filename*=UTF-8''%E6%8E%88%E6%9D%83%E5%A7%94%E6%89%98%E4%B9%A6-v1.docx"
        in (reply.headers["content-disposition"])
    )  # 授权委托书-v1.docx


def test_the_guide_page_offers_the_forms_and_the_download_is_the_published_pdf(hub) -> None:
    hub.import_demo_catalog()
    page = hub.client.get("/guides/MZ-002").text
    assert 'href="/guides/MZ-002/forms/F02"' in page and "容缺受理承诺书" in page
    reply = hub.client.get("/guides/MZ-002/forms/F02")
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/pdf"
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.content == (SHIPPED / "forms" / "MZ-002-F02.pdf").read_bytes()
    text = _text(reply.content)
    assert "承诺书" in text and "城市医疗救助申请" in text
    assert hub.client.get("/guides/MZ-002/forms/F09").status_code == 404
    assert hub.client.get("/guides/MZ-002/forms/F01/v7").status_code == 404
    assert 'id="forms"' not in hub.client.get("/guides/MZ-003").text  # an item without forms lists none


def test_an_item_edited_in_the_console_keeps_its_published_forms(hub) -> None:
    hub.import_demo_catalog()
    with hub.db.write(feed=True) as session:
        city_publishing.publish_item(
            session,
            by=ADMIN,
            code="MZ-002",
            fields={"where": "市政务服务中心二楼"},
            version="2026.12.07-1",
            now=utc_now(),
        )
    with hub.db.read() as session:
        assert (
            session.scalar(
                select(FormVersion.version).where(FormVersion.item_code == "MZ-002", FormVersion.form_code == "F01")
            )
            == 1
        )
        assert len(session.scalars(select(FormVersion)).all()) == 8
    assert hub.client.get("/guides/MZ-002/forms/F01").content == (SHIPPED / "forms" / "MZ-002-F01.pdf").read_bytes()
