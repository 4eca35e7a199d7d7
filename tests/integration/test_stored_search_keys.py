"""The item search never loads pypinyin at the window: the pinyin of every item's name
and keywords is stored when the catalog is imported (made by the hub when it publishes,
by the importer for a catalog that came without it), and a normal start and typing in
the search only read it. pypinyin's reading tables cost the first keystroke ~0.1 s and
the window 56 MB."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from windowdesk.domain.catalog import load_catalog, parse_catalog
from windowdesk.domain.search_keys import SearchKeys, item_search_keys, keys_document
from windowdesk.paths import resources_dir
from windowdesk.services import catalog
from windowdesk.services.catalog import CatalogSearch

# Chinese, full pinyin, initials, and keywords found only by their pinyin (社保, 营业执照).
QUERIES = ("l", "ln", "lnz", "laonian", "老年证", "hukou", "户口", "shebao", "sb", "yyzz", "qianyi", "dibao", "x")

SEARCH_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from windowdesk.services.catalog import CatalogSearch
    from windowdesk.storage.db import Database

    path, key, queries = sys.argv[1], bytes.fromhex(sys.argv[2]), json.loads(sys.argv[3])
    db = Database(path, key=key)
    search = CatalogSearch(db)
    found = {q: [item.code for item in search.search(q)] for q in queries}
    db.dispose()
    print(json.dumps({"found": found, "pypinyin": any(m.startswith("pypinyin") for m in sys.modules)}))
    """
)


def _child_env() -> dict[str, str]:
    src = str(Path(catalog.__file__).resolve().parents[2])
    return {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}


def test_searching_as_you_type_finds_the_same_items_without_loading_pypinyin(demo):
    expected = {q: [item.code for item in CatalogSearch(demo.db).search(q)] for q in QUERIES}
    assert expected["shebao"] and expected["yyzz"]  # keywords' pinyin is searched
    done = subprocess.run(
        [sys.executable, "-c", SEARCH_SCRIPT, str(demo.db.path), demo.db.key.hex(), json.dumps(QUERIES)],
        env=_child_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["found"] == expected
    assert result["pypinyin"] is False


def test_a_first_start_and_a_later_one_do_not_load_pypinyin(tmp_path):
    env = {
        **_child_env(),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
        "WINDOWDESK_LOCALE": "en",
    }
    data = tmp_path / "data"
    imports = []
    for attempt in ("first", "again"):
        done = subprocess.run(
            [
                sys.executable,
                "-X",
                "importtime",
                "-m",
                "windowdesk",
                "--data-dir",
                str(data),
                "--demo",
                "--smoke-test",
                str(tmp_path / f"{attempt}.png"),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        imports.append(
            {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
        )
    # The first start imports the shipped catalog with the keys shipped beside it.
    assert "windowdesk.services.catalog" in imports[0]  # the import log is the real one
    assert not any(name.startswith("pypinyin") for name in imports[0] | imports[1])


def test_keys_published_with_the_catalog_are_stored_as_they_came(migrated_db):
    # Keys a hub sent are what the window searches: it does not make its own.
    shipped = load_catalog(resources_dir() / "catalog")
    documents = {
        name: json.loads((resources_dir() / "catalog" / f"{name}.json").read_text(encoding="utf-8"))
        for name in ("centers", "departments", "items")
    }
    first = documents["items"]["items"][0]
    keys = item_search_keys(first["name"], first.get("keywords", []))
    published = keys._replace(name=SearchKeys("zhuanyongjian", "qqxxw"))
    first["search_keys"] = keys_document(published)
    parsed = parse_catalog(documents["centers"], documents["departments"], documents["items"])
    assert parsed.items[0].search_keys == published
    assert parsed.items[1:] == shipped.items[1:]

    catalog.import_catalog(migrated_db, parsed)
    search = CatalogSearch(migrated_db)
    assert [item.code for item in search.search("zhuanyongjian")] == [first["code"]]
    assert [item.code for item in search.search("qqxxw")] == [first["code"]]


def test_a_catalog_without_keys_gets_them_made_at_import(migrated_db):
    # A catalog folder, or an older hub's publication: the importer (the sync worker, off
    # the window's thread) makes the same keys the hub would have sent.
    shipped = load_catalog(resources_dir() / "catalog")
    assert all(item.search_keys is None for item in shipped.items)
    with_keys = dataclasses.replace(
        shipped,
        items=tuple(
            dataclasses.replace(item, search_keys=item_search_keys(item.name, item.keywords)) for item in shipped.items
        ),
    )
    catalog.import_catalog(migrated_db, shipped)
    made = {q: [i.code for i in CatalogSearch(migrated_db).search(q)] for q in QUERIES}
    catalog.import_catalog(migrated_db, with_keys)
    sent = {q: [i.code for i in CatalogSearch(migrated_db).search(q)] for q in QUERIES}
    assert made == sent
