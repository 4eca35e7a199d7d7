"""The hall queue's finished days at the hub: pushed by a window of the center, one row per
center and day (the latest wins, a resend changes nothing), another center's refused,
damaged figures rejected; read back by supervisors and administrators only, and by
``windowdesk-hub queue-report``. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from windowdesk.hub.cli import main
from windowdesk.hub.errors import Forbidden, InvalidInput
from windowdesk.hub.services import queue_days
from windowdesk.hub.services.console_rights import ADMINISTRATOR, DEPARTMENT, SUPERVISOR, ConsoleActor
from windowdesk.hub.storage.models import PushedEvent
from windowdesk.hub.storage.models_queue import QueueDay

from .conftest import EventFactory, Hub, Workstation

APPLIED, DUPLICATE, REJECTED = "applied", "duplicate", "rejected"
DAY = "2026-12-06"


def figures(issued: int, *, wait_median_s: float | None = 330.0) -> dict[str, Any]:
    return {
        "issued": issued,
        "called": issued,
        "served": issued - 1,
        "no_shows": 1,
        "transferred": 0,
        "linked_to_case": 1,
        "wait_median_s": wait_median_s,
        "wait_p90_s": 600.0,
        "wait_max_s": 600.0,
        "service_median_s": 200.0,
    }


def queue_day(events: EventFactory, *, issued: int = 5, day: str = DAY, **changes: Any) -> dict[str, Any]:
    payload = {
        "center": events.center,
        "day": day,
        "total": figures(issued),
        "by_business": {"A": figures(issued - 1), "B": figures(1, wait_median_s=None)},
        "by_window": {"01": figures(issued)},
        **changes,
    }
    return events.event("queue.day_figures", "queue_day", f"{events.center}:{day}", payload)


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


def _rows(hub: Hub) -> list[tuple[str, dt.date, int]]:
    with hub.db.read() as session:
        return [
            (row.center_code, row.day, row.figures["total"]["issued"])
            for row in session.scalars(select(QueueDay).order_by(QueueDay.center_code, QueueDay.day))
        ]


def test_a_day_is_stored_once_and_the_latest_of_any_window_wins(hub: Hub, window: Workstation) -> None:
    first = queue_day(EventFactory(), issued=5)
    assert [s for s, _ in hub.push_results(window, [first])] == [APPLIED]
    assert [s for s, _ in hub.push_results(window, [first])] == [DUPLICATE]
    assert _rows(hub) == [("CH", dt.date(2026, 12, 6), 5)]

    other_window = hub.enroll("CH", "02")
    again = queue_day(EventFactory(window="CH-02"), issued=7)
    assert [s for s, _ in hub.push_results(other_window, [again])] == [APPLIED]
    assert _rows(hub) == [("CH", dt.date(2026, 12, 6), 7)]

    # The same day twice in one batch, beside another day: the later of the two is kept.
    events = EventFactory()
    batch = [queue_day(events, issued=8), queue_day(events, issued=9, day="2026-12-05"), queue_day(events, issued=10)]
    assert [s for s, _ in hub.push_results(window, batch)] == [APPLIED] * 3
    assert _rows(hub) == [("CH", dt.date(2026, 12, 5), 9), ("CH", dt.date(2026, 12, 6), 10)]


def test_another_centers_day_is_refused_whole(hub: Hub, window: Workstation) -> None:
    hub.enroll("JD01", "01")
    before = _count_pushed(hub)
    reply = hub.push(window, [queue_day(EventFactory(center="JD01", window="JD01-01"))])
    assert reply.status_code == 403
    assert reply.json()["error"]["code"] == "wrong_center"
    assert _rows(hub) == [] and _count_pushed(hub) == before


def _count_pushed(hub: Hub) -> int:
    with hub.db.read() as session:
        return session.scalar(select(func.count()).select_from(PushedEvent))


def test_damaged_figures_or_a_wrong_key_are_rejected_with_a_reason(hub: Hub, window: Workstation) -> None:
    events = EventFactory()
    negative = queue_day(events, total={**figures(5), "served": -1})
    fraction = queue_day(events, by_window={"01": {**figures(5), "issued": 2.5}})
    bad_day = queue_day(events, day="2026-02-30")
    wrong_key = queue_day(events)
    wrong_key["entity_id"] = "CH:2026-12-01"
    results = hub.push_results(window, [negative, fraction, bad_day, wrong_key])
    assert [s for s, _ in results] == [REJECTED] * 4
    assert "not below zero" in results[0][1] and "2026-02-30" in results[2][1] and "CH:2026-12-06" in results[3][1]
    assert _rows(hub) == []


def test_supervisors_and_administrators_read_the_days_and_the_cli_prints_them(
    hub: Hub, window: Workstation, capsys
) -> None:
    events = EventFactory()
    hub.push_results(window, [queue_day(events, issued=5), queue_day(events, issued=3, day="2026-11-30")])
    period = {"start": dt.date(2026, 12, 1), "end": dt.date(2026, 12, 7)}
    with hub.db.read() as session:
        for role in (SUPERVISOR, ADMINISTRATOR):
            lines = queue_days.queue_lines_for(session, actor=ConsoleActor("1", "s", "S", role), **period)
            assert [(line.day.isoformat(), line.scope, line.key) for line in lines] == [
                (DAY, "total", ""),
                (DAY, "business", "A"),
                (DAY, "business", "B"),
                (DAY, "window", "01"),
            ]
            assert lines[0].cells()[:3] == ["5", "5", "4"] and lines[2].cells()[6] == "-"
        with pytest.raises(Forbidden):
            queue_days.queue_lines_for(session, actor=ConsoleActor("2", "d", "D", DEPARTMENT, "LBJ"), **period)
        with pytest.raises(InvalidInput):
            queue_days.queue_lines(session, start=dt.date(2026, 12, 7), end=dt.date(2026, 12, 1))
        assert queue_days.queue_lines(session, center="JD01", **period) == []
    assert (
        main(
            hub.cli_args(
                "queue-report", "--from", "2026-11-30", "--to", "2026-12-06", "--center", "CH", "--format", "csv"
            ),
            environ={"LANGUAGE": "en"},
        )
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("CENTER,DAY,SCOPE,KEY,ISSUED,")
    assert out[1].startswith("CH,2026-11-30,total,,3,") and len(out) == 9
