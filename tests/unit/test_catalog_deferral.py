"""容缺受理 in the catalog format: deferrable materials and the item's rule when they do
not arrive, validated alike at the window and at the hub's import (one parser)."""

from __future__ import annotations

import copy
import json

import pytest

from windowdesk.domain.catalog import CatalogFormatError, parse_catalog
from windowdesk.domain.catalog_model import Deferral
from windowdesk.paths import resources_dir


def _documents():
    folder = resources_dir() / "catalog"
    return [
        json.loads((folder / name).read_text(encoding="utf-8"))
        for name in ("centers.json", "departments.json", "items.json")
    ]


def _with_item(change) -> tuple:
    centers, departments, items = _documents()
    items = copy.deepcopy(items)
    item = next(i for i in items["items"] if i["code"] == "MZ-001")
    change(item)
    return centers, departments, items


def test_the_demo_catalog_marks_a_few_items_for_deferral():
    catalog = parse_catalog(*_documents())
    marked = {item.code: item for item in catalog.items if item.deferral is not None}
    assert set(marked) == {"MZ-002", "FC-001", "GS-002"}
    assert marked["MZ-002"].deferral.when_missed == "suspend"
    assert marked["FC-001"].deferral == Deferral("refuse", marked["FC-001"].deferral.legal_basis)
    assert "第二十二条" in marked["FC-001"].deferral.legal_basis
    assert [m.code for m in marked["MZ-002"].materials if m.deferrable] == ["M05", "M07"]
    assert all(not m.deferrable for item in catalog.items if item.deferral is None for m in item.materials)


def _deferrable_first(item, rule=None):
    item["materials"][1]["deferrable"] = True
    if rule is not None:
        item["deferral"] = rule


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda item: _deferrable_first(item), "no deferral rule"),
        (lambda item: item.update(deferral={"when_missed": "suspend"}), "only allowed when a material is deferrable"),
        (lambda item: _deferrable_first(item, {"when_missed": "forget"}), "when_missed"),
        (lambda item: _deferrable_first(item, {"when_missed": "refuse"}), "legal_basis"),
        (
            lambda item: (
                item["materials"][1].update(required=False),
                _deferrable_first(item, {"when_missed": "suspend"}),
            ),
            "optional material cannot be deferrable",
        ),
    ],
)
def test_a_deferral_the_rules_do_not_allow_is_refused_naming_the_item(change, words):
    with pytest.raises(CatalogFormatError) as refused:
        parse_catalog(*_with_item(change))
    assert words in refused.value.message and "MZ-001" in refused.value.message


def test_a_suspending_rule_may_go_without_a_legal_basis():
    catalog = parse_catalog(*_with_item(lambda item: _deferrable_first(item, {"when_missed": "suspend"})))
    assert catalog.item("MZ-001").deferral == Deferral("suspend", "")
