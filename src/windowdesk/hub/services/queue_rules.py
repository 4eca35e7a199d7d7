"""The push rule of queue.day_figures: a finished day of a center's hall queue, carried
by one of its windows (services/queue_figures.py at the window; hall/figures.py).

The center must be the pusher's own. The row of (center, day) is replaced: a DELETE
then an INSERT, so the latest event received wins; two windows sending the same day make
one row. Two events of the same day in one batch fail the grouped insert and the batch
is applied one event at a time (push.apply_push), which keeps the last of them.

Joined to push_rules.RULES at the end of that module; imports it only at its own end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, delete, insert
from sqlalchemy.sql import Executable

from windowdesk.hub.storage.models_queue import QueueDay
from windowdesk.i18n import N_
from windowdesk.sync.protocol import EVENT_QUEUE_DAY_FIGURES, EventEntity

DELETE_QUEUE_DAY = delete(QueueDay.__table__).where(
    QueueDay.__table__.c.center_code == bindparam("old_center"), QueueDay.__table__.c.day == bindparam("old_day")
)
INSERT_QUEUE_DAY = insert(QueueDay.__table__)
STATEMENTS: tuple[Executable, ...] = (DELETE_QUEUE_DAY, INSERT_QUEUE_DAY)
COUNTS = ("issued", "called", "served", "no_shows", "transferred", "linked_to_case")
SECONDS = ("wait_median_s", "wait_p90_s", "wait_max_s", "service_median_s")
MAX_GROUPS = 200  # businesses or windows of one center: far beyond any hall
MAX_KEY = 8
MAX_COUNT = 10**7
MAX_SECONDS = 7 * 86_400.0


def _rejected(kind: str) -> base.Rejected:
    return base.Rejected(
        N_("The {kind} event's figures are not a day's queue figures (counts and seconds, not below zero)."),
        kind=kind,
    )


def _figures(kind: str, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _rejected(kind)
    figures: dict[str, Any] = {}
    for name in COUNTS:
        value = raw.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
            raise _rejected(kind)
        figures[name] = value
    for name in SECONDS:
        value = raw.get(name)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MAX_SECONDS
        ):
            raise _rejected(kind)
        figures[name] = value
    return figures


def _groups(kind: str, raw: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, dict) or len(raw) > MAX_GROUPS:
        raise _rejected(kind)
    if any(not isinstance(key, str) or not 0 < len(key) <= MAX_KEY for key in raw):
        raise _rejected(kind)
    return {key: _figures(kind, value) for key, value in raw.items()}


def queue_day_figures(
    event: base.IncomingEvent, pusher: base.Pusher, view: base.BatchView, now: dt.datetime
) -> base.Plan:
    read = base.PayloadReader(event)
    center = read.center(pusher)
    text = read.text("day", 10)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise base.Rejected(
            N_("The {kind} event's day {day!r} is not a date like 2026-12-07."), kind=event.kind, day=text
        ) from None
    if event.entity != EventEntity.QUEUE_DAY or event.entity_id != f"{center}:{day.isoformat()}":
        raise base.Rejected(
            N_("A {kind} event's entity must be queue_day {center}:{day}."),
            kind=event.kind,
            center=center,
            day=day.isoformat(),
        )
    figures = {
        "total": _figures(event.kind, read.payload.get("total")),
        "by_business": _groups(event.kind, read.payload.get("by_business")),
        "by_window": _groups(event.kind, read.payload.get("by_window")),
    }
    row = dict(
        center_code=center,
        day=day,
        figures=figures,
        event_id=event.event_id,
        workstation_id=pusher.workstation_id,
        received_at=now,
    )
    return base.Plan(
        [(DELETE_QUEUE_DAY, {"old_center": center, "old_day": day}), (INSERT_QUEUE_DAY, row)], base.nothing
    )


RULES: dict[str, base.Rule] = {EVENT_QUEUE_DAY_FIGURES: queue_day_figures}
# Its entity id is "<center>:<day>", the key the hub keeps the latest by, not a UUID.
NATURAL_ID_KINDS = frozenset(RULES)

from windowdesk.hub.services import push_rules as base  # noqa: E402 - see the module's docstring
