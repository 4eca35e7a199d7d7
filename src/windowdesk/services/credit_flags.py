"""Credit flags at the window (告知承诺制): whether an applicant may use 容缺受理 or
告知承诺制, and the hub's flags, key and verification outcomes as the feed brings them.

The hub owns the flags (it puts one on an applicant whose commitment a department found
untrue, and a supervisor lifts it in the console); every window keeps the city's flags,
keyed by the keyed hash of the applicant's ID number or credit code (never the number),
so the check holds offline once synced. The key (the city's HMAC key) arrives through
the feed, before the first flag, and is kept in this workstation's encrypted database.
"""

from __future__ import annotations

import datetime as dt
import logging

from windowdesk.domain.commitment import VERIFICATION_RESULTS, credit_key_hash, flag_refusal_message
from windowdesk.errors import ValidationError
from windowdesk.services.applicants import ORGANISATION, RESIDENT, ApplicantRef
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.storage.db import Session
from windowdesk.sync import protocol

log = logging.getLogger("windowdesk.sync")

# The local setting that keeps the city's credit key (hex) the hub published.
CREDIT_KEY_SETTING = "hub.credit_key"


def _applicant_number(session: Session, applicant: ApplicantRef) -> str | None:
    if applicant.kind == RESIDENT:
        resident = session.get(m.Resident, applicant.id)
        return resident.id_number if resident else None
    if applicant.kind == ORGANISATION:
        organisation = session.get(m.Organisation, applicant.id)
        return organisation.credit_code if organisation else None
    return None


def applicant_flag(session: Session, applicant: ApplicantRef) -> m.CreditFlag | None:
    """The applicant's credit flag not lifted, or None (also when no key came yet: then
    the hub has published no flag either, the key travels before the first one)."""
    key = queries.local_setting(session, CREDIT_KEY_SETTING)
    number = _applicant_number(session, applicant)
    if not key or not number:
        return None
    return queries.active_credit_flag(session, credit_key_hash(bytes.fromhex(key), number))


def refuse_if_flagged(session: Session, applicant: ApplicantRef) -> None:
    """Inside the acceptance's transaction: a flagged applicant is refused in plain words."""
    if applicant_flag(session, applicant) is not None:
        raise ValidationError(flag_refusal_message(), field="applicant")


# --- the feed's changes (services/sync_apply.py) ------------------------------------


def _at(value: object) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value).astimezone(dt.UTC) if isinstance(value, str) and value else None


def _flag_time(value: object) -> dt.datetime:
    at = _at(value)
    if at is None:
        raise ValueError("a credit flag without the time it was put")  # the page is not applied
    return at


def apply_credit_key(session: Session, change: protocol.Change, now: dt.datetime) -> str | None:
    key = change.payload.get("key")
    try:
        valid = isinstance(key, str) and len(bytes.fromhex(key)) >= 32
    except ValueError:
        valid = False
    if not valid or not isinstance(key, str):
        log.warning("skipping a credit key that is not one (seq %s)", change.seq)
        return None
    queries.set_local_setting(session, CREDIT_KEY_SETTING, key)
    return change.kind


def apply_credit_flag(session: Session, change: protocol.Change, now: dt.datetime) -> str | None:
    """A flag put or lifted: the whole flag as the hub has it now (applied twice, the same)."""
    payload = change.payload
    flag = session.get(m.CreditFlag, payload["id"])
    if flag is None:
        flag = m.CreditFlag(id=payload["id"])
        session.add(flag)
    flag.key_hash = str(payload["key_hash"])
    flag.case_number = str(payload.get("case_number") or "")
    flag.flagged_at = _flag_time(payload["flagged_at"])
    flag.reason = str(payload.get("reason") or "")
    flag.lifted_at = _at(payload.get("lifted_at"))
    flag.lift_reason = str(payload.get("lift_reason") or "")
    return change.kind


def apply_verification(session: Session, change: protocol.Change, now: dt.datetime) -> str | None:
    """A department's verification of a case's commitment (false: marked for revocation)."""
    payload = change.payload
    commitment = session.get(m.CaseCommitment, payload["case_id"])
    if commitment is None:
        return None  # a case of another window of this center: not kept here
    result = payload.get("result")
    if result not in VERIFICATION_RESULTS:
        log.warning("skipping a verification with no valid result (seq %s)", change.seq)
        return None
    commitment.verified_result = result
    commitment.verified_at = _at(payload.get("at"))
    commitment.verified_by = str(payload.get("department") or "")[:8]
    commitment.verification_note = str(payload.get("note") or "")
    return change.kind
