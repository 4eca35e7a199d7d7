"""集中一次性收费: what a case costs under its item's published fee standard, and how
the money is handed over.

Plain Python, integer fen throughout. ``compute_fee`` applies every rule of an item —
across all the departments of a parallel-approval item, so the applicant pays once, on
one receipt — and returns one line per rule with the words the operator reads to the
applicant ("3 本 × ¥10.00 = ¥30.00"). ``settle`` checks a way of payment against the total
and works out the change.

Rules (resources/catalog/README.md):

* ``free``      no charge;
* ``fixed``     ``amount_fen`` once per case;
* ``per_unit``  ``amount_fen`` × quantity, at most ``max_units`` units charged;
* ``tiered``    the first tier whose ``up_to`` >= quantity gives the flat amount.

An exemption of a rule applies when the applicant belongs to its category (低保, disabled,
80 or older, veteran, student): it sets that rule's amount to zero and never adds anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from windowdesk.domain.catalog import Exemption, FeeRule
from windowdesk.domain.money import MAX_FEN, Fen, format_yuan
from windowdesk.errors import ValidationError
from windowdesk.i18n import N_, _


class PaymentMethod(StrEnum):
    """How a receipt was paid (receipts.method: the model reads these members back and
    refuses other values)."""

    CASH = "cash"
    BANK_CARD = "bank_card"
    MOBILE = "mobile"  # a QR code shown or scanned at the counter's payment terminal
    WAIVED = "waived"


class ReceiptKind(StrEnum):
    """What a receipt is for (receipts.kind): a case's fee, or a utility bill collected for
    others (便民缴费)."""

    FEE = "fee"
    UTILITY = "utility"


# The names the code has always used for the members.
CASH, BANK_CARD = PaymentMethod.CASH, PaymentMethod.BANK_CARD
MOBILE, WAIVED = PaymentMethod.MOBILE, PaymentMethod.WAIVED
PAYMENT_METHODS = tuple(PaymentMethod)
MONEY_METHODS = (CASH, BANK_CARD, MOBILE)  # the ones that bring money into the till

QUANTITY_FIELD = "quantity"
TENDER_FIELD = "tendered"
REFERENCE_FIELD = "reference"
WAIVER_FIELD = "waiver_reason"
ELDERLY_AGE = 80


class Utility(StrEnum):
    """What a street center collects on behalf of others (便民缴费 / 代收; receipts.utility).
    ``NONE`` (stored as "") is a receipt that is not a utility payment: a case's fee."""

    NONE = ""
    WATER = "water"
    ELECTRICITY = "electricity"
    HEATING = "heating"
    GAS = "gas"
    PHONE = "phone"
    TAX = "tax"
    FEE = "fee"  # other fees


# The ones a payment may be for (members, looked up by word too), in the order offered, with their words.
UTILITIES: dict[str, str] = {
    Utility.WATER: N_("Water"),
    Utility.ELECTRICITY: N_("Electricity"),
    Utility.HEATING: N_("Heating"),
    Utility.GAS: N_("Gas"),
    Utility.PHONE: N_("Telephone"),
    Utility.TAX: N_("Tax"),
    Utility.FEE: N_("Other fees"),
}


def utility_label(code: str) -> str:
    return _(UTILITIES[code]) if code in UTILITIES else code


def yuan_text(fen: Fen) -> str:
    """``-¥5.00`` rather than ``¥-5.00`` for a shortfall."""
    return ("-" if fen < 0 else "") + "\u00a5" + format_yuan(abs(fen), grouping=True)


def method_label(method: str) -> str:
    """The operator's word for a way of payment (the same words the receipts print)."""
    words: dict[str, str] = {
        CASH: _("Cash"),
        BANK_CARD: _("Bank card"),
        MOBILE: _("Mobile payment"),
        WAIVED: _("Waived"),
    }
    return words.get(method, method)


@dataclass(frozen=True)
class FeeLine:
    """One rule applied to one case."""

    rule_index: int
    department: str
    description: str
    kind: str
    quantity: int  # as given (per_unit / tiered), 1 for fixed, 0 for free
    unit: str
    gross_fen: Fen  # what the rule asks before any exemption
    amount_fen: Fen  # what is charged
    exemption: str  # the catalog's words for the exemption applied, "" when none
    explanation: str  # how the amount was reached, for the operator and the applicant

    @property
    def chargeable(self) -> bool:
        """Printed on the receipt: a rule that can cost money (exempted ones show ¥0.00)."""
        return self.kind != "free"


