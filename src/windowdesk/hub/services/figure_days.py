"""The cases' report figures summed per local day and window operator (``case_figure_days``).

A year's city-wide report by center, window or operator adds these sums up instead of
reading every case's ``case_figures`` row (hub/services/reports.py). Each case adds to
the days its figures fall on:

- accepted (with proxy, deferred, online) on its acceptance day; completed (on time,
  handling days) on its completion day; delivered (late) on its delivery day;
- open overdue, a state at a period's end E (overdue_day <= E and not finished by E):
  +1 on its overdue day, -1 on the day it finished (never before the overdue day), so
  the changes up to E add up to the cases overdue and open at E; likewise the results
  waiting past their delivery deadline (decided, neither delivered nor withdrawn).

The report's conditions also ask for the case to be accepted (and decided) by the
period's end; that follows from the days above when the steps come in their order. A
case whose steps do not (a step dated before its acceptance, a delivery before the
decision: a window's clock set wrong) is ``counted_apart``: left out of the sums and
counted row by row. :func:`apply` is called by case_figures.refresh with the rows it
replaces and the rows it writes, in its transaction, so the sums change with the figures.

``rating_days`` counts the ratings (好差评) the same way, per local day of their center,
window operator and level: :func:`add_ratings` when the push or the public pages store
one, :func:`resum_ratings` when a center's time zone moves its days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from windowdesk.domain.service_quality import WEB_CHANNEL
from windowdesk.hub.services.id_lists import among_array, among_json, bound_ids, ids_as_json
from windowdesk.hub.storage.models import Center
from windowdesk.hub.storage.models_figures import CaseFigureDay, CaseFigures, RatingDay
from windowdesk.hub.storage.models_quality import Rating

COUNTS = (
    "accepted",
    "proxy_accepted",
    "deferred_accepted",
    "online_accepted",
    "completed",
    "on_time",
    "handling_days",
    "delivered",
    "delivered_late",
    "open_overdue_change",
    "delivery_overdue_change",
)
Key = tuple[dt.date, str, str, str]  # day, center, window ('' for none), operator ('' for none)
Changes = dict[Key, dict[str, int]]
# The columns of case_figures the sums are made from.
SUMMED_COLUMNS = (
    "case_id",
    "center_code",
    "window_id",
    "operator_id",
    "source",
    "proxy",
    "deferred",
    "accepted_day",
    "overdue_day",
    "completed_day",
    "withdrawn_day",
    "finished_day",
    "handling_days",
    "on_time",
    "decided_day",
    "delivered_day",
    "delivery_due_day",
    "counted_apart",
)
RATING_COUNTS = ("rated_1", "rated_2", "rated_3", "rated_4", "rated_5", "web_ratings")
_CHUNK = 500


def counted_apart(row: Mapping[str, Any]) -> bool:
    """Whether the case's figures cannot be summed by day (see the module's words)."""
    accepted, decided, delivered = row["accepted_day"], row["decided_day"], row["delivered_day"]
    if any(day is not None and day < accepted for day in (row["completed_day"], decided, delivered)):
        return True
    return decided is not None and delivered is not None and decided > delivered


def _figures_by_day(row: Mapping[str, Any]) -> Iterator[tuple[dt.date, str, int]]:
    """(day, count, how much) of one case that is summed (not counted apart)."""
    accepted = row["accepted_day"]
    yield accepted, "accepted", 1
    if row["proxy"]:
        yield accepted, "proxy_accepted", 1
    if row["deferred"]:
        yield accepted, "deferred_accepted", 1
    if row["source"] == "online":
        yield accepted, "online_accepted", 1
    completed = row["completed_day"]
    if completed is not None:
        yield completed, "completed", 1
        if row["on_time"]:
            yield completed, "on_time", 1
        yield completed, "handling_days", int(row["handling_days"] or 0)
    overdue, finished = row["overdue_day"], row["finished_day"]
    if overdue is not None:
        yield overdue, "open_overdue_change", 1
        if finished is not None:
            yield max(overdue, finished), "open_overdue_change", -1
    decided, delivered, due = row["decided_day"], row["delivered_day"], row["delivery_due_day"]
    if decided is None:
        return
    if delivered is not None:
        yield delivered, "delivered", 1
        if delivered >= due:
            yield delivered, "delivered_late", 1
    stopped = min((day for day in (delivered, row["withdrawn_day"]) if day is not None), default=None)
    yield due, "delivery_overdue_change", 1
    if stopped is not None:
        yield max(due, stopped), "delivery_overdue_change", -1


def add_case(changes: Changes, row: Mapping[str, Any], sign: int) -> None:
    """Add (sign 1) or take away (sign -1) one summed case's figures; ``sign`` n adds
    those of n cases alike (case_figures.refresh adds a batch's new rows so, by group)."""
    if row["counted_apart"]:
        return
    center, window, operator = row["center_code"], row["window_id"] or "", row["operator_id"] or ""
    for day, name, value in _figures_by_day(row):
        if value:
            sums = changes[(day, center, window, operator)]
            sums[name] = sums.get(name, 0) + sign * value


def new_changes() -> Changes:
    return defaultdict(dict)


def _upsert(connection: Connection, model: Any, counts: tuple[str, ...]) -> Any:
    """INSERT ... ON CONFLICT adding to the sums (both databases spell it alike)."""
    insert = sqlite.insert if connection.dialect.name == "sqlite" else postgresql.insert
    statement = insert(model)
    table = model.__table__
    return statement.on_conflict_do_update(
        index_elements=["day", "center_code", "window_key", "operator_key"],
        set_={name: table.c[name] + statement.excluded[name] for name in counts},
    )


_UPSERTS: dict[tuple[str, str], Any] = {}


def _add_to(session: Session, model: Any, counts: tuple[str, ...], changes: Changes) -> int:
    """Add the changes to a table of sums; the days in one order, so two transactions that
    touch the same days take their rows' locks in the same order. Returns the rows written."""
    rows = [
        {
            "day": key[0],
            "center_code": key[1],
            "window_key": key[2],
            "operator_key": key[3],
            **{name: sums.get(name, 0) for name in counts},
        }
        for key, sums in sorted(changes.items())
        if any(sums.values())
    ]
    if rows:
        connection = session.connection()
        plan = (connection.dialect.name, model.__tablename__)
        if plan not in _UPSERTS:
            _UPSERTS[plan] = _upsert(connection, model, counts)
        connection.execute(_UPSERTS[plan], rows)
    return len(rows)


def apply(session: Session, changes: Changes) -> int:
    """Add the changes to the cases' sums (case_figure_days)."""
    return _add_to(session, CaseFigureDay, COUNTS, changes)


def _zones(session: Session) -> dict[str, ZoneInfo]:
    return {code: ZoneInfo(zone) for code, zone in session.execute(select(Center.code, Center.timezone))}


_RATED = (Rating.center_code, Rating.window_id, Rating.operator_id, Rating.level, Rating.channel, Rating.rated_at)


def _count_ratings(changes: Changes, rows: Iterable[Any], zones: Mapping[str, ZoneInfo]) -> None:
    for center, window, operator, level, channel, rated_at in rows:
        day = rated_at.astimezone(zones.get(center, dt.UTC)).date()  # as reports._Period reads it
        sums = changes[(day, center, window or "", operator or "")]
        name = f"rated_{int(level)}"
        sums[name] = sums.get(name, 0) + 1
        if channel == WEB_CHANNEL:
            sums["web_ratings"] = sums.get("web_ratings", 0) + 1


def add_ratings(session: Session, rating_ids: Iterable[str]) -> int:
    """Count ratings just stored (by the push or the public pages), in their transaction."""
    ids = sorted(set(rating_ids))
    if not ids:
        return 0
    session.flush()
    changes, zones = new_changes(), _zones(session)
    for start in range(0, len(ids), _CHUNK):
        _count_ratings(
            changes, session.execute(select(*_RATED).where(Rating.id.in_(ids[start : start + _CHUNK]))), zones
        )
    return _add_to(session, RatingDay, RATING_COUNTS, changes)


def resum_ratings(session: Session, center: str | None = None) -> int:
    """The ratings' sums made again (of one center, whose time zone changed, or all)."""
    session.flush()
    session.execute(delete(RatingDay).where(*([RatingDay.center_code == center] if center else [])))
    changes = new_changes()
    rows = session.connection().execute(
        select(*_RATED).where(*([Rating.center_code == center] if center else [])).execution_options(yield_per=20_000)
    )
    _count_ratings(changes, rows, _zones(session))
    return _add_to(session, RatingDay, RATING_COUNTS, changes)


def resum(session: Session) -> int:
    """The sums made again from every case's figures (after the migration that made them,
    or to check them); returns the cases counted apart."""
    session.execute(delete(CaseFigureDay))
    changes, apart = new_changes(), []
    # Streamed (options of this statement only: on the connection they would stay for the next ones).
    for row in session.connection().execute(select(*_SUMMED).execution_options(yield_per=20_000)).mappings():
        summed = dict(row)
        summed["counted_apart"] = counted_apart(summed)
        if summed["counted_apart"]:
            apart.append(summed["case_id"])
        add_case(changes, summed, 1)
    session.execute(update(CaseFigures).where(CaseFigures.counted_apart).values(counted_apart=False))
    for start in range(0, len(apart), _CHUNK):
        session.execute(
            update(CaseFigures).where(CaseFigures.case_id.in_(apart[start : start + _CHUNK])).values(counted_apart=True)
        )
    apply(session, changes)
    return len(apart)


def sum_if_missing(session: Session) -> bool:
    """:func:`resum` when figures made before the sums existed wait for them (a hub just
    migrated), and :func:`resum_ratings` when ratings have no sums; lookups otherwise."""
    summed = False
    if (
        session.scalar(select(RatingDay.day).limit(1)) is None
        and session.scalar(select(Rating.id).limit(1)) is not None
    ):
        resum_ratings(session)
        summed = True
    if session.scalar(select(CaseFigureDay.day).limit(1)) is not None:
        return summed
    waiting = session.scalar(select(CaseFigures.case_id).where(CaseFigures.counted_apart).limit(1))
    if waiting is None:
        return summed
    resum(session)
    return True


_SUMMED = [CaseFigures.__table__.c[name] for name in SUMMED_COLUMNS]
# Built once per way of binding the ids (id_lists), as case_figures' own reads are.
_ROWS_BY_JSON = select(*_SUMMED).where(among_json(CaseFigures.case_id))
_ROWS_BY_ARRAY = select(*_SUMMED).where(among_array(CaseFigures.case_id))


def rows_of(session: Session, ids: Iterable[str]) -> list[dict[str, Any]]:
    """The summed columns of these cases' figures as they stand (before a refresh)."""
    connection = session.connection()
    as_json = ids_as_json(connection)
    statement = _ROWS_BY_JSON if as_json else _ROWS_BY_ARRAY
    return [dict(row) for row in connection.execute(statement, {"ids": bound_ids(ids, as_json=as_json)}).mappings()]
