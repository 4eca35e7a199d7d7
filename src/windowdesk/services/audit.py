"""The audit log: who did what, when, at which workstation. Append-only, hash-chained.

Details never carry personal data (no ID numbers, names or addresses): only record ids
and human numbers, so the log can travel to the hub and be read by auditors.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from windowdesk.domain.uuid7 import new_uuid
from windowdesk.services.context import CounterContext
from windowdesk.storage import queries
from windowdesk.storage.db import Database, Session
from windowdesk.storage.models import AuditEntry
from windowdesk.sync.outbox import enqueue
from windowdesk.sync.protocol import EventEntity, EventKind

GENESIS_HASH = "0" * 64


def _entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "operator_id": entry.operator_id,
        "workstation": entry.workstation,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "detail": entry.detail,
    }


def record_action(
    session: Session,
    ctx: CounterContext,
    *,
    action: str,
    entity: str,
    entity_id: str,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry inside the caller's write transaction."""
    prev = queries.last_audit_hash(session) or GENESIS_HASH
    entry = AuditEntry(
        id=new_uuid(),
        at=ctx.now(),
        operator_id=ctx.operator_id,
        workstation=ctx.workstation,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=detail or {},
        prev_hash=prev,
        hash="",
    )
    entry.hash = _entry_hash(prev, _hashed_fields(entry))
    session.add(entry)
    session.flush()
    # The hub keeps every workstation's log and checks its chain as it arrives, so a
    # log wiped or rewritten here is still there, and the break shows.
    enqueue(
        session,
        entity=EventEntity.AUDIT,
        entity_id=entry.id,
        kind=EventKind.AUDIT_ENTRY,
        payload={
            **_hashed_fields(entry),
            "seq": entry.seq,
            "prev_hash": entry.prev_hash,
            "hash": entry.hash,
        },
        now=entry.at,
    )
    return entry


def verify_chain(db: Database) -> list[str]:
    """Problems found in the chain, in plain words; empty when intact."""
    from windowdesk.i18n import _

    problems: list[str] = []
    with db.read() as session:
        prev = GENESIS_HASH
        for entry in queries.audit_entries(session):
            if entry.prev_hash != prev:
                problems.append(_("Entry {seq}: the entry before it was changed or removed.").format(seq=entry.seq))
            if entry.hash != _entry_hash(entry.prev_hash, _hashed_fields(entry)):
                problems.append(_("Entry {seq}: its content was changed.").format(seq=entry.seq))
            prev = entry.hash
    return problems