@dataclass(frozen=True)
class FeeComputation:
    lines: tuple[FeeLine, ...]

    @property
    def total_fen(self) -> Fen:
        return sum(line.amount_fen for line in self.lines)

    @property
    def gross_fen(self) -> Fen:
        return sum(line.gross_fen for line in self.lines)

    @property
    def departments(self) -> tuple[str, ...]:
        """Departments that charge, in the order of the rules, each once."""
        seen: list[str] = []
        for line in self.lines:
            if line.chargeable and line.department not in seen:
                seen.append(line.department)
        return tuple(seen)


def rules_needing_quantity(rules: Sequence[FeeRule]) -> tuple[int, ...]:
    """Indexes of the rules whose amount depends on a quantity the operator enters."""
    return tuple(index for index, rule in enumerate(rules) if rule.kind in ("per_unit", "tiered"))


def exemption_categories(*, welfare_status: str | None, birth_date: dt.date | None, on: dt.date) -> frozenset[str]:
    """The exemption categories an applicant belongs to on a day.

    The recorded welfare status counts as it is; 80 or older is also read from the birth
    date, so an elderly applicant is never charged because nobody recorded the status.
    """
    categories = set()
    if welfare_status:
        categories.add(welfare_status)
    if birth_date is not None:
        age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
        if age >= ELDERLY_AGE:
            categories.add("elderly_80")
    return frozenset(categories)


def _exemption_for(rule: FeeRule, categories: frozenset[str]) -> Exemption | None:
    return next((ex for ex in rule.exemptions if ex.category in categories), None)


def _quantity(rule: FeeRule, index: int, quantities: Mapping[int, int]) -> int:
    value = quantities.get(index)
    if value is None:
        if rule.kind == "tiered":
            raise ValidationError(
                _("Please enter the {unit} for \u201c{rule}\u201d: the fee depends on it.").format(
                    unit=rule.unit, rule=rule.description
                ),
                field=QUANTITY_FIELD,
            )
        return 0  # per unit: nothing extra unless the operator says so
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            _("The quantity for \u201c{rule}\u201d must be a whole number, 0 or more.").format(rule=rule.description),
            field=QUANTITY_FIELD,
        )
    return value


def _per_unit(rule: FeeRule, quantity: int) -> tuple[Fen, str]:
    price = rule.amount_fen or 0
    charged = quantity if rule.max_units is None else min(quantity, rule.max_units)
    amount = price * charged
    if charged < quantity:
        words = _("{quantity} {unit}, at most {max} charged: {units} \u00d7 {price} = {amount}").format(
            quantity=quantity,
            unit=rule.unit,
            max=rule.max_units,
            units=charged,
            price=yuan_text(price),
            amount=yuan_text(amount),
        )
    else:
        words = _("{units} {unit} \u00d7 {price} = {amount}").format(
            units=charged, unit=rule.unit, price=yuan_text(price), amount=yuan_text(amount)
        )
    return amount, words


def _tiered(rule: FeeRule, quantity: int) -> tuple[Fen, str]:
    previous = None
    for tier in rule.tiers:
        if tier.up_to is None or quantity <= tier.up_to:
            if tier.up_to is not None:
                words = _("{quantity} {unit} is within the tier up to {up_to} {unit}: {amount}").format(
                    quantity=quantity, unit=rule.unit, up_to=tier.up_to, amount=yuan_text(tier.amount_fen)
                )
            else:
                words = _("{quantity} {unit} is above {previous} {unit}: {amount}").format(
                    quantity=quantity, unit=rule.unit, previous=previous, amount=yuan_text(tier.amount_fen)
                )
            return tier.amount_fen, words
        previous = tier.up_to
    # The catalog guarantees a last tier without a bound; a rule without one charges nothing
    # rather than inventing an amount.
    return 0, _("No tier covers {quantity} {unit}").format(quantity=quantity, unit=rule.unit)


