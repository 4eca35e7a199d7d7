"""The supervisor's figures of a day: how many tickets, served, no-shows; waiting (issue
to first call) average and 90th percentile; handling time (serving to done) on average
per window and per business; and, now, who waits and the longest wait. Plain arithmetic
over the day's tickets (a center's day is a few thousand)."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable


def _seconds(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    return (dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)).total_seconds()


def percentile(values: list[float], share: float) -> float | None:
    """Nearest rank: the smallest value with at least ``share`` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _average(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def day_figures(tickets: Iterable[dict], *, now: dt.datetime) -> dict:
    tickets = list(tickets)
    waits = []
    handling_by_window: dict[str, list[float]] = defaultdict(list)
    handling_by_business: dict[str, list[float]] = defaultdict(list)
    waiting_now: dict[str, int] = defaultdict(int)
    longest_now = 0.0
    for ticket in tickets:
        if ticket["calls"] > 0:  # a walk-in was never called: it did not wait in line
            wait = _seconds(ticket["issued_at"], ticket["called_at"])
            if wait is not None:  # a called ticket has both times
                waits.append(wait)
        handling = _seconds(ticket["serving_at"], ticket["finished_at"]) if ticket["state"] == "done" else None
        if handling is not None:
            handling_by_window[ticket["window_code"]].append(handling)
            handling_by_business[ticket["business"]].append(handling)
        if ticket["state"] in ("waiting", "transferred"):
            waiting_now[ticket["business"]] += 1
            longest_now = max(longest_now, (now - dt.datetime.fromisoformat(ticket["queued_at"])).total_seconds())
    p90 = percentile(waits, 0.9)
    return {
        "tickets": len(tickets),
        "served": sum(1 for t in tickets if t["state"] == "done"),
        "no_shows": sum(1 for t in tickets if t["state"] == "no_show"),
        "average_wait_s": _average(waits),
        "p90_wait_s": round(p90, 1) if p90 is not None else None,
        "handling_by_window": {
            w: {"served": len(v), "average_s": _average(v)} for w, v in sorted(handling_by_window.items())
        },
        "handling_by_business": {
            b: {"served": len(v), "average_s": _average(v)} for b, v in sorted(handling_by_business.items())
        },
        "waiting_now": dict(sorted(waiting_now.items())),
        "longest_wait_now_s": round(longest_now, 1),
    }


# --- a finished day, as it travels to the hub --------------------------------------------

FIGURE_NAMES = (
    "issued",
    "called",
    "served",
    "no_shows",
    "transferred",
    "linked_to_case",
    "wait_median_s",
    "wait_p90_s",
    "wait_max_s",
    "service_median_s",
)


def _rounded(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _known(values: list[float | None]) -> list[float]:
    return [value for value in values if value is not None]


def _group_figures(tickets: list[dict], transferred: int) -> dict:
    waits = _known([_seconds(t["issued_at"], t["called_at"]) for t in tickets if t["calls"] > 0])
    services = _known([_seconds(t["serving_at"], t["finished_at"]) for t in tickets if t["state"] == "done"])
    return {
        "issued": len(tickets),
        "called": sum(1 for t in tickets if t["calls"] > 0),
        "served": sum(1 for t in tickets if t["state"] == "done"),
        "no_shows": sum(1 for t in tickets if t["state"] == "no_show"),
        "transferred": transferred,
        "linked_to_case": sum(1 for t in tickets if t["case_id"]),
        "wait_median_s": _rounded(statistics.median(waits)) if waits else None,
        "wait_p90_s": _rounded(percentile(waits, 0.9)),
        "wait_max_s": _rounded(max(waits)) if waits else None,
        "service_median_s": _rounded(statistics.median(services)) if services else None,
    }


def finished_day_figures(tickets: Iterable[dict], window_events: Iterable[dict]) -> dict:
    """A finished day's figures: the whole center, per business and per window.

    A ticket counts under the business the resident chose at the kiosk (its first
    business) and under the last window that called it or served it as a walk-in (never
    called: under no window; a no-show stays with the window that called it).
    ``transferred`` counts tickets sent on at least once: per business, those chosen for
    it; per window, those that window sent on. ``window_events``: the day's call, recall,
    walk_in and transfer events in order, each with ``ticket_id``, ``kind``, ``window_code``.
    Waiting is issue to first call (walk-ins, never called, did not wait in line);
    service is start of serving to done."""
    tickets = list(tickets)
    last_window: dict[str, str] = {}
    moved_by_window: dict[str, set[str]] = defaultdict(set)
    for event in window_events:
        if not event["window_code"]:
            continue
        if event["kind"] == "transfer":
            moved_by_window[event["window_code"]].add(event["ticket_id"])
        else:
            last_window[event["ticket_id"]] = event["window_code"]
    moved = set().union(*moved_by_window.values())
    by_business: dict[str, list[dict]] = defaultdict(list)
    by_window: dict[str, list[dict]] = {window: [] for window in moved_by_window}
    for ticket in tickets:
        by_business[ticket["first_business"]].append(ticket)
        window = last_window.get(ticket["id"]) or ticket["window_code"]
        if window:
            by_window.setdefault(window, []).append(ticket)

    def moved_among(group: list[dict]) -> int:
        return sum(1 for t in group if t["id"] in moved)

    return {
        "total": _group_figures(tickets, moved_among(tickets)),
        "by_business": {b: _group_figures(group, moved_among(group)) for b, group in sorted(by_business.items())},
        "by_window": {
            w: _group_figures(group, len(moved_by_window.get(w, ()))) for w, group in sorted(by_window.items())
        },
    }
