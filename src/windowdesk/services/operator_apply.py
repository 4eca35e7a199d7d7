"""A pulled operator.upsert: accounts from the hub are bound to that hub's identity.

An account made at this window (origin "local") is never changed by a pulled change,
whatever its login; an account is updated only by the hub it came from (the hub id this
window pinned at enrollment, services/hub_enrollment.py), and matched by its id, never
by its login name. A change that may not apply is skipped (and logged), not an error:
the feed goes on.

The first administrator the hub sends for this center replaces the administrator made
at the first start (README: "accounts from the hub replace it at the first sync"): that
account is disabled, in the same transaction, and the audit log says so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import TYPE_CHECKING

from windowdesk.domain.permissions import Role
from windowdesk.services.audit import record_action
from windowdesk.services.workstation import KEY_CENTER, KEY_FIRST_RUN_ADMINISTRATOR, workstation_context_for
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.sync import protocol

if TYPE_CHECKING:
    from windowdesk.storage.db import Session

log = logging.getLogger("windowdesk.sync")
ROLES = frozenset(role.value for role in Role)
UNNAMED_HUB = "hub"  # a hub older than hub ids: all its accounts share this origin


def apply_operator(session: Session, change: protocol.Change, now: dt.datetime) -> str | None:
    from windowdesk.services.sync import KEY_HUB_ID  # services.sync imports this module

    payload = change.payload
    if payload["role"] not in ROLES:
        # A newer hub's role this window has no rights for (operators.role holds only Role's
        # values): the account waits for a client that knows it; the feed goes on.
        log.warning("operator.upsert seq %s skipped: its role is not one this window knows", change.seq)
        return None
    hub = queries.local_setting(session, KEY_HUB_ID) or UNNAMED_HUB
    row = session.get(m.Operator, payload["id"])
    if row is None:
        if queries.operator_by_login(session, payload["login"]) is not None:
            log.warning("operator.upsert seq %s skipped: its login is an account of this window", change.seq)
            return None
        row = m.Operator(id=payload["id"], created_at=now, origin=hub)
        session.add(row)
    elif row.origin == "":
        row.origin = hub  # pulled before origins were kept: the enrolled hub claims it
    elif row.origin != hub:
        log.warning("operator.upsert seq %s skipped: the account is not this hub's", change.seq)
        return None
    elif row.login != payload["login"] and queries.operator_by_login(session, payload["login"]) is not None:
        log.warning("operator.upsert seq %s skipped: its new login is another account's", change.seq)
        return None
    row.login = payload["login"]
    row.display_name = payload["display_name"]
    row.role = payload["role"]
    row.center_code = payload["center_code"]
    row.active = bool(payload.get("active", True))
    if "password_hash" in payload:
        # Only when the administrator set a password; otherwise the one chosen here stays.
        row.password_hash = payload["password_hash"]
        row.must_change_password = bool(payload.get("must_change_password", True))
    session.flush()
    _replace_first_run_administrator(session, row)
    return change.kind


def _replace_first_run_administrator(session: Session, arrived: m.Operator) -> None:
    """The hub's first active administrator of this center disables the one made at the
    first start (once: the setting is cleared)."""
    if arrived.role != Role.ADMINISTRATOR or not arrived.active or not arrived.password_hash:
        return
    first_id = queries.local_setting(session, KEY_FIRST_RUN_ADMINISTRATOR)
    center = queries.local_setting(session, KEY_CENTER)
    if not first_id or arrived.center_code != center:
        return
    first = session.get(m.Operator, first_id)
    queries.set_local_setting(session, KEY_FIRST_RUN_ADMINISTRATOR, "")
    if first is None or not first.active:
        return
    first.active = False
    ctx = dataclasses.replace(workstation_context_for(session, arrived), operator_name=arrived.display_name)
    record_action(
        session,
        ctx,
        action="operator.disable",
        entity="operator",
        entity_id=first.id,
        detail={"login": first.login, "reason": "replaced by the hub's administrator", "administrator": arrived.login},
    )
