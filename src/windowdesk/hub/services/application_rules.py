"""The push rule of application.decided: a window's pre-review (网上预审) of an online
application of its center.

"accept": the resident comes to the window with the originals; "return": the one-time
list (一次性告知) of what is missing or to be corrected, everything at once, which the
resident reads on the public status page and answers by sending the application again
(its next round). Only a submitted application's current round is decided, once: a
second window deciding the same round is refused, in words it can show.

An application of another center is answered as one the hub does not have. The statement
updates the application's row; the resident's page reads it from there.
Joined to push_rules.RULES at the end of that module; imports it only at its own end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.sql import Executable

from windowdesk.domain.case_sources import CaseSource
from windowdesk.domain.catalog_model import MATERIAL_CODE
from windowdesk.domain.online_application_status import HubApplicationStatus
from windowdesk.hub.storage.models_applications import OnlineApplication
from windowdesk.i18n import N_
from windowdesk.sync.protocol import EVENT_APPLICATION_DECIDED, EventEntity

ACCEPT, RETURN = "accept", "return"
RETURN_KINDS = ("missing", "correction")
MAX_RETURNED = 100
MAX_TEXT = 300

_TABLE = OnlineApplication.__table__
UPDATE_APPLICATION = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("application_id"))
    .values(
        status=bindparam("new_status"),
        returned=bindparam("returned_list"),
        decided_by=bindparam("by"),
        decided_at=bindparam("decided"),
        updated_at=bindparam("decided"),
    )
)
COMPLETE_APPLICATION = (
    update(_TABLE)
    .where(
        _TABLE.c.id == bindparam("completed_id"),
        _TABLE.c.center_code == bindparam("completed_center"),
        _TABLE.c.status.in_((HubApplicationStatus.SUBMITTED, HubApplicationStatus.ACCEPTED)),
    )
    .values(status=HubApplicationStatus.COMPLETED, updated_at=bindparam("completed_at"))
)
STATEMENTS: tuple[Executable, ...] = (UPDATE_APPLICATION, COMPLETE_APPLICATION)
_SOURCE_BY_WORD: dict[str, CaseSource] = {source.value: source for source in CaseSource}


@dataclass
class ApplicationFacts:
    center_code: str
    status: HubApplicationStatus
    round: int


def _returned(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list) or len(raw) > MAX_RETURNED:
        raise base.Rejected(
            N_("The application.decided event's returned list must be a list of at most {most} entries."),
            most=MAX_RETURNED,
        )
    entries = []
    for position, entry in enumerate(raw, start=1):
        material = entry.get("material") if isinstance(entry, dict) else None
        kind = entry.get("kind") if isinstance(entry, dict) else None
        text = entry.get("text") if isinstance(entry, dict) else None
        if (
            not isinstance(material, str)
            or (material and MATERIAL_CODE.fullmatch(material) is None)
            or kind not in RETURN_KINDS
            or not isinstance(text, str)
            or not text.strip()
            or len(text) > MAX_TEXT
        ):
            raise base.Rejected(
                N_("Entry {position} of the application.decided event's returned list is wrong."), position=position
            )
        entries.append({"material": material, "kind": kind, "text": text.strip()})
    return entries


def application_decided(
    event: base.IncomingEvent, pusher: base.Pusher, view: base.BatchView, now: dt.datetime
) -> base.Plan:
    read = base.PayloadReader(event)
    if event.entity != EventEntity.APPLICATION:
        raise base.Rejected(
            N_("An application.decided event must be about an application, not {entity!r}."), entity=event.entity[:40]
        )
    read.center(pusher)
    decision = read.payload.get("decision")
    if decision not in (ACCEPT, RETURN):
        raise base.Rejected(N_("The application.decided event's decision must be accept or return."))
    round_ = read.integer("round")
    read.timestamp("at")  # the window's clock: checked, kept with the event, not trusted
    returned = _returned(read.payload.get("returned"))
    if (decision == RETURN) != bool(returned):
        raise base.Rejected(
            N_("An application is returned with the list of what is missing, and accepted without one.")
        )
    facts = view.applications.get(event.entity_id)
    if facts is None or facts.center_code != pusher.center_code:
        raise base.Rejected(
            N_("Online application {id} is not on the hub (deleted, or never sent to this center)."), id=event.entity_id
        )
    if facts.status is not HubApplicationStatus.SUBMITTED or facts.round != round_:
        raise base.Rejected(
            N_("Online application {id} was already pre-reviewed (at this or another window); nothing was changed."),
            id=event.entity_id,
        )
    status = HubApplicationStatus.ACCEPTED if decision == ACCEPT else HubApplicationStatus.RETURNED
    row = dict(
        application_id=event.entity_id, new_status=status, returned_list=returned, by=pusher.window_id, decided=now
    )  # the hub's clock: the purge counts from it

    def remember(v: base.BatchView) -> None:
        v.applications[event.entity_id] = ApplicationFacts(facts.center_code, status, facts.round)

    return base.Plan([(UPDATE_APPLICATION, row)], remember)


def case_source(
    read: base.PayloadReader, center: str, now: dt.datetime
) -> tuple[CaseSource, tuple[Executable, dict[str, Any]] | None]:
    """A case.accepted event's source (来源) and, for one finishing an online application of
    the pusher's center, the statement completing it (an application of another center, or
    one already completed, is left as it is: the case itself is the window's to record)."""
    raw = read.payload.get("source", CaseSource.WINDOW)
    # Found by a dict, not by calling the enum (a fifth of the cost); a list or an object
    # sent as the source cannot be a key, and is refused as any other non-source.
    source = _SOURCE_BY_WORD.get(raw) if isinstance(raw, str) else None
    if source is None:
        raise base.Rejected(N_("The case.accepted event's source must be window or online."))
    application_id = read.payload.get("online_application")
    if source != CaseSource.ONLINE or application_id is None:
        return source, None
    if not base.is_uuid(application_id):
        raise base.Rejected(N_("The case.accepted event's online_application is not an application's id."))
    return source, (COMPLETE_APPLICATION, dict(completed_id=application_id, completed_center=center, completed_at=now))


RULES: dict[str, base.Rule] = {EVENT_APPLICATION_DECIDED: application_decided}

from windowdesk.hub.services import push_rules as base  # noqa: E402 - see the module's docstring
