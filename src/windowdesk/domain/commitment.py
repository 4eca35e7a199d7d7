"""告知承诺制 (notify-and-commit) and credit flags: the plain rules.

- Only an item whose catalog entry marks it (``commitment``, with the working days the
  responsible department has to verify) may be accepted this way. The window prints the
  written notice of the conditions (告知承诺书), the applicant signs the commitment that
  they meet them, and the case may be decided on the spot.
- Every such case gets a verification (核查) due date: the acceptance's day plus the
  catalog's working days. The department records the verification: true, or false, and a
  false one marks the case for revocation (撤销) and puts a credit flag on the applicant.
- A flagged applicant may use neither 容缺受理 nor 告知承诺制 until a supervisor lifts
  the flag with a reason.

Credit flags reach every window without the ID number: a flag is keyed by
``credit_key_hash``, an HMAC-SHA256 of the applicant's ID number (or unified social
credit code) under a city-wide key that only the hub and its enrolled windows hold
(docs/architecture.md says why a keyed hash and not a plain one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum

from windowdesk.errors import ValidationError
from windowdesk.i18n import _


class VerificationResult(StrEnum):
    """The verification's outcome as the department records it (false: the commitment
    was untrue, the case is marked for revocation and the applicant flagged)."""

    TRUE = "true"
    FALSE = "false"


VERIFIED_TRUE, VERIFIED_FALSE = VerificationResult.TRUE, VerificationResult.FALSE
VERIFICATION_RESULTS = tuple(VerificationResult)
MAX_VERIFY_DAYS = 250  # a year of working days: a catalog asking more is a typing mistake


@dataclass(frozen=True)
class CommitmentTerms:
    """What the applicant signed at the window (告知承诺书), and whether the window decides
    the case at once (approved and completed in the acceptance's transaction)."""

    signed: bool = True
    decide_on_the_spot: bool = True
    certificate_number: str = ""  # decided on the spot: the certificate issued, where the item issues one


def check_commitment(terms: CommitmentTerms, *, verify_days: int) -> None:
    """Raise a :class:`ValidationError` naming the first rule broken."""
    if verify_days <= 0:
        raise ValidationError(
            _("This item cannot be accepted under notify-and-commit: its catalog entry does not allow it."),
            field="commitment",
        )
    if not terms.signed:
        raise ValidationError(
            _(
                "The applicant must sign the commitment (告知承诺书) before the case is accepted under "
                "notify-and-commit."
            ),
            field="commitment",
        )


def credit_key_hash(key: bytes, number: str) -> str:
    """The credit flag's key for an ID number or a credit code: HMAC-SHA256 under the city's
    key, hex. Upper-cased first, so an "x" check digit typed small finds the same flag."""
    if not key:
        raise ValueError("the city's credit key is empty")
    return hmac.new(key, number.strip().upper().encode("ascii"), hashlib.sha256).hexdigest()


def flag_refusal_message() -> str:
    """What the window reads when a flagged applicant asks for either way of acceptance."""
    return _(
        "This applicant has a credit flag (a commitment was found untrue), so the case cannot be "
        "accepted with materials to follow nor under notify-and-commit. Ask for every material, or "
        "ask a supervisor whether the flag has been lifted."
    )


def verification_overdue(due: dt.date, today: dt.date) -> bool:
    """A verification not recorded is overdue once its due day has passed."""
    return today > due