def apply_rule(rule: FeeRule, index: int, *, quantity: int, categories: frozenset[str]) -> FeeLine:
    if rule.kind == "free":
        gross, words, shown_quantity = 0, _("No charge"), 0
    elif rule.kind == "fixed":
        gross = rule.amount_fen or 0
        words, shown_quantity = _("Fixed fee {amount}").format(amount=yuan_text(gross)), 1
    elif rule.kind == "per_unit":
        (gross, words), shown_quantity = _per_unit(rule, quantity), quantity
    elif rule.kind == "tiered":
        (gross, words), shown_quantity = _tiered(rule, quantity), quantity
    else:
        raise ValueError(f"unknown fee rule kind {rule.kind!r}")
    exemption = _exemption_for(rule, categories) if gross else None
    amount = 0 if exemption else gross
    if exemption:
        words = _("{computed}; exempt ({exemption}): {amount}").format(
            computed=words, exemption=exemption.description, amount=yuan_text(0)
        )
    return FeeLine(
        rule_index=index,
        department=rule.department,
        description=rule.description,
        kind=rule.kind,
        quantity=shown_quantity,
        unit=rule.unit,
        gross_fen=gross,
        amount_fen=amount,
        exemption=exemption.description if exemption else "",
        explanation=words,
    )


def compute_fee(
    rules: Sequence[FeeRule],
    *,
    quantities: Mapping[int, int] | None = None,
    categories: Iterable[str] = (),
) -> FeeComputation:
    """Every rule of the item, for one case. ``quantities`` by rule index (see
    :func:`rules_needing_quantity`); a per-unit rule without one counts 0 units, a tiered
    rule without one is refused, because guessing an area or a size would charge wrongly."""
    quantities = quantities or {}
    held = frozenset(categories)
    lines = tuple(
        apply_rule(rule, index, quantity=_quantity(rule, index, quantities), categories=held)
        for index, rule in enumerate(rules)
    )
    computation = FeeComputation(lines)
    if computation.total_fen > MAX_FEN:
        raise ValidationError(_("This amount is too large; please check it again."), field=QUANTITY_FIELD)
    return computation


# --- handing the money over -----------------------------------------------------------


@dataclass(frozen=True)
class Tender:
    """How the payer pays: the method and what goes with it."""

    method: str
    tendered_fen: Fen | None = None  # cash: what the payer handed over
    reference: str = ""  # card / QR: the reference the terminal shows
    waiver_reason: str = ""  # waived: why nothing is collected


@dataclass(frozen=True)
class Settlement:
    method: str
    amount_fen: Fen
    tendered_fen: Fen | None
    change_fen: Fen | None
    reference: str
    waiver_reason: str


def settle(total_fen: Fen, tender: Tender, *, allow_waiver: bool = True) -> Settlement:
    """Check the tender against the total; the change for cash. Raises ValidationError."""
    if tender.method not in PAYMENT_METHODS or (tender.method == WAIVED and not allow_waiver):
        raise ValidationError(_("Please choose how the payer pays."), field="method")
    if isinstance(total_fen, bool) or not isinstance(total_fen, int) or total_fen <= 0:
        raise ValidationError(_("There is nothing to collect: the amount is zero."), field="amount")
    reference = (tender.reference or "").strip()
    reason = (tender.waiver_reason or "").strip()
    if tender.method == CASH:
        tendered = tender.tendered_fen
        if tendered is None:
            raise ValidationError(_("Please enter the cash received."), field=TENDER_FIELD)
        if tendered < total_fen:
            raise ValidationError(
                _("The cash received ({tendered}) is less than the amount due ({total}).").format(
                    tendered=yuan_text(tendered), total=yuan_text(total_fen)
                ),
                field=TENDER_FIELD,
            )
        return Settlement(CASH, total_fen, tendered, tendered - total_fen, "", "")
    if tender.method == MOBILE and not reference:
        raise ValidationError(
            _("Please type the reference the payment terminal shows for this QR payment."),
            field=REFERENCE_FIELD,
        )
    if tender.method == WAIVED:
        if not reason:
            raise ValidationError(_("Please give the reason the fee is waived."), field=WAIVER_FIELD)
        return Settlement(WAIVED, total_fen, None, None, "", reason)
    return Settlement(tender.method, total_fen, None, None, reference, "")
