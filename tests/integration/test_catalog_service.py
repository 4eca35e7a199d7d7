"""Importing and searching the service catalog on a real SQLite file."""

from __future__ import annotations

import contextlib
import dataclasses

import pytest

from windowdesk.domain.catalog import load_catalog
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.paths import resources_dir
from windowdesk.services import applicants, catalog, intake, worklist
from windowdesk.services.catalog import CatalogSearch, get_item_guide
from windowdesk.services.intake import MaterialCheck
from windowdesk.storage.crypto import connect_raw

ELDERLY_CARD = "LL-001"  # 老年证办理
MEDICAL_AID = "MZ-002"  # 城市医疗救助申请
COMPANY_SETUP = "GS-003"  # 企业设立登记（工商、质监、税务并联审批）


@pytest.fixture(scope="module")
def shipped():
    return load_catalog(resources_dir() / "catalog")


@pytest.fixture
def imported(migrated_db, shipped):
    catalog.import_catalog(migrated_db, shipped)
    return migrated_db


def codes(results) -> list[str]:
    return [item.code for item in results]


def test_import_stores_every_item_center_and_department(migrated_db, shipped):
    assert not catalog.has_catalog(migrated_db)

    count = catalog.import_catalog(migrated_db, shipped)

    assert count == len(shipped.items)
    assert catalog.has_catalog(migrated_db)
    with contextlib.closing(connect_raw(migrated_db.path, migrated_db.key)) as conn:
        items = conn.execute(
            "SELECT count(*), count(DISTINCT catalog_version) FROM catalog_items WHERE active = 1"
        ).fetchone()
        windows = conn.execute("SELECT count(*) FROM windows").fetchone()[0]
    assert items == (len(shipped.items), 1)
    assert windows == sum(len(center.windows) for center in shipped.centers)
    assert len(CatalogSearch(migrated_db).search("", limit=1000)) == len(shipped.items)


@pytest.mark.parametrize("typed", ["lnz", "laonian", "老年", "LNZ", "lao nian", "老年证"])
def test_search_finds_the_elderly_card_by_chinese_pinyin_or_initials(imported, typed):
    results = CatalogSearch(imported).search(typed)
    assert codes(results)[0] == ELDERLY_CARD
    assert results[0].name == "老年证办理"


def test_search_with_no_match_is_empty(imported):
    assert CatalogSearch(imported).search("zzzzqqq") == []


def test_department_filter(imported, shipped):
    search = CatalogSearch(imported)
    civil = search.search("", department_code="MZJ")
    expected = sorted(item.code for item in shipped.items if item.department == "MZJ")

    assert sorted(codes(civil)) == expected
    assert {item.department_name for item in civil} == {"市民政局"}
    # The filter applies together with the text.
    assert search.search("lnz", department_code="MZJ") == []
    assert ("MZJ", "市民政局") in search.departments()


def test_guide_of_a_parallel_item(imported, shipped):
    source = shipped.item(COMPANY_SETUP)

    guide = get_item_guide(imported, item_code=COMPANY_SETUP)

    assert guide.parallel is True
    assert guide.parallel_departments == ("市工商行政管理局", "市质量技术监督局", "市税务局")
    assert [m.code for m in guide.materials] == [m.code for m in source.materials]
    assert [m.required for m in guide.materials] == [m.required for m in source.materials]
    assert all(m.requirement for m in guide.materials)
    assert (guide.promised_limit_days, guide.legal_limit_days) == (5, 15)
    assert guide.legal_basis == source.legal_basis and guide.legal_basis
    assert len(guide.fees) == len(source.fee.rules) == 3
    assert {fee.kind for fee in guide.fees} == {"free"}
    assert {fee.department_name for fee in guide.fees} == set(guide.parallel_departments)
    assert guide.catalog_version == shipped.version


def test_guide_of_an_item_with_a_fee(imported, shipped):
    guide = get_item_guide(imported, item_code=ELDERLY_CARD)
    rule = shipped.item(ELDERLY_CARD).fee.rules[0]
    assert guide.parallel is False and guide.parallel_departments == ()
    assert [(f.kind, f.amount_fen) for f in guide.fees] == [("fixed", rule.amount_fen)]


def test_guide_of_an_unknown_item(imported):
    with pytest.raises(NotFoundError):
        get_item_guide(imported, item_code="XX-999")


def _accept_case(demo, item_code: str) -> intake.IntakeResult:
    guide = get_item_guide(demo.db, item_code=item_code)
    who = applicants.find_residents(demo.db, demo.ctx, query="王建国")[0].ref
    return intake.accept_case(
        demo.db,
        demo.ctx,
        item_code=item_code,
        applicant=who,
        checks=[MaterialCheck(m.code, "received") for m in guide.materials],
        shipped_calendar=demo.calendar,
    )


def test_reimport_without_an_item_retires_it_and_keeps_old_cases(demo, shipped):
    retired_case = _accept_case(demo, ELDERLY_CARD)
    kept_case = _accept_case(demo, MEDICAL_AID)
    next_version = dataclasses.replace(
        shipped,
        version=shipped.version + "-b",
        items=tuple(item for item in shipped.items if item.code != ELDERLY_CARD),
    )

    count = catalog.import_catalog(demo.db, next_version)

    assert count == len(shipped.items) - 1
    search = CatalogSearch(demo.db)
    assert search.search("lnz") == []
    assert ELDERLY_CARD not in codes(search.search("", limit=1000))
    assert MEDICAL_AID in codes(search.search("", limit=1000))
    assert get_item_guide(demo.db, item_code=MEDICAL_AID).catalog_version == next_version.version
    # Old cases still open, with their item's name.
    for result, name in ((retired_case, "老年证办理"), (kept_case, "城市医疗救助申请")):
        detail = worklist.get_record_detail(demo.db, demo.ctx, kind="case", record_id=result.id)
        assert (detail.number, detail.item_name, detail.state) == (result.number, name, "Accepted")
    assert {e.item_name for e in worklist.list_day_work(demo.db, demo.ctx)} == {"老年证办理", "城市医疗救助申请"}
    # A retired item cannot be chosen for a new application.
    with pytest.raises(ValidationError) as caught:
        _accept_case(demo, ELDERLY_CARD)
    assert caught.value.field == "item"


def test_reimport_of_the_same_version_changes_nothing_visible(demo, shipped):
    _accept_case(demo, MEDICAL_AID)
    before = codes(CatalogSearch(demo.db).search("", limit=1000))

    catalog.import_catalog(demo.db, shipped)

    assert codes(CatalogSearch(demo.db).search("", limit=1000)) == before


@pytest.mark.parametrize(
    "typed, expected",
    [("shebao", "社会保险登记（用人单位参保登记）"), ("yyzz", "个体工商户设立登记"), ("qianyi", "户口迁入")],
)
def test_keywords_are_found_by_their_pinyin_too(demo, typed, expected):
    """社保, 营业执照 and 迁移 are keywords of these items, not parts of their names."""
    names = [item.name for item in CatalogSearch(demo.db).search(typed)]
    assert expected in names
