"""查询密码 after acceptance: a supervisor issues a new query code for a case.

The code printed at acceptance (services.intake.accept_case) is never kept in clear, so
an applicant who lost it cannot be told it again: a supervisor issues a new one at the
window, which is printed at once (the acceptance receipt again, marked as a reprint,
carrying the new code). Its salted slow hash travels to the hub in a
``case.query_code_reissued`` event; from that sync on, the old code no longer opens the
case's public page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from windowdesk.domain.permissions import Permission
from windowdesk.domain.query_codes import hash_query_code, new_query_code
from windowdesk.errors import NotFoundError
from windowdesk.i18n import _
from windowdesk.services.approval import require_approver
from windowdesk.services.audit import record_action
from windowdesk.services.context import CounterContext
from windowdesk.storage import models as m
from windowdesk.storage.db import Database
from windowdesk.sync.outbox import enqueue
from windowdesk.sync.protocol import EventEntity, EventKind

QUERY_CODE_REISSUED = EventKind.CASE_QUERY_CODE_REISSUED


@dataclass(frozen=True)
class NewQueryCode:
    case_id: str
    case_number: str
    issued_at: dt.datetime
    code: str = field(repr=False)  # for the slip printed now; nowhere else


def reissue_query_code(db: Database, ctx: CounterContext, *, case_id: str, supervisor_id: str) -> NewQueryCode:
    """A new code for the case, approved by ``supervisor_id`` (services.approval:
    ``approve_as_supervisor`` with Permission.REISSUE_QUERY_CODE). One transaction: the
    issue time, the audit entry (without the code) and the event carrying the hash."""
    code = new_query_code()
    code_hash = hash_query_code(code)  # before the write lock: the hash is slow on purpose
    with db.write() as session:
        supervisor = require_approver(session, ctx, supervisor_id, Permission.REISSUE_QUERY_CODE)
        case = session.get(m.Case, case_id)
        if case is None or case.center_code != ctx.center_code:
            raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
        now = ctx.now()
        case.query_code_issued_at = now
        record_action(
            session,
            ctx,
            action="case.query_code_reissue",
            entity="case",
            entity_id=case.id,
            detail={"number": case.case_number, "supervisor": supervisor.id},
        )
        enqueue(
            session,
            entity=EventEntity.CASE,
            entity_id=case.id,
            kind=QUERY_CODE_REISSUED,
            now=now,
            payload={
                "id": case.id,
                "number": case.case_number,
                "center": case.center_code,
                "query_code_hash": code_hash,
                "at": now.isoformat(),
                "supervisor": supervisor.id,
            },
        )
        return NewQueryCode(case.id, case.case_number, now, code)
