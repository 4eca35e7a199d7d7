"""The shipped demo catalog and residents, and the catalog validator."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from windowdesk.domain.catalog import (
    Catalog,
    CatalogFormatError,
    load_catalog,
    parse_catalog,
)
from windowdesk.errors import NotFoundError, WindowdeskError

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
CATALOG_DIR = RESOURCES / "catalog"
RESIDENTS = RESOURCES / "demo" / "residents.json"


def _documents() -> tuple[dict, dict, dict]:
    return tuple(  # type: ignore[return-value]
        json.loads((CATALOG_DIR / name).read_text(encoding="utf-8"))
        for name in ("centers.json", "departments.json", "items.json")
    )


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CATALOG_DIR)


@pytest.fixture
def documents() -> tuple[dict, dict, dict]:
    return copy.deepcopy(_documents())


def _item(items: dict, code: str) -> dict:
    return next(item for item in items["items"] if item["code"] == code)


# ---------------------------------------------------------------------------
# The shipped catalog


def test_shipped_catalog_loads(catalog: Catalog) -> None:
    assert catalog.version
    assert catalog.published_at.year >= 2026
    assert len(catalog.items) >= 30


def test_centers_are_city_hall_and_22_streets(catalog: Catalog) -> None:
    codes = [center.code for center in catalog.centers]
    assert len(codes) == 23
    assert set(codes) == {"CH"} | {f"JD{n:02d}" for n in range(1, 23)}
    assert catalog.center("CH").kind == "city_hall"
    assert len(catalog.center("CH").windows) >= 10
    for n in range(1, 23):
        center = catalog.center(f"JD{n:02d}")
        assert center.kind == "street"
        assert "街道" in center.name
        assert 3 <= len(center.windows) <= 4


@pytest.mark.parametrize(
    "fragment",
    [
        "城市居民最低生活保障",
        "城市医疗救助",
        "再就业优惠证",
        "老年证",
        "残疾证",
        "居民身份证申领",
        "居民身份证换领",
        "户口迁入",
        "户口迁出",
        "房屋产权登记",
        "临时救助",
        "困难群体救助",
        "失业登记",
        "就业登记",
        "社会保险",
        "婚姻登记",
        "企业名称预先核准",
        "个体工商户设立登记",
        "建设工程规划许可证",
        "施工许可",
        "食品经营许可",
        "税务登记",
        "卫生许可",
        "组织机构代码",
    ],
)
def test_expected_items_present(catalog: Catalog, fragment: str) -> None:
    assert any(fragment in item.name for item in catalog.items), fragment


def test_elderly_card_name_starts_with_lao_nian_zheng(catalog: Catalog) -> None:
    # Catalog search matches pinyin initials: "lnz" must find 老年证办理.
    assert any(item.name.startswith("老年证") for item in catalog.items)


def test_parallel_items(catalog: Catalog) -> None:
    parallel = [item for item in catalog.items if item.parallel]
    assert len(parallel) >= 4
    known = {department.code for department in catalog.departments}
    for item in parallel:
        assert len(set(item.parallel_departments)) >= 2
        assert item.department in item.parallel_departments
        assert set(item.parallel_departments) <= known


def test_fee_kinds_and_street_levels(catalog: Catalog) -> None:
    assert any(item.fee.is_free for item in catalog.items)
    kinds = {rule.kind for item in catalog.items for rule in item.fee.rules}
    assert {"free", "fixed", "per_unit", "tiered"} <= kinds
    id_card = next(item for item in catalog.items if "居民身份证申领" in item.name)
    assert id_card.fee.rules[0].amount_fen == 2000
    assert any(exemption.category == "dibao" for exemption in id_card.fee.rules[0].exemptions)
    assert any(item.street_level for item in catalog.items)
    assert any(not item.street_level for item in catalog.items)


def test_items_are_consistent(catalog: Catalog) -> None:
    for item in catalog.items:
        assert 1 <= item.promised_limit_days <= item.legal_limit_days, item.code
        assert 0 <= item.warning_days < item.promised_limit_days, item.code
        assert item.materials and item.procedure and item.legal_basis, item.code
        catalog.department(item.department)
        for rule in item.fee.rules:
            catalog.department(rule.department)
            if rule.amount_fen is not None:
                assert type(rule.amount_fen) is int


def test_lookups(catalog: Catalog) -> None:
    assert catalog.item("MZ-001").department == "MZJ"
    assert catalog.department("JDB").name == "街道办事处"
    assert catalog.center("JD01").window("01").name
    with pytest.raises(NotFoundError):
        catalog.item("XX-999")
    with pytest.raises(NotFoundError):
        catalog.center("ZZ")


# ---------------------------------------------------------------------------
# Demo residents and organisations (check digits implemented independently)

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def gb11643_valid(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS, strict=True))
    return number[17] == "10X98765432"[total % 11]


def gb32100_valid(code: str) -> bool:
    if len(code) != 18 or any(char not in USCC_ALPHABET for char in code):
        return False
    total = sum(USCC_ALPHABET.index(char) * weight for char, weight in zip(code[:17], USCC_WEIGHTS, strict=True))
    return code[17] == USCC_ALPHABET[(31 - total % 31) % 31]


def test_check_helpers_reject_wrong_digits() -> None:
    assert gb11643_valid("11010519491231002X")
    assert not gb11643_valid("110105194912310021")
    assert gb32100_valid("91350100M000100Y43")
    assert not gb32100_valid("91350100M000100Y44")


def test_demo_residents_have_valid_id_numbers() -> None:
    import datetime as dt

    data = json.loads(RESIDENTS.read_text(encoding="utf-8"))
    residents = data["residents"]
    assert len(residents) == 12
    assert len({resident["id_number"] for resident in residents}) == 12
    for resident in residents:
        number = resident["id_number"]
        assert gb11643_valid(number), number
        assert number.startswith("2309"), number
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        assert resident["welfare"] in ("dibao", None)
        assert resident["name"] and resident["phone"] and resident["address"]


def test_demo_organisations_have_valid_credit_codes() -> None:
    data = json.loads(RESIDENTS.read_text(encoding="utf-8"))
    organisations = data["organisations"]
    assert len(organisations) == 3
    for organisation in organisations:
        assert gb32100_valid(organisation["credit_code"]), organisation["credit_code"]
        assert organisation["name"] and organisation["legal_representative"]


# ---------------------------------------------------------------------------
# The validator


def _rejects(documents: tuple[dict, dict, dict], *fragments: str) -> CatalogFormatError:
    with pytest.raises(CatalogFormatError) as caught:
        parse_catalog(*documents)
    message = caught.value.message
    for fragment in fragments:
        assert fragment in message, message
    assert isinstance(caught.value, WindowdeskError)
    return caught.value


def test_rejects_promised_longer_than_legal(documents) -> None:
    item = _item(documents[2], "MZ-001")
    item["legal_limit_days"] = 30
    item["promised_limit_days"] = 40
    error = _rejects(documents, "MZ-001", "promised_limit_days (40)", "legal_limit_days (30)")
    assert error.field == "promised_limit_days"


def test_rejects_float_amount(documents) -> None:
    _item(documents[2], "GA-001")["fee"]["rules"][0]["amount_fen"] = 20.0
    error = _rejects(documents, "GA-001", "amount_fen")
    assert error.field == "amount_fen"


def test_rejects_bool_amount(documents) -> None:
    _item(documents[2], "GA-001")["fee"]["rules"][0]["amount_fen"] = True
    _rejects(documents, "GA-001", "amount_fen")


def test_rejects_unknown_department(documents) -> None:
    _item(documents[2], "LB-002")["department"] = "NOPE"
    error = _rejects(documents, "LB-002", "department", "NOPE")
    assert error.field == "department"


def test_rejects_unknown_parallel_department(documents) -> None:
    _item(documents[2], "GS-003")["parallel_departments"].append("NOPE")
    _rejects(documents, "GS-003", "parallel_departments", "NOPE")


def test_rejects_parallel_item_with_one_department(documents) -> None:
    item = _item(documents[2], "GS-003")
    item["parallel_departments"] = [item["department"]]
    _rejects(documents, "GS-003", "parallel_departments")


def test_rejects_duplicate_item_codes(documents) -> None:
    items = documents[2]["items"]
    items.append(copy.deepcopy(items[0]))
    error = _rejects(documents, items[0]["code"], "code")
    assert error.field == "code"


def test_rejects_tiers_out_of_order(documents) -> None:
    rule = _item(documents[2], "GT-001")["fee"]["rules"][0]
    rule["tiers"] = [
        {"up_to": 5000, "amount_fen": 30000},
        {"up_to": 1000, "amount_fen": 10000},
        {"up_to": None, "amount_fen": 1},
    ]
    error = _rejects(documents, "GT-001", "tiers")
    assert error.field == "tiers"


def test_rejects_open_tier_before_the_last(documents) -> None:
    rule = _item(documents[2], "GT-001")["fee"]["rules"][0]
    rule["tiers"] = [{"up_to": None, "amount_fen": 1}, {"up_to": 1000, "amount_fen": 2}]
    _rejects(documents, "GT-001", "tiers")


def test_rejects_material_form_mismatch(documents) -> None:
    _item(documents[2], "MZ-001")["materials"][0]["copies"] = 0  # original_and_copy with no copy
    _rejects(documents, "MZ-001", "M01", "form")


def test_rejects_bad_item_code_and_missing_field(documents) -> None:
    items = documents[2]
    _item(items, "MZ-002")["code"] = "mz-2"
    _rejects(documents, "code", "mz-2")
    documents = copy.deepcopy(_documents())
    del _item(documents[2], "MZ-002")["legal_limit_days"]
    _rejects(documents, "MZ-002", "legal_limit_days", "missing")


def test_rejects_duplicate_window_codes(documents) -> None:
    windows = documents[0]["centers"][1]["windows"]
    windows[1]["code"] = windows[0]["code"]
    _rejects(documents, "JD01", "window")


def test_malformed_json_names_the_file(tmp_path: Path) -> None:
    for name in ("centers.json", "departments.json", "items.json"):
        shutil.copy(CATALOG_DIR / name, tmp_path / name)
    (tmp_path / "items.json").write_text('{"version": "x", "items": [', encoding="utf-8")
    with pytest.raises(CatalogFormatError) as caught:
        load_catalog(tmp_path)
    assert "items.json" in caught.value.message
    assert caught.value.source == "items.json"


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    centers, departments, items = _documents()
    _item(items, "MZ-001")["promised_limit_days"] = 99
    for name, document in (("centers.json", centers), ("departments.json", departments), ("items.json", items)):
        (tmp_path / name).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CatalogFormatError) as caught:
        load_catalog(tmp_path)
    assert caught.value.message.startswith("items.json: ")
    assert "MZ-001" in caught.value.message and "promised_limit_days" in caught.value.message


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    shutil.copy(CATALOG_DIR / "centers.json", tmp_path / "centers.json")
    with pytest.raises(CatalogFormatError) as caught:
        load_catalog(tmp_path)
    assert "departments.json" in caught.value.message


def test_the_shipped_search_keys_table_holds_every_text_of_the_catalog_as_pypinyin_reads_it():
    """A window's first start takes the shipped catalog's pinyin from search_keys.json
    instead of loading pypinyin. Regenerate it after editing the catalog:
    python -m windowdesk.domain.shipped_search_keys resources/catalog"""
    from windowdesk.domain.shipped_search_keys import load_table, table_for, with_table_keys

    shipped = load_catalog(CATALOG_DIR)
    table = load_table(CATALOG_DIR)
    assert {text: list(keys) for text, keys in table.items()} == table_for(shipped)
    assert all(item.search_keys is not None for item in with_table_keys(shipped, table).items)


def test_an_item_edited_after_the_table_was_made_is_left_for_the_importer():
    from windowdesk.domain.search_keys import SearchKeys
    from windowdesk.domain.shipped_search_keys import with_table_keys

    shipped = load_catalog(CATALOG_DIR)
    first = shipped.items[0]
    table = {first.name: SearchKeys("a", "b"), **{k: SearchKeys("c", "d") for k in first.keywords[1:]}}
    keyed = with_table_keys(shipped, table).items[0]
    assert (keyed.search_keys is None) == bool(first.keywords)  # a keyword missing from the table
    table.update({k: SearchKeys("c", "d") for k in first.keywords})
    keyed = with_table_keys(shipped, table).items[0]
    assert keyed.search_keys is not None and keyed.search_keys.name == SearchKeys("a", "b")
