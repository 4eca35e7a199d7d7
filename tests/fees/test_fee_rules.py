"""domain.fees: every kind of rule, exemptions, integer fen, tendering and change."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from windowdesk.domain.catalog import EXEMPTION_CATEGORIES, Exemption, FeeRule, Tier
from windowdesk.domain.fees import (
    Tender,
    compute_fee,
    exemption_categories,
    rules_needing_quantity,
    settle,
)
from windowdesk.errors import ValidationError

FIXED = FeeRule("fixed", "GAJ", "居民身份证工本费", amount_fen=2000, exemptions=(Exemption("dibao", "低保户免收"),))
PER_UNIT = FeeRule("per_unit", "FCJ", "增发证书工本费", amount_fen=1000, unit="本", max_units=10)
TIERED = FeeRule(
    "tiered",
    "GTJ",
    "土地登记费",
    unit="平方米",
    tiers=(Tier(1000, 10000), Tier(5000, 30000), Tier(10000, 50000), Tier(None, 100000)),
)
FREE = FeeRule("free", "GSJ", "依法不收取任何费用")


def test_fixed_rule_charges_its_amount_once():
    fee = compute_fee([FIXED])
    [line] = fee.lines
    assert (line.amount_fen, line.gross_fen, line.quantity, fee.total_fen) == (2000, 2000, 1, 2000)
    assert line.explanation == "Fixed fee \u00a520.00"


def test_per_unit_rule_multiplies_and_caps_at_max_units():
    assert compute_fee([PER_UNIT], quantities={0: 3}).total_fen == 3000
    assert compute_fee([PER_UNIT], quantities={0: 3}).lines[0].explanation == "3 本 \u00d7 \u00a510.00 = \u00a530.00"
    capped = compute_fee([PER_UNIT], quantities={0: 14})
    assert capped.total_fen == 10000
    assert capped.lines[0].quantity == 14
    assert "at most 10 charged" in capped.lines[0].explanation
    # Nothing entered: no extra certificate.
    assert compute_fee([PER_UNIT]).total_fen == 0
    uncapped = FeeRule("per_unit", "FCJ", "复印", amount_fen=50, unit="页")
    assert compute_fee([uncapped], quantities={0: 1000}).total_fen == 50000


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        (0, 10000),
        (1, 10000),
        (1000, 10000),
        (1001, 30000),
        (5000, 30000),
        (5001, 50000),
        (10000, 50000),
        (10001, 100000),
        (10**9, 100000),
    ],
)
def test_tiered_rule_takes_the_first_tier_that_covers_the_quantity(area, expected):
    fee = compute_fee([TIERED], quantities={0: area})
    assert fee.total_fen == expected
    assert str(area) in fee.lines[0].explanation


def test_tiered_rule_refuses_to_guess_the_quantity():
    with pytest.raises(ValidationError) as caught:
        compute_fee([TIERED])
    assert caught.value.field == "quantity" and "平方米" in caught.value.message
    assert rules_needing_quantity([FIXED, PER_UNIT, FREE, TIERED]) == (1, 3)


def test_free_rule_costs_nothing_and_is_not_printed():
    fee = compute_fee([FREE])
    assert fee.total_fen == 0 and fee.lines[0].explanation == "No charge"
    assert not fee.lines[0].chargeable and fee.departments == ()


@pytest.mark.parametrize("bad", [-1, True, "3"])
def test_quantities_must_be_whole_numbers_not_below_zero(bad):
    with pytest.raises(ValidationError):
        compute_fee([PER_UNIT], quantities={0: bad})


def test_exemption_applies_only_to_its_category_and_keeps_the_gross_amount():
    exempt = compute_fee([FIXED], categories={"dibao"})
    assert exempt.total_fen == 0 and exempt.gross_fen == 2000
    assert exempt.lines[0].exemption == "低保户免收"
    assert "exempt (低保户免收)" in exempt.lines[0].explanation
    assert compute_fee([FIXED], categories={"disabled", "veteran"}).total_fen == 2000


def test_parallel_item_departments_are_collected_together_in_rule_order():
    rules = [FIXED, FREE, PER_UNIT, FeeRule("fixed", "GAJ", "加急费", amount_fen=500)]
    fee = compute_fee(rules, quantities={2: 2})
    assert fee.total_fen == 2000 + 2000 + 500
    assert fee.departments == ("GAJ", "FCJ")


def test_amounts_stay_integer_fen_without_rounding():
    odd = FeeRule("per_unit", "FCJ", "晒图", amount_fen=333, unit="张")
    fee = compute_fee([odd], quantities={0: 3})
    assert fee.total_fen == 999 and isinstance(fee.total_fen, int)
    settled = settle(999, Tender("cash", tendered_fen=1000))
    assert (settled.amount_fen, settled.change_fen) == (999, 1)


def test_elderly_exemption_comes_from_the_birth_date_too():
    birth = dt.date(1946, 11, 26)
    assert "elderly_80" not in exemption_categories(welfare_status=None, birth_date=birth, on=dt.date(2026, 11, 25))
    assert exemption_categories(welfare_status=None, birth_date=birth, on=dt.date(2026, 11, 26)) == {"elderly_80"}
    assert exemption_categories(welfare_status="dibao", birth_date=None, on=dt.date(2026, 1, 1)) == {"dibao"}


# --- tendering ---------------------------------------------------------------------


def test_cash_gives_change_and_refuses_too_little():
    assert settle(2000, Tender("cash", tendered_fen=5000)).change_fen == 3000
    assert settle(2000, Tender("cash", tendered_fen=2000)).change_fen == 0
    with pytest.raises(ValidationError, match="less than the amount due"):
        settle(2000, Tender("cash", tendered_fen=1999))
    with pytest.raises(ValidationError):
        settle(2000, Tender("cash"))


def test_qr_payment_needs_the_terminal_reference_and_a_waiver_a_reason():
    with pytest.raises(ValidationError) as caught:
        settle(2000, Tender("mobile"))
    assert caught.value.field == "reference"
    assert settle(2000, Tender("mobile", reference=" 4200001234 ")).reference == "4200001234"
    assert settle(2000, Tender("bank_card")).change_fen is None
    with pytest.raises(ValidationError):
        settle(2000, Tender("waived", waiver_reason="  "))
    assert settle(2000, Tender("waived", waiver_reason="政策减免")).waiver_reason == "政策减免"
    with pytest.raises(ValidationError):
        settle(2000, Tender("waived", waiver_reason="x"), allow_waiver=False)
    with pytest.raises(ValidationError):
        settle(0, Tender("bank_card"))


# --- properties --------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10**7)
exemptions = st.lists(st.sampled_from(EXEMPTION_CATEGORIES).map(lambda c: Exemption(c, f"{c} free")), max_size=2).map(
    tuple
)


@st.composite
def rules(draw):
    kind = draw(st.sampled_from(["free", "fixed", "per_unit", "tiered"]))
    department = draw(st.sampled_from(["GAJ", "FCJ", "GTJ"]))
    extra = draw(exemptions) if kind != "free" else ()
    if kind == "free":
        return FeeRule(kind, department, "free")
    if kind == "fixed":
        return FeeRule(kind, department, "fixed", amount_fen=draw(amounts), exemptions=extra)
    if kind == "per_unit":
        cap = draw(st.none() | st.integers(min_value=1, max_value=50))
        return FeeRule(kind, department, "unit", amount_fen=draw(amounts), unit="件", max_units=cap, exemptions=extra)
    bounds = sorted(draw(st.sets(st.integers(min_value=0, max_value=10**6), max_size=4)))
    tiers = (*(Tier(b, draw(amounts)) for b in bounds), Tier(None, draw(amounts)))
    return FeeRule(kind, department, "tier", unit="m2", tiers=tiers, exemptions=extra)


@given(
    st.lists(rules(), max_size=6),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=6, max_size=6),
    st.sets(st.sampled_from(EXEMPTION_CATEGORIES)),
)
def test_totals_are_sums_never_negative_and_exemptions_only_remove(rule_list, quantity_list, held):
    quantities = dict(enumerate(quantity_list))
    plain = compute_fee(rule_list, quantities=quantities)
    exempt = compute_fee(rule_list, quantities=quantities, categories=held)
    for fee in (plain, exempt):
        assert fee.total_fen == sum(line.amount_fen for line in fee.lines)
        assert all(isinstance(line.amount_fen, int) and line.amount_fen >= 0 for line in fee.lines)
    assert exempt.total_fen <= plain.total_fen
    for before, after in zip(plain.lines, exempt.lines, strict=True):
        assert after.amount_fen in (0, before.amount_fen)
        assert after.gross_fen == before.gross_fen == before.amount_fen
        assert (after.amount_fen == 0 and before.amount_fen > 0) == bool(after.exemption)
