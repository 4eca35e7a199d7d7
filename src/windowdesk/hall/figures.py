"""The supervisor's figures of a day: how many tickets, served, no-shows; waiting (issue
to first call) average and 90th percentile; handling time (serving to done) on average
per window and per business; and, now, who waits and the longest wait. Plain arithmetic
over the day's tickets (a center's day is a few thousand)."""

from __future__ import annotations

import datetime as dt
import math
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
            waits.append(_seconds(ticket["issued_at"], ticket["called_at"]))
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
        "handling_by_window": {w: {"served": len(v), "average_s": _average(v)}
                               for w, v in sorted(handling_by_window.items())},
        "handling_by_business": {b: {"served": len(v), "average_s": _average(v)}
                                 for b, v in sorted(handling_by_business.items())},
        "waiting_now": dict(sorted(waiting_now.items())),
        "longest_wait_now_s": round(longest_now, 1),
    }
