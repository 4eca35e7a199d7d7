"""The pinyin keys of the shipped catalog's texts, made ahead of time.

Every window's first start imports the shipped catalog (``resources/catalog``). Making the
keys of its names and keywords there would load pypinyin's reading tables, about a tenth
of a first start and 56 MB, so the keys ship beside the catalog in ``search_keys.json``:
``{text: [full pinyin, initials]}``. The table is keyed by the exact text, so a name or a
keyword edited without regenerating it simply misses the table, and that item's keys are
made at import as for any catalog that comes without them. After editing the catalog:

    python -m windowdesk.domain.shipped_search_keys resources/catalog
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from windowdesk.domain.catalog_model import Catalog, CatalogItem
from windowdesk.domain.search_keys import ItemSearchKeys, SearchKeys, search_keys

TABLE_FILE = "search_keys.json"


def load_table(folder: Path) -> dict[str, SearchKeys]:
    """The table beside a catalog folder; empty when there is none."""
    path = Path(folder) / TABLE_FILE
    if not path.exists():
        return {}
    return {text: SearchKeys(full, initials) for text, (full, initials) in json.loads(path.read_text("utf-8")).items()}


def with_table_keys(catalog: Catalog, table: dict[str, SearchKeys]) -> Catalog:
    """The catalog, each item without keys given them from the table when the table
    holds its name and every keyword."""

    def keyed(item: CatalogItem) -> CatalogItem:
        texts = (item.name, *item.keywords)
        if item.search_keys is not None or not all(text in table for text in texts):
            return item
        keys = ItemSearchKeys(table[item.name], tuple(table[keyword] for keyword in item.keywords))
        return dataclasses.replace(item, search_keys=keys)

    return dataclasses.replace(catalog, items=tuple(keyed(item) for item in catalog.items))


def table_for(catalog: Catalog) -> dict[str, list[str]]:
    """The table of every name and keyword of the catalog (loads pypinyin)."""
    texts = {text for item in catalog.items for text in (item.name, *item.keywords)}
    return {text: list(search_keys(text)) for text in sorted(texts)}


def main(argv: list[str] | None = None) -> int:
    from windowdesk.domain.catalog_reader import load_catalog

    folder = Path((argv if argv is not None else sys.argv[1:])[0])
    table = table_for(load_catalog(folder))
    lines = ",\n".join(f"  {json.dumps(text, ensure_ascii=False)}: {json.dumps(keys)}" for text, keys in table.items())
    (folder / TABLE_FILE).write_text("{\n" + lines + "\n}\n", encoding="utf-8")
    print(f"{len(table)} texts -> {folder / TABLE_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
