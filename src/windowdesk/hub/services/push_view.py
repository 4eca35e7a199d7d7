"""What the hub knows about the records a pushed batch mentions, read in a few queries.

One query per kind of record for the whole batch (not one per event): the rules then
decide every event against this :class:`BatchView`, which they also update as events
are applied, so an event may depend on an earlier one of the same batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from windowdesk.hub.services import feedback_rules
from windowdesk.hub.services.push_rules import CREATING_KINDS, BatchView, CaseFacts, IncomingEvent, Pusher
from windowdesk.hub.storage.models import (
    AuditRecord,
    Case,
    CatalogItem,
    Notification,
    Organisation,
    PushedEvent,
    Refusal,
    Resident,
    Window,
)
from windowdesk.sync.protocol import REJECTED



def known_events(session: Session, event_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    rows = session.execute(
        select(PushedEvent.event_id, PushedEvent.status, PushedEvent.reason).where(
            PushedEvent.event_id.in_(set(event_ids))
        )
    )
    return {event_id: (status, reason) for event_id, status, reason in rows}


def _strings(values: Iterable[object]) -> set[str]:
    return {value for value in values if isinstance(value, str)}


class _Mentions:
    """The ids, numbers and codes a batch mentions, by the kind of event mentioning them,
    so each query asks only for what can matter (a short IN list on an indexed column)."""

    def __init__(self, events: Sequence[IncomingEvent]) -> None:
        self.ids: dict[str, set[str]] = defaultdict(set)
        self.numbers: dict[str, set[str]] = defaultdict(set)
        self.applicants: dict[str, set[str]] = defaultdict(set)
        self.items: set[str] = set()
        self.windows: set[str] = set()
        for event in events:
            payload = event.payload
            self.ids[event.kind].add(event.entity_id)
            self.numbers[event.kind].update(_strings([payload.get("number")]))
            applicant = payload.get("applicant")
            if isinstance(applicant, dict) and isinstance(applicant.get("kind"), str):
                self.applicants[applicant["kind"]].update(_strings([applicant.get("id")]))
            self.items.update(_strings([payload.get("item")]))
            self.windows.update(_strings([payload.get("window")]))


def _load_audit_chain(session: Session, view: BatchView, pusher: Pusher, entry_ids: set[str]) -> None:
    """Where the pusher's audit chain ends on the hub (pushes of one workstation run one
    after the other, see push.py, so this stays true for the whole batch)."""
    view.audit_last = session.scalar(
        select(AuditRecord.hash).where(AuditRecord.workstation_id == pusher.workstation_id)
        .order_by(AuditRecord.seq.desc()).limit(1)
    )
    if view.audit_last is None:
        view.audit_window_last = session.scalar(
            select(AuditRecord.hash).where(AuditRecord.window_id == pusher.window_id)
            .order_by(AuditRecord.seq.desc()).limit(1)
        )
    if entry_ids:
        rows = session.execute(
            select(AuditRecord.entry_id, AuditRecord.hash).where(AuditRecord.entry_id.in_(entry_ids))
        )
        view.audit_entries.update((entry_id, hash_) for entry_id, hash_ in rows)


def load_view(session: Session, events: Sequence[IncomingEvent], pusher: Pusher) -> BatchView:
    mentions = _Mentions(events)
    view = BatchView()
    case_columns = (Case.id, Case.case_number, Case.center_code, Case.status)

    # Cases whose status changes: locked first, in id order, then read, so what is read
    # stays current until this transaction ends.
    changed_cases = sorted(mentions.ids["case.status"])
    if changed_cases:
        locked = select(*case_columns).where(Case.id.in_(changed_cases)).order_by(Case.id).with_for_update()
        for case_id, number, center, status in session.execute(locked):
            view.cases[case_id] = CaseFacts(number, center, status)
    for condition in (
        Case.id.in_(mentions.ids["case.accepted"]) if mentions.ids["case.accepted"] else None,
        Case.case_number.in_(mentions.numbers["case.accepted"]) if mentions.numbers["case.accepted"] else None,
    ):
        if condition is not None:
            for case_id, number, center, status in session.execute(select(*case_columns).where(condition)):
                view.cases[case_id] = CaseFacts(number, center, status)
    view.case_numbers.update(facts.number for facts in view.cases.values())

    # Applicants of the pusher's center only: a window never learns another center's
    # residents, so naming one is a mistake (or a probe) and must not link to it.
    residents = mentions.applicants["resident"] | mentions.ids["resident.registered"]
    if residents:
        view.residents.update(session.scalars(
            select(Resident.id).where(Resident.id.in_(residents), Resident.center_code == pusher.center_code)
        ))
        view.foreign_ids.update(session.scalars(
            select(Resident.id).where(Resident.id.in_(residents), Resident.center_code != pusher.center_code)
        ))
    organisations = mentions.applicants["organisation"] | mentions.ids["organisation.registered"]
    if organisations:
        view.organisations.update(session.scalars(
            select(Organisation.id).where(
                Organisation.id.in_(organisations), Organisation.center_code == pusher.center_code
            )
        ))
        view.foreign_ids.update(session.scalars(
            select(Organisation.id).where(
                Organisation.id.in_(organisations), Organisation.center_code != pusher.center_code
            )
        ))
    for model, kind, seen in ((Notification, "notification.given", view.notifications), (Refusal, "refusal.given", view.refusals)):
        if mentions.ids[kind]:
            for record_id, number in session.execute(select(model.id, model.number).where(model.id.in_(mentions.ids[kind]))):
                seen.update((record_id, number))
        if mentions.numbers[kind]:
            for record_id, number in session.execute(
                select(model.id, model.number).where(model.number.in_(mentions.numbers[kind]))
            ):
                seen.update((record_id, number))
    if mentions.items:
        view.items.update(session.scalars(select(CatalogItem.code).where(CatalogItem.code.in_(mentions.items))))
    if mentions.windows:
        for window_id, center in session.execute(
            select(Window.id, Window.center_code).where(Window.id.in_(mentions.windows))
        ):
            view.windows[window_id] = center

    _load_audit_chain(session, view, pusher, mentions.ids["audit.entry"])
    feedback_rules.load_into(session, events, view)

    # Why a record this batch refers to is missing, when its creating event was rejected.
    referenced = set(changed_cases).union(*mentions.applicants.values())
    if referenced:
        for entity_id, reason in session.execute(
            select(PushedEvent.entity_id, PushedEvent.reason).where(
                # Spelled out, not bound: only then may SQLite use the partial index.
                PushedEvent.status == literal(REJECTED, literal_execute=True),
                PushedEvent.kind.in_(CREATING_KINDS),
                PushedEvent.entity_id.in_(referenced),
            )
        ):
            view.rejected.setdefault(entity_id, reason)
    return view
