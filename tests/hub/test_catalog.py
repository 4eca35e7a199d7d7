"""Importing and publishing the service catalog in the format of resources/catalog/."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from windowdesk.domain.catalog import load_catalog, parse_catalog
from windowdesk.domain.search_keys import item_search_keys
from windowdesk.hub.cli import main
from windowdesk.hub.storage.models import CatalogItem, Center, Window
from windowdesk.paths import resources_dir

from .conftest import Hub


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    shutil.copytree(resources_dir() / "catalog", folder)
    return folder


def _edit_items(folder: Path, change) -> None:
    path = folder / "items.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def test_import_publishes_the_catalog_a_client_can_parse(hub: Hub, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(hub.cli_args("import-catalog", str(resources_dir() / "catalog"))) == 0
    assert "Published catalog version 2026.11-demo" in capsys.readouterr().out

    window = hub.enroll("JD05", "01")  # the catalog's centers and windows now exist on the hub
    [change] = hub.changes(window)["changes"]
    assert (change["kind"], change["entity"], change["entity_id"]) == ("catalog.published", "catalog", "2026.11-demo")
    payload = change["payload"]
    published = parse_catalog(payload["centers"], payload["departments"], payload["items"])
    shipped = load_catalog(resources_dir() / "catalog")
    assert payload["version"] == published.version == shipped.version
    # The same catalog, its items carrying the pinyin keys the hub made for them...
    assert published == dataclasses.replace(
        shipped,
        items=tuple(
            dataclasses.replace(
                item, search_keys=item_search_keys(item.name, item.keywords), forms=published.item(item.code).forms
            )
            for item in shipped.items
        ),
    )
    # ... and their forms the hash, size and version of each file (issue 30).
    for item in shipped.items:
        forms = published.item(item.code).forms
        assert [dataclasses.replace(form, sha256="", size=0, version=0) for form in forms] == list(item.forms)
        assert all(form.version == 1 and len(form.sha256) == 64 and form.size > 0 for form in forms)
    assert all(item.search_keys is not None for item in published.items)
    with hub.db.read() as session:
        assert session.get(Center, "JD22") is not None
        assert session.get(Window, "CH-01").name
        assert session.get(CatalogItem, "MZ-002").department_code == "MZJ"


def test_a_new_version_replaces_the_old_one_and_the_same_one_changes_nothing(
    hub: Hub, catalog_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(hub.cli_args("import-catalog", str(catalog_copy))) == 0
    assert main(hub.cli_args("import-catalog", str(catalog_copy))) == 0
    assert "nothing changed" in capsys.readouterr().out

    dropped = "MZ-002"
    _edit_items(
        catalog_copy, lambda d: d.update(version="2026.12", items=[i for i in d["items"] if i["code"] != dropped])
    )
    assert main(hub.cli_args("import-catalog", str(catalog_copy))) == 0

    window = hub.enroll()
    versions = [c["entity_id"] for c in hub.changes(window)["changes"]]
    assert versions == ["2026.11-demo", "2026.12"]
    with hub.db.read() as session:
        # A dropped item stays known (offline cases of it are still valid), inactive.
        assert session.get(CatalogItem, dropped).active is False
        assert session.scalar(select(CatalogItem.catalog_version).where(CatalogItem.code == "MZ-001")) == "2026.12"


def test_a_changed_catalog_under_an_old_version_or_an_invalid_one_is_refused(
    hub: Hub, catalog_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(hub.cli_args("import-catalog", str(catalog_copy))) == 0
    _edit_items(catalog_copy, lambda d: d["items"][0].update(name="改过的名字"))
    assert main(hub.cli_args("import-catalog", str(catalog_copy))) == 2
    assert "already published with other content" in capsys.readouterr().err

    _edit_items(catalog_copy, lambda d: d.update(version="2026.12") or d["items"][0].update(promised_limit_days="ten"))
    assert main(hub.cli_args("import-catalog", str(catalog_copy))) == 2
    err = capsys.readouterr().err
    assert "items.json" in err and "promised_limit_days" in err
    assert main(hub.cli_args("import-catalog", str(catalog_copy / "nowhere"))) == 2
    window = hub.enroll()
    assert len(hub.changes(window)["changes"]) == 1
