"""What the hub knows about the records a pushed batch mentions, read in a few queries.

One query per kind of record for the whole batch (not one per event): the rules then
decide every event against this :class:`BatchView`, which they also update as events
are applied, so an event may depend on an earlier one of the same batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, bindparam, literal, select
from sqlalchemy.orm import Session

from windowdesk.hub.services import feedback_rules
from windowdesk.hub.services.push_rules import CREATING_KINDS, BatchView, CaseFacts, IncomingEvent, Pusher
from windowdesk.hub.storage.database import storable_text
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

# Built once, run with the batch's values: building a dozen statements per request cost
# more than running them (a burst of 200 windows sends hundreds of small pushes).
def _ids(name: str = "ids"):  # noqa: ANN202 - a SQLAlchemy bind parameter
    return bindparam(name, expanding=True)


KNOWN_EVENTS = select(PushedEvent.event_id, PushedEvent.status, PushedEvent.reason).where(
    PushedEvent.event_id.in_(_ids())
)
_CASE_COLUMNS = (Case.id, Case.case_number, Case.center_code, Case.status)
# Cases whose status changes: locked first, in id order, then read, so what is read
# stays current until this transaction ends.
CASES_TO_CHANGE = select(*_CASE_COLUMNS).where(Case.id.in_(_ids())).order_by(Case.id).with_for_update()
CASES_BY_ID = select(*_CASE_COLUMNS).where(Case.id.in_(_ids()))
CASES_BY_NUMBER = select(*_CASE_COLUMNS).where(Case.case_number.in_(_ids()))
RESIDENTS_HERE = select(Resident.id).where(Resident.id.in_(_ids()), Resident.center_code == bindparam("center"))
RESIDENTS_ELSEWHERE = select(Resident.id).where(Resident.id.in_(_ids()), Resident.center_code != bindparam("center"))
ORGANISATIONS_HERE = select(Organisation.id).where(
    Organisation.id.in_(_ids()), Organisation.center_code == bindparam("center")
)
ORGANISATIONS_ELSEWHERE = select(Organisation.id).where(
    Organisation.id.in_(_ids()), Organisation.center_code != bindparam("center")
)
RECORDS_BY_ID = {model: select(model.id, model.number).where(model.id.in_(_ids())) for model in (Notification, Refusal)}
RECORDS_BY_NUMBER = {
    model: select(model.id, model.number).where(model.number.in_(_ids())) for model in (Notification, Refusal)
}
ITEMS = select(CatalogItem.code).where(CatalogItem.code.in_(_ids()))
WINDOWS = select(Window.id, Window.center_code).where(Window.id.in_(_ids()))
AUDIT_LAST_OF_WORKSTATION = (
    select(AuditRecord.hash).where(AuditRecord.workstation_id == bindparam("workstation"))
    .order_by(AuditRecord.seq.desc()).limit(1)
)
AUDIT_LAST_OF_WINDOW = (
    select(AuditRecord.hash).where(AuditRecord.window_id == bindparam("window"))
    .order_by(AuditRecord.seq.desc()).limit(1)
)
AUDIT_ENTRIES = select(AuditRecord.entry_id, AuditRecord.hash).where(AuditRecord.entry_id.in_(_ids()))
REJECTED_CREATIONS = select(PushedEvent.entity_id, PushedEvent.reason).where(
    # Spelled out, not bound: only then may SQLite use the partial index.
    PushedEvent.status == literal(REJECTED, literal_execute=True),
    PushedEvent.kind.in_(sorted(CREATING_KINDS)),
    PushedEvent.entity_id.in_(_ids()),
)


def known_events(session: Session, event_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    rows = session.connection().execute(KNOWN_EVENTS, {"ids": sorted(set(event_ids))})
    return {event_id: (status, reason) for event_id, status, reason in rows}


def _note(found: set[str], value: object) -> None:
    """``value`` among what a record could be found by, when it is text either database can
    compare. (No record has an id or number with a NUL in it, and PostgreSQL refuses to be
    asked.) A batch names its few windows and items hundreds of times: checked once."""
    if isinstance(value, str) and value not in found and storable_text(value):
        found.add(value)


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
            _note(self.ids[event.kind], event.entity_id)
            _note(self.numbers[event.kind], payload.get("number"))
            applicant = payload.get("applicant")
            if isinstance(applicant, dict) and isinstance(applicant.get("kind"), str):
                _note(self.applicants[applicant["kind"]], applicant.get("id"))
            _note(self.items, payload.get("item"))
            _note(self.windows, payload.get("window"))


def _load_audit_chain(connection: Connection, view: BatchView, pusher: Pusher, entry_ids: set[str]) -> None:
    """Where the pusher's audit chain ends on the hub (pushes of one workstation run one
    after the other, see push.py, so this stays true for the whole batch)."""
    view.audit_last = connection.scalar(AUDIT_LAST_OF_WORKSTATION, {"workstation": pusher.workstation_id})
    if view.audit_last is None:
        view.audit_window_last = connection.scalar(AUDIT_LAST_OF_WINDOW, {"window": pusher.window_id})
    if entry_ids:
        rows = connection.execute(AUDIT_ENTRIES, {"ids": sorted(entry_ids)})
        view.audit_entries.update((entry_id, hash_) for entry_id, hash_ in rows)


def load_view(session: Session, events: Sequence[IncomingEvent], pusher: Pusher) -> BatchView:
    mentions = _Mentions(events)
    view = BatchView()
    connection = session.connection()

    def rows(statement, ids: Iterable[str], **values: str):  # noqa: ANN001, ANN202 - SQLAlchemy's own types
        return connection.execute(statement, {"ids": sorted(ids), **values})

    changed_cases = sorted(mentions.ids["case.status"])
    if changed_cases:
        for case_id, number, center, status in rows(CASES_TO_CHANGE, changed_cases):
            view.cases[case_id] = CaseFacts(number, center, status)
    for statement, wanted in (
        (CASES_BY_ID, mentions.ids["case.accepted"]), (CASES_BY_NUMBER, mentions.numbers["case.accepted"]),
    ):
        if wanted:
            for case_id, number, center, status in rows(statement, wanted):
                view.cases[case_id] = CaseFacts(number, center, status)
    view.case_numbers.update(facts.number for facts in view.cases.values())

    # Applicants of the pusher's center only: a window never learns another center's
    # residents, so naming one is a mistake (or a probe) and must not link to it.
    center = pusher.center_code
    residents = mentions.applicants["resident"] | mentions.ids["resident.registered"]
    if residents:
        view.residents.update(row[0] for row in rows(RESIDENTS_HERE, residents, center=center))
        view.foreign_ids.update(row[0] for row in rows(RESIDENTS_ELSEWHERE, residents, center=center))
    organisations = mentions.applicants["organisation"] | mentions.ids["organisation.registered"]
    if organisations:
        view.organisations.update(row[0] for row in rows(ORGANISATIONS_HERE, organisations, center=center))
        view.foreign_ids.update(row[0] for row in rows(ORGANISATIONS_ELSEWHERE, organisations, center=center))
    for model, kind, seen in ((Notification, "notification.given", view.notifications), (Refusal, "refusal.given", view.refusals)):
        if mentions.ids[kind]:
            for record_id, number in rows(RECORDS_BY_ID[model], mentions.ids[kind]):
                seen.update((record_id, number))
        if mentions.numbers[kind]:
            for record_id, number in rows(RECORDS_BY_NUMBER[model], mentions.numbers[kind]):
                seen.update((record_id, number))
    if mentions.items:
        view.items.update(row[0] for row in rows(ITEMS, mentions.items))
    if mentions.windows:
        for window_id, window_center in rows(WINDOWS, mentions.windows):
            view.windows[window_id] = window_center

    _load_audit_chain(connection, view, pusher, mentions.ids["audit.entry"])
    feedback_rules.load_into(session, events, view)

    # Why a record this batch refers to is missing, when its creating event was rejected.
    referenced = set(changed_cases).union(*mentions.applicants.values())
    if referenced:
        for entity_id, reason in rows(REJECTED_CREATIONS, referenced):
            view.rejected.setdefault(entity_id, reason)
    return view
