"""网上申报 in the catalog format: an item's online application form (its fields, their
kinds) and whether it may be handled fully online; and the values a resident types,
checked with the window's own validators."""

from __future__ import annotations

import copy
import json

import pytest

from windowdesk.domain.catalog import CatalogFormatError, parse_catalog
from windowdesk.domain.catalog_online import FormField, OnlineApplication, clean_value, clean_values
from windowdesk.domain.ids import resident_id_check_char, uscc_check_char
from windowdesk.errors import ValidationError
from windowdesk.paths import resources_dir


def _documents():
    folder = resources_dir() / "catalog"
    return [
        json.loads((folder / name).read_text(encoding="utf-8"))
        for name in ("centers.json", "departments.json", "items.json")
    ]


def _with_online(block) -> tuple:
    centers, departments, items = _documents()
    items = copy.deepcopy(items)
    next(i for i in items["items"] if i["code"] == "MZ-001")["online"] = block
    return centers, departments, items


def _id(first17: str = "11010519491231002") -> str:
    return first17 + resident_id_check_char(first17)


def _uscc(first17: str = "91110108MA01ABCD1") -> str:
    return first17 + uscc_check_char(first17)


def test_the_demo_catalog_offers_two_items_online():
    catalog = parse_catalog(*_documents())
    online = {item.code: item.online for item in catalog.items if item.online is not None}
    assert set(online) == {"MZ-003", "LB-005"}
    assert not online["MZ-003"].fully_online and online["LB-005"].fully_online
    assert [f.kind for f in online["MZ-003"].fields] == ["text", "id_number", "phone", "choice", "date"]
    assert online["MZ-003"].field("hardship").choices[0] == "疾病"
    assert catalog.item("MZ-001").online is None


@pytest.mark.parametrize(
    ("block", "words"),
    [
        ({"fields": []}, "at least one field"),
        ({"fields": [{"code": "a", "label": "A", "kind": "colour"}]}, "kind"),
        ({"fields": [{"code": "A", "label": "A", "kind": "text"}]}, "pattern"),
        (
            {"fields": [{"code": "a", "label": "A", "kind": "text"}, {"code": "a", "label": "B", "kind": "phone"}]},
            "more than once",
        ),
        ({"fields": [{"code": "a", "label": "A", "kind": "choice", "choices": ["only"]}]}, "choices"),
        ({"fields": [{"code": "a", "label": "A", "kind": "text", "choices": ["x", "y"]}]}, "only allowed on a choice"),
        ({"fields": [{"code": "a", "kind": "text"}]}, "label"),
        ({"fully_online": "yes", "fields": [{"code": "a", "label": "A", "kind": "text"}]}, "fully_online"),
    ],
)
def test_a_malformed_online_block_is_refused_naming_the_item(block, words):
    with pytest.raises(CatalogFormatError) as raised:
        parse_catalog(*_with_online(block))
    assert "MZ-001" in raised.value.message and words in raised.value.message


def test_values_are_checked_by_kind_with_the_windows_validators():
    id_field = FormField("id_number", "身份证号码", "id_number")
    assert clean_value(id_field, _id().lower()) == _id()
    bad_check = _id()[:17] + ("0" if _id()[17] != "0" else "1")
    with pytest.raises(ValidationError) as raised:
        clean_value(id_field, bad_check)
    assert raised.value.field == "id_number"
    code = FormField("credit_code", "统一社会信用代码", "credit_code")
    assert clean_value(code, _uscc()) == _uscc()
    with pytest.raises(ValidationError):
        clean_value(code, _uscc()[:17] + ("0" if _uscc()[17] != "0" else "1"))
    phone = FormField("phone", "电话", "phone")
    assert clean_value(phone, "138 0013-8000") == "13800138000"
    with pytest.raises(ValidationError):
        clean_value(phone, "13800a")
    day = FormField("since", "日期", "date", required=False)
    assert clean_value(day, "") == ""
    assert clean_value(day, "2026-12-01") == "2026-12-01"
    with pytest.raises(ValidationError):
        clean_value(day, "2026-13-01")
    choice = FormField("use", "用途", "choice", choices=("自用", "出租"))
    with pytest.raises(ValidationError):
        clean_value(choice, "出售")
    text = FormField("name", "姓名", "text")
    with pytest.raises(ValidationError):
        clean_value(text, "张三\x1b[2J")
    with pytest.raises(ValidationError) as raised:
        clean_value(text, "   ")
    assert "姓名" in raised.value.message or "name" in raised.value.message.lower()


def test_clean_values_reports_every_refused_field_at_once():
    online = OnlineApplication(
        (
            FormField("name", "姓名", "text"),
            FormField("id_number", "身份证号码", "id_number"),
            FormField("phone", "电话", "phone", required=False),
        )
    )
    values, problems = clean_values(online, {"name": "张三", "id_number": "123", "phone": "x"})
    assert values == {"name": "张三"}
    assert set(problems) == {"id_number", "phone"}
