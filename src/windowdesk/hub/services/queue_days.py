"""The hall queues' finished days at the hub (issue 25): what windows carried
(hub/services/queue_rules.py), read per center and day range, one line for the whole
center's day, then one per business and one per window. Used by ``windowdesk-hub
queue-report`` (trusted) and the console's Queue page (supervisors and administrators)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.services.console_rights import ConsoleActor, require_supervision
from windowdesk.hub.storage.models_queue import QueueDay
from windowdesk.i18n import N_

MAX_DAYS = 366
# The figures' names (hall/figures.py FIGURE_NAMES) and their headings.
COLUMNS = (
    ("issued", N_("ISSUED")),
    ("called", N_("CALLED")),
    ("served", N_("SERVED")),
    ("no_shows", N_("NO-SHOWS")),
    ("transferred", N_("TRANSFERRED")),
    ("linked_to_case", N_("WITH CASE")),
    ("wait_median_s", N_("WAIT MEDIAN (S)")),
    ("wait_p90_s", N_("WAIT P90 (S)")),
    ("wait_max_s", N_("WAIT MAX (S)")),
    ("service_median_s", N_("SERVICE MEDIAN (S)")),
)
TOTAL, BUSINESS, WINDOW = "total", "business", "window"
SCOPE_WORDS = {TOTAL: N_("whole center"), BUSINESS: N_("business"), WINDOW: N_("window")}


@dataclass(frozen=True)
class QueueLine:
    center: str
    day: dt.date
    scope: str  # total / business / window
    key: str  # the business's letter or the window's code ("" for the total)
    figures: dict[str, Any]

    def cells(self) -> list[str]:
        return [_cell(self.figures.get(name)) for name, _heading in COLUMNS]


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def queue_lines(session: Session, *, start: dt.date, end: dt.date, center: str | None = None) -> list[QueueLine]:
    """The days from ``start`` to ``end`` (included), oldest first, center by center."""
    if end < start:
        raise InvalidInput(
            Text(
                N_("The last day {end} is before the first day {start}."), start=start.isoformat(), end=end.isoformat()
            )
        )
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput(Text(N_("Ask for at most {days} days at once."), days=MAX_DAYS))
    query = select(QueueDay).where(QueueDay.day >= start, QueueDay.day <= end)
    if center:
        query = query.where(QueueDay.center_code == center)
    lines: list[QueueLine] = []
    for row in session.scalars(query.order_by(QueueDay.day, QueueDay.center_code)):
        figures = row.figures
        lines.append(QueueLine(row.center_code, row.day, TOTAL, "", figures["total"]))
        lines.extend(
            QueueLine(row.center_code, row.day, BUSINESS, key, value)
            for key, value in sorted(figures["by_business"].items())
        )
        lines.extend(
            QueueLine(row.center_code, row.day, WINDOW, key, value)
            for key, value in sorted(figures["by_window"].items())
        )
    return lines


def queue_lines_for(
    session: Session, *, actor: ConsoleActor, start: dt.date, end: dt.date, center: str | None = None
) -> list[QueueLine]:
    """The same for a console user: supervisors and administrators only."""
    require_supervision(actor)
    return queue_lines(session, start=start, end=end, center=center)


CSV_HEADINGS = ("CENTER", "DAY", "SCOPE", "KEY", *(name.upper() for name, _heading in COLUMNS))


def csv_rows(lines: list[QueueLine]) -> list[list[str]]:
    """The lines as CSV rows under CSV_HEADINGS (the same words in every language, for the
    programs that read them); an empty cell for a figure that has no value."""
    return [
        [
            line.center,
            line.day.isoformat(),
            line.scope,
            line.key,
            *("" if cell == "-" else cell for cell in line.cells()),
        ]
        for line in lines
    ]
