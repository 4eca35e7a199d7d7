"""The workstations' audit logs on the hub: the hash chain, checked on arrival and on demand.

Each workstation's log is a chain: an entry's ``hash`` is SHA-256 of the previous
entry's hash followed by the entry's fields in canonical JSON, exactly as
windowdesk.services.audit computes it on the workstation (a test keeps the two equal).
On arrival the hub recomputes the hash and checks that ``prev_hash`` is the hash of the
last entry it holds from that workstation. A broken link means entries were changed,
deleted or never sent; the entry is stored all the same (an auditor needs it), flagged
with the reason. ``audit-check`` re-verifies what is stored, which also catches rows
changed or removed in the hub's own database.

A workstation's first entry links to the genesis hash (a new computer) or to the last
entry of its window from an earlier enrollment (the same computer, enrolled again).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.hub.storage.models import AuditRecord, Workstation

GENESIS_HASH = "0" * 64
HASH = re.compile(r"^[0-9a-f]{64}$")


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditFields:
    """The fields an entry's hash covers, as the workstation sent them."""

    id: str
    at: str
    operator_id: str | None
    workstation: str
    action: str
    entity: str
    entity_id: str
    detail: dict[str, Any]

    def hashed(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "operator_id": self.operator_id,
            "workstation": self.workstation,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "detail": self.detail,
        }


def content_problem(fields: AuditFields, prev_hash: str, hash_: str) -> str | None:
    if entry_hash(prev_hash, fields.hashed()) != hash_:
        return "Its content does not match its hash: it was changed after it was written."
    return None


def arrival_problems(
    fields: AuditFields, prev_hash: str, hash_: str, last_hash: str | None, window_last_hash: str | None
) -> list[str]:
    """What is wrong with an entry as it arrives (stored one per line in ``problem``)."""
    found = [content_problem(fields, prev_hash, hash_), link_problem(prev_hash, last_hash, window_last_hash)]
    return [problem for problem in found if problem]


def link_problem(prev_hash: str, last_hash: str | None, window_last_hash: str | None) -> str | None:
    """Why ``prev_hash`` does not continue the chain; None when it does.

    ``last_hash``: the workstation's last stored entry (None: it has none yet);
    ``window_last_hash``: the last entry of the same window from another enrollment.
    """
    if last_hash is not None:
        if prev_hash == last_hash:
            return None
        return (
            f"The chain is broken before it: it follows entry {prev_hash[:12]}, but the last entry "
            f"the hub holds from this workstation is {last_hash[:12]} (entries were changed, "
            "removed or never sent)."
        )
    if prev_hash in (GENESIS_HASH, window_last_hash):
        return None
    return (
        f"The chain does not start here: it follows entry {prev_hash[:12]}, which never reached "
        "the hub (entries were removed or never sent)."
    )


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    workstation_id: str
    window_id: str
    client_seq: int
    entry_id: str
    problem: str


def stored_fields(record: AuditRecord) -> AuditFields:
    return AuditFields(
        id=record.entry_id,
        at=record.at,
        operator_id=record.operator_id,
        workstation=record.window_id,
        action=record.action,
        entity=record.entity,
        entity_id=record.entity_id,
        detail=record.detail,
    )


def find_breaks(records: Iterable[AuditRecord]) -> Iterator[tuple[AuditRecord, list[str]]]:
    """Each stored entry (in arrival order) with its problems: flagged on arrival, or found now."""
    last_by_workstation: dict[str, str] = {}
    last_by_window: dict[str, str] = {}
    for record in records:
        problems = record.problem.splitlines() if not record.chain_ok else []
        found = [
            content_problem(stored_fields(record), record.prev_hash, record.hash),
            link_problem(
                record.prev_hash,
                last_by_workstation.get(record.workstation_id),
                last_by_window.get(record.window_id),
            ),
        ]
        new = [p for p in found if p and p not in problems]
        if new and record.chain_ok:
            new.insert(
                0, "It was stored intact, but no longer checks out: the hub's copy was changed or an entry removed."
            )
        yield record, problems + new
        last_by_workstation[record.workstation_id] = record.hash
        last_by_window[record.window_id] = record.hash


@dataclass
class ChainReport:
    checked: int
    breaks: list[ChainBreak]


def check_chains(session: Session, *, workstation: str | None = None) -> ChainReport:
    """Re-verify the stored chains of one workstation (its id, or its window id "CH-01")
    or of all. Streams the rows: a city's audit log grows by thousands a day."""
    query = select(AuditRecord).order_by(AuditRecord.seq)
    if workstation:
        # Its window's other enrollments too: a first entry may continue one of them. A
        # workstation's entries all carry its window (the hub refuses an entry made at
        # another), so the window is the workstation's own: read by window
        # (ix_audit_entries_window; the index by workstation went, 0022_s10hubwrite).
        own_window = session.scalar(select(Workstation.window_id).where(Workstation.id == workstation))
        query = query.where(AuditRecord.window_id.in_(sorted({workstation, own_window or workstation})))
    report = ChainReport(0, [])
    for record, problems in find_breaks(session.scalars(query.execution_options(yield_per=1000))):
        if workstation and workstation not in (record.workstation_id, record.window_id):
            continue
        report.checked += 1
        report.breaks.extend(
            ChainBreak(record.seq, record.workstation_id, record.window_id, record.client_seq, record.entry_id, p)
            for p in problems
        )
    return report
