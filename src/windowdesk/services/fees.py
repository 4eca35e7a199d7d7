"""What a case costs (集中一次性收费), read from its item's fee standard in the local
catalog and the applicant's exemptions; and which of the day's cases still owe a fee.

The computation itself is ``domain.fees``; this module finds its inputs. Payments
(``services.payments``) call :func:`charge_for_case` inside their own transaction so the
amount on the receipt is the one computed when the money is taken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from windowdesk.domain import fees as fee_rules
from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.catalog import Exemption, FeeRule, Tier
from windowdesk.domain.permissions import Permission
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.i18n import _
from windowdesk.services.applicants import (
    ApplicantRef,
    ApplicantSummary,
    applicant_of,
    applicant_summary,
)
from windowdesk.services.authorization import authorize
from windowdesk.services.context import CounterContext
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.storage.db import Database, Session

# A withdrawn application owes nothing; every other state may still be charged (the fee
# is normally taken right after acceptance, but a late payment is not refused).
UNCHARGEABLE = (CaseStatus.WITHDRAWN,)


@dataclass(frozen=True)
class QuantityRule:
    """A rule whose amount depends on a quantity the operator enters."""

    index: int
    description: str
    unit: str
    kind: str  # per_unit / tiered
    max_units: int | None


@dataclass(frozen=True)
class FeeQuote:
    case_id: str
    case_number: str
    item_code: str
    item_name: str
    applicant_name: str
    applicant_number: str  # masked
    applicant: ApplicantRef
    quantity_rules: tuple[QuantityRule, ...]
    department_names: Mapping[str, str]
    computation: fee_rules.FeeComputation | None  # None while a needed quantity is missing
    problem: str  # why there is no computation yet
    paid_receipt_number: str  # the case's receipt when already paid, else ""

    @property
    def total_fen(self) -> int | None:
        return self.computation.total_fen if self.computation else None

    def department_name(self, code: str) -> str:
        return self.department_names.get(code, code)

    @property
    def charging_departments(self) -> tuple[str, ...]:
        if self.computation is None:
            return ()
        return tuple(self.department_name(code) for code in self.computation.departments)


@dataclass(frozen=True)
class FeeDue:
    case_id: str
    case_number: str
    item_name: str
    applicant_name: str
    amount_fen: int | None  # None when it depends on a quantity still to be entered


def domain_rules(rows: Iterable[m.FeeRule]) -> tuple[FeeRule, ...]:
    """Stored fee rules (``m.FeeRule`` rows, in position order) as the domain reads them."""
    return tuple(
        FeeRule(
            kind=row.kind,
            department=row.department_code,
            description=row.description,
            amount_fen=row.amount_fen,
            unit=row.unit,
            max_units=row.max_units,
            tiers=tuple(Tier(up_to=t.get("up_to"), amount_fen=t["amount_fen"]) for t in row.tiers),
            exemptions=tuple(Exemption(e["category"], e.get("description", "")) for e in row.exemptions),
        )
        for row in rows
    )


def _categories(session: Session, case: m.Case, on: dt.date) -> frozenset[str]:
    if not case.resident_id:
        return frozenset()  # exemptions are for people, not organisations
    resident = session.get_one(m.Resident, case.resident_id)
    return fee_rules.exemption_categories(welfare_status=resident.welfare_status, birth_date=resident.birth_date, on=on)


def load_case(session: Session, ctx: CounterContext, case_id: str) -> m.Case:
    case = session.get(m.Case, case_id)
    if case is None or case.center_code != ctx.center_code:
        raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
    return case


def charge_for_case(
    session: Session, ctx: CounterContext, case: m.Case, quantities: Mapping[int, int] | None
) -> tuple[fee_rules.FeeComputation, ApplicantSummary]:
    """Inside a payment's transaction: the fee and the payer, with as few reads as a
    counter action can afford (a missing quantity raises)."""
    rules = domain_rules(queries.fee_rules_of_item(session, case.item_code))
    categories = _categories(session, case, ctx.local_today())
    return (
        fee_rules.compute_fee(rules, quantities=quantities, categories=categories),
        applicant_summary(session, applicant_of(case)),
    )


def quote_in_session(
    session: Session, ctx: CounterContext, case: m.Case, quantities: Mapping[int, int] | None
) -> FeeQuote:
    """The fee of ``case`` today, with what the payment dialog shows around it; a missing
    quantity is reported in ``problem``."""
    item = session.get_one(m.CatalogItem, case.item_code)
    rules = domain_rules(queries.fee_rules_of_item(session, case.item_code))
    who = applicant_summary(session, applicant_of(case))
    computation, problem = None, ""
    try:
        computation = fee_rules.compute_fee(
            rules, quantities=quantities, categories=_categories(session, case, ctx.local_today())
        )
    except ValidationError as error:
        if error.field != fee_rules.QUANTITY_FIELD:
            raise
        problem = error.message
    paid = queries.unvoided_receipt_of_case(session, case.id)
    departments = {row.code: row.name for row in queries.all_departments(session)}
    return FeeQuote(
        case_id=case.id,
        case_number=case.case_number,
        item_code=item.code,
        item_name=item.name,
        applicant_name=who.name,
        applicant_number=who.masked_number,
        applicant=who.ref,
        quantity_rules=tuple(
            QuantityRule(index, rule.description, rule.unit, rule.kind, rule.max_units)
            for index, rule in enumerate(rules)
            if index in fee_rules.rules_needing_quantity(rules)
        ),
        department_names=departments,
        computation=computation,
        problem=problem,
        paid_receipt_number=paid.number if paid else "",
    )


def quote_case_fee(
    db: Database, ctx: CounterContext, *, case_id: str, quantities: Mapping[int, int] | None = None
) -> FeeQuote:
    """How much the case owes and how each amount was reached, for the payment dialog."""
    with db.read() as session:
        authorize(session, ctx, Permission.TAKE_PAYMENT)
        return quote_in_session(session, ctx, load_case(session, ctx, case_id), quantities)


def fees_due(db: Database, ctx: CounterContext, *, day: dt.date | None = None) -> list[FeeDue]:
    """Cases accepted at this window on a day (default today) whose fee is not paid yet."""
    start, end = ctx.day_bounds_utc(day or ctx.local_today())
    with db.read() as session:
        authorize(session, ctx, Permission.TAKE_PAYMENT)
        cases = [
            case
            for case in queries.cases_of_window_between(session, ctx.window_id, start, end)
            if case.status not in UNCHARGEABLE
        ]
        paid = queries.paid_case_ids(session, [case.id for case in cases])
        due = []
        for case in cases:
            if case.id in paid:
                continue
            quote = quote_in_session(session, ctx, case, None)
            if quote.computation is not None and quote.total_fen == 0:
                continue  # free, or exempt: nothing to collect
            due.append(FeeDue(case.id, case.case_number, quote.item_name, quote.applicant_name, quote.total_fen))
        return due
