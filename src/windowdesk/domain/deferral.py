"""容缺受理: acceptance with non-essential materials to follow, on a signed commitment.

The rules, in plain Python for the window's services:

- only an item whose catalog entry has a deferral rule may be accepted this way, and
  only its materials marked ``deferrable`` may be missing (a material to correct, or a
  required one that is not deferrable, still calls for a one-time notification);
- at least one material is deferred (otherwise it is an ordinary acceptance);
- the applicant commits to bring them by a date from today up to the promised
  completion date;
- when that date has passed without them, the catalog's rule applies: the case is
  suspended until they come, or refused on the item's legal basis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from windowdesk.domain.catalog_model import DeferralRule
from windowdesk.domain.material_status import MaterialStatus
from windowdesk.errors import ValidationError
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen

DEFERRED = MaterialStatus.DEFERRED  # a case material's status while it is to follow


@dataclass(frozen=True)
class DeferralTerms:
    """What the applicant signs in the commitment (承诺书)."""

    commitment_date: dt.date


@dataclass(frozen=True)
class Gap:
    """A required material not received at the counter."""

    name: str
    deferrable: bool
    missing: bool  # False: brought, but to be corrected


def check_deferral(
    terms: DeferralTerms, *, rule: DeferralRule, gaps: Sequence[Gap], today: dt.date, promised_date: dt.date
) -> None:
    """Raise a :class:`ValidationError` naming the first rule broken."""
    if rule is DeferralRule.NONE:
        raise ValidationError(
            _("This item cannot be accepted with materials to follow: its catalog entry allows no deferral."),
            field="deferral",
        )
    not_deferrable = [gap.name for gap in gaps if not (gap.deferrable and gap.missing)]
    if not_deferrable:
        raise ValidationError(
            _(
                "Only the materials the catalog marks as deferrable may follow, and only when they are missing. "
                "Not so: {names}. Give the applicant a one-time notification instead."
            ).format(names=_(", ").join(not_deferrable)),
            field="materials",
        )
    if not gaps:
        raise ValidationError(
            _("No material is missing: accept the application without materials to follow."), field="deferral"
        )
    if terms.commitment_date < today:
        raise ValidationError(_("The commitment date is in the past."), field="commitment_date")
    if terms.commitment_date > promised_date:
        raise ValidationError(
            _("The applicant must bring the materials by the promised completion date ({date}) at the latest.").format(
                date=on_screen(promised_date)
            ),
            field="commitment_date",
        )


def is_overdue(due_date: dt.date, today: dt.date) -> bool:
    """A deferred material is overdue once its committed day has passed."""
    return today > due_date
