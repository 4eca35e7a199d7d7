from __future__ import annotations

import datetime as dt

import pytest

from tests.hall.hall_process import HallProcess
from windowdesk.hall.service import HallService
from windowdesk.hall.storage.store import HallStore


class Clock:
    """A settable clock: the tests step time so that waits and days are exact."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC))  # 09:00 in the hall


@pytest.fixture
def hall(tmp_path, clock) -> HallService:
    store = HallStore(tmp_path / "hall.sqlite3")
    store.migrate()
    service = HallService(store, clock=clock)
    service.set_business(prefix="A", name="社保医保")
    service.set_business(prefix="B", name="户籍证照")
    service.set_window(code="01", businesses=["A"])
    service.set_window(code="02", businesses=["A", "B"])
    service.set_window(code="03", businesses=["B"])
    yield service
    store.close()


@pytest.fixture
def hall_process(tmp_path):
    process = HallProcess(tmp_path / "hall")
    yield process
    process.stop()
