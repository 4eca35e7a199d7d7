"""Who is acting, where, and when: passed to every service call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

# The handle every service takes, named here so that the UI types it without importing storage.
from windowdesk.storage.db import Database as Database


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class CounterContext:
    """The workstation and operator behind an action."""

    center_code: str
    center_name: str
    window_id: str
    window_code: str
    window_name: str
    operator_id: str
    operator_name: str
    operator_role: str = "operator"
    timezone: str = "Asia/Shanghai"
    clock: Callable[[], dt.datetime] = field(default=utc_now, compare=False)

    @property
    def workstation(self) -> str:
        return f"{self.center_code}-{self.window_code}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def now(self) -> dt.datetime:
        """Aware UTC, whatever the clock handed in."""
        return self.clock().astimezone(dt.UTC)

    def local_today(self) -> dt.date:
        return self.now().astimezone(self.zone).date()

    def day_bounds_utc(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) of a local day, in UTC."""
        start = dt.datetime.combine(day, dt.time.min, tzinfo=self.zone)
        end = start + dt.timedelta(days=1)
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)
