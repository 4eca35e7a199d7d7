"""What the hub knows about the records a pushed batch mentions, read in a few queries.

One query per kind of record for the whole batch (not one per event): the rules then
decide every event against this :class:`BatchView`, which they also update as events
are applied, so an event may depend on an earlier one of the same batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    CursorResult,
    Select,
    bindparam,
    literal,
    select,
)
from sqlalchemy.orm import Session

from windowdesk.hub.services import service_quality_rules
from windowdesk.hub.services.application_rules import ApplicationFacts
from windowdesk.hub.services.id_lists import Among, among_array, among_json, bound_ids, ids_as_json
from windowdesk.hub.services.push_rules import CREATING_KINDS, BatchView, CaseFacts, IncomingEvent, Pusher
from windowdesk.hub.storage.database import storable_text
from windowdesk.hub.storage.models import (
    AuditRecord,
    Case,
    CaseDeferredMaterial,
    CatalogItem,
    Notification,
    Organisation,
    PushedEvent,
    Refusal,
    Resident,
    Window,
    Workstation,
)
from windowdesk.hub.storage.models_applications import OnlineApplication
from windowdesk.sync.protocol import EventKind, PushedEventStatus


@dataclass(frozen=True)
class _Queries:
    """Built once, run with the batch's values: building a dozen statements per request
    cost more than running them (a burst of 200 windows sends hundreds of small pushes).

    Built twice, as the ids go (id_lists): on SQLite as one JSON array, on PostgreSQL as
    one array parameter (as IN lists they were rendered on every run, about a quarter of
    a 500-event batch's reading on SQLite; on PostgreSQL psycopg parsed each rendered
    text again as well)."""

    known_events: Select[*tuple[Any, ...]]
    stored_content: Select[*tuple[Any, ...]]
    cases_to_change: Select[*tuple[Any, ...]]
    deferred_materials: Select[*tuple[Any, ...]]
    cases_by_id: Select[*tuple[Any, ...]]
    cases_by_number: Select[*tuple[Any, ...]]
    residents_here: Select[*tuple[Any, ...]]
    residents_elsewhere: Select[*tuple[Any, ...]]
    organisations_here: Select[*tuple[Any, ...]]
    organisations_elsewhere: Select[*tuple[Any, ...]]
    records_by_id: dict[type, Select[*tuple[Any, ...]]]
    records_by_number: dict[type, Select[*tuple[Any, ...]]]
    items: Select[*tuple[Any, ...]]
    windows: Select[*tuple[Any, ...]]
    audit_entries: Select[*tuple[Any, ...]]
    rejected_creations: Select[*tuple[Any, ...]]
    applications_to_decide: Select[*tuple[Any, ...]]
    ids_as_json: bool

    @classmethod
    def built(cls, among: Among, *, ids_as_json: bool) -> _Queries:
        case_columns = (Case.id, Case.case_number, Case.center_code, Case.status)
        return cls(
            known_events=select(
                PushedEvent.event_id,
                PushedEvent.status,
                PushedEvent.reason,
                PushedEvent.content_sha256,
                Workstation.window_id,
            )
            .join(Workstation, Workstation.id == PushedEvent.workstation_id)
            .where(among(PushedEvent.event_id)),
            stored_content=select(
                PushedEvent.kind,
                PushedEvent.entity,
                PushedEvent.entity_id,
                PushedEvent.payload,
            ).where(PushedEvent.event_id == bindparam("event_id")),
            # Cases whose status changes: locked first, in id order, then read, so what is
            # read stays current until this transaction ends.
            cases_to_change=select(*case_columns).where(among(Case.id)).order_by(Case.id).with_for_update(),
            deferred_materials=select(
                CaseDeferredMaterial.case_id, CaseDeferredMaterial.material_code, CaseDeferredMaterial.arrived_at
            ).where(among(CaseDeferredMaterial.case_id)),
            cases_by_id=select(*case_columns).where(among(Case.id)),
            cases_by_number=select(*case_columns).where(among(Case.case_number)),
            residents_here=select(Resident.id).where(among(Resident.id), Resident.center_code == bindparam("center")),
            residents_elsewhere=select(Resident.id).where(
                among(Resident.id), Resident.center_code != bindparam("center")
            ),
            organisations_here=select(Organisation.id).where(
                among(Organisation.id), Organisation.center_code == bindparam("center")
            ),
            organisations_elsewhere=select(Organisation.id).where(
                among(Organisation.id), Organisation.center_code != bindparam("center")
            ),
            records_by_id={
                model: select(model.id, model.number).where(among(model.id)) for model in (Notification, Refusal)
            },
            records_by_number={
                model: select(model.id, model.number).where(among(model.number)) for model in (Notification, Refusal)
            },
            items=select(CatalogItem.code).where(among(CatalogItem.code)),
            windows=select(Window.id, Window.center_code).where(among(Window.id)),
            audit_entries=select(AuditRecord.entry_id, AuditRecord.hash).where(among(AuditRecord.entry_id)),
            rejected_creations=select(PushedEvent.entity_id, PushedEvent.reason).where(
                # Spelled out, not bound: only then may SQLite use the partial index.
                PushedEvent.status == literal(PushedEventStatus.REJECTED.value, literal_execute=True),
                PushedEvent.kind.in_(sorted(CREATING_KINDS)),
                among(PushedEvent.entity_id),
                # Only the reasons given to this center's windows: another center's name
                # its records, and a window learns nothing about those.
                PushedEvent.workstation_id.in_(
                    select(Workstation.id).where(Workstation.center_code == bindparam("center"))
                ),
            ),
            applications_to_decide=select(
                OnlineApplication.id,
                OnlineApplication.center_code,
                OnlineApplication.status,
                OnlineApplication.round,
            )
            .where(among(OnlineApplication.id))
            .order_by(OnlineApplication.id)
            .with_for_update(),
            ids_as_json=ids_as_json,
        )

    def ids(self, values: Iterable[str]) -> str | list[str]:
        return bound_ids(values, as_json=self.ids_as_json)


_BY_JSON = _Queries.built(among_json, ids_as_json=True)
_BY_ARRAY = _Queries.built(among_array, ids_as_json=False)


def _queries(connection: Connection) -> _Queries:
    return _BY_JSON if ids_as_json(connection) else _BY_ARRAY


# A workstation's entries all carry its window (the rules refuse an entry made at another):
# its last one is found among its window's, from the last back (ix_audit_entries_window;
# the workstation's own index went, 0022_s10hubwrite). Nearly always the window's last
# entry is its own; until it has one, the window's earlier enrollments' are passed over.
AUDIT_LAST_OF_WORKSTATION = (
    select(AuditRecord.hash)
    .where(AuditRecord.window_id == bindparam("window"), AuditRecord.workstation_id == bindparam("workstation"))
    .order_by(AuditRecord.seq.desc())
    .limit(1)
)
AUDIT_LAST_OF_WINDOW = (
    select(AuditRecord.hash)
    .where(AuditRecord.window_id == bindparam("window"))
    .order_by(AuditRecord.seq.desc())
    .limit(1)
)


@dataclass
class KnownEvent:
    """An event id the hub has already answered: how, what it said, and from which window."""

    status: PushedEventStatus
    reason: str
    content_sha256: str | None  # None: stored before the hub kept it
    window_id: str


def known_events(session: Session, event_ids: Sequence[str]) -> dict[str, KnownEvent]:
    connection = session.connection()
    queries = _queries(connection)
    rows = connection.execute(queries.known_events, {"ids": queries.ids(set(event_ids))})
    return {event_id: KnownEvent(status, reason, sha, window_id) for event_id, status, reason, sha, window_id in rows}


def stored_content(session: Session, event_id: str) -> tuple[str, str, str, object] | None:
    """(kind, entity, entity_id, payload) of a stored event, for the rare resend whose
    content hash differs (push._Batch.answer_again)."""
    row = session.connection().execute(_queries(session.connection()).stored_content, {"event_id": event_id}).first()
    return None if row is None else tuple(row)


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
            proxy = payload.get("proxy")
            agent = proxy.get("agent") if isinstance(proxy, dict) else None
            if isinstance(agent, dict) and agent.get("kind") == "resident":
                _note(self.applicants["resident"], agent.get("id"))
            _note(self.items, payload.get("item"))
            _note(self.windows, payload.get("window"))


def _load_audit_chain(
    connection: Connection, queries: _Queries, view: BatchView, pusher: Pusher, entry_ids: set[str]
) -> None:
    """Where the pusher's audit chain ends on the hub (pushes of one workstation run one
    after the other, see push.py, so this stays true for the whole batch)."""
    view.audit_last = connection.scalar(
        AUDIT_LAST_OF_WORKSTATION, {"window": pusher.window_id, "workstation": pusher.workstation_id}
    )
    if view.audit_last is None:
        view.audit_window_last = connection.scalar(AUDIT_LAST_OF_WINDOW, {"window": pusher.window_id})
    if entry_ids:
        rows = connection.execute(queries.audit_entries, {"ids": queries.ids(entry_ids)})
        view.audit_entries.update((entry_id, hash_) for entry_id, hash_ in rows)


def load_view(session: Session, events: Sequence[IncomingEvent], pusher: Pusher) -> BatchView:
    mentions = _Mentions(events)
    view = BatchView()
    connection = session.connection()
    queries = _queries(connection)

    def rows(statement: Select[*tuple[Any, ...]], ids: Iterable[str], **values: str) -> CursorResult[*tuple[Any, ...]]:
        return connection.execute(statement, {"ids": queries.ids(ids), **values})

    changed_cases = sorted(
        mentions.ids[EventKind.CASE_STATUS]
        | mentions.ids[EventKind.CASE_QUERY_CODE_REISSUED]
        | mentions.ids[EventKind.CASE_MATERIAL_ARRIVED]
    )
    if changed_cases:
        for case_id, number, center, status in rows(queries.cases_to_change, changed_cases):
            view.cases[case_id] = CaseFacts(number, center, status)
    arrivals = sorted(mentions.ids[EventKind.CASE_MATERIAL_ARRIVED])
    if arrivals:  # 容缺受理: what those cases wait for
        for case_id, code, arrived_at in rows(queries.deferred_materials, arrivals):
            view.deferred[(case_id, code)] = arrived_at is not None
    for statement, wanted in (
        (queries.cases_by_id, mentions.ids[EventKind.CASE_ACCEPTED] | mentions.ids[EventKind.CASE_PAGES]),
        (queries.cases_by_number, mentions.numbers[EventKind.CASE_ACCEPTED]),
    ):
        if wanted:
            for case_id, number, center, status in rows(statement, wanted):
                view.cases[case_id] = CaseFacts(number, center, status)
    view.case_numbers.update(facts.number for facts in view.cases.values())

    # Applicants of the pusher's center only: a window never learns another center's
    # residents, so naming one is a mistake (or a probe) and must not link to it.
    center = pusher.center_code
    residents = mentions.applicants["resident"] | mentions.ids[EventKind.RESIDENT_REGISTERED]
    if residents:
        view.residents.update(row[0] for row in rows(queries.residents_here, residents, center=center))
        view.foreign_ids.update(row[0] for row in rows(queries.residents_elsewhere, residents, center=center))
    organisations = mentions.applicants["organisation"] | mentions.ids[EventKind.ORGANISATION_REGISTERED]
    if organisations:
        view.organisations.update(row[0] for row in rows(queries.organisations_here, organisations, center=center))
        view.foreign_ids.update(row[0] for row in rows(queries.organisations_elsewhere, organisations, center=center))
    for model, kind, seen in (
        (Notification, EventKind.NOTIFICATION_GIVEN, view.notifications),
        (Refusal, EventKind.REFUSAL_GIVEN, view.refusals),
    ):
        if mentions.ids[kind]:
            for record_id, number in rows(queries.records_by_id[model], mentions.ids[kind]):
                seen.update((record_id, number))
        if mentions.numbers[kind]:
            for record_id, number in rows(queries.records_by_number[model], mentions.numbers[kind]):
                seen.update((record_id, number))
    if mentions.items:
        view.items.update(row[0] for row in rows(queries.items, mentions.items))
    if mentions.windows:
        for window_id, window_center in rows(queries.windows, mentions.windows):
            view.windows[window_id] = window_center

    decided = mentions.ids[EventKind.APPLICATION_DECIDED]
    if decided:  # 网上预审: the applications decided, locked until this transaction ends
        for application_id, app_center, status, round_ in rows(queries.applications_to_decide, decided):
            view.applications[application_id] = ApplicationFacts(app_center, status, round_)

    _load_audit_chain(connection, queries, view, pusher, mentions.ids[EventKind.AUDIT_ENTRY])
    service_quality_rules.load_into(session, events, view, center)

    # Why a record this batch refers to is missing, when its creating event was rejected.
    referenced = set(changed_cases).union(mentions.ids[EventKind.CASE_PAGES], *mentions.applicants.values())
    if referenced:
        for entity_id, reason in rows(queries.rejected_creations, referenced, center=center):
            view.rejected.setdefault(entity_id, reason)
    return view
