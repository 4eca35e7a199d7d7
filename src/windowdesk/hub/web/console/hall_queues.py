"""The hall queues' finished days in the console ("Queue"): by center and day range,
the whole center, each business and each window, with the waiting times; and as CSV."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from windowdesk.hub.services import console_reports, queue_days
from windowdesk.hub.services.console_rights import ADMINISTRATOR, SUPERVISOR, ConsoleActor
from windowdesk.hub.web.console.navigation import REPORTS, add_section
from windowdesk.hub.web.console.periods import city_today, day_param
from windowdesk.hub.web.console.session import current_actor, hub_db
from windowdesk.hub.web.console.sign_in import console_context
from windowdesk.hub.web.templating import render, translator
from windowdesk.i18n import N_
from windowdesk.spreadsheet import csv_writer

router = APIRouter()
add_section("/console/hall-queues", N_("Hall queues"), SUPERVISOR, ADMINISTRATOR, order=REPORTS)


@dataclass(frozen=True)
class Asked:
    start: dt.date
    end: dt.date
    center: str

    def query(self) -> str:
        return f"start={self.start.isoformat()}&end={self.end.isoformat()}&center={self.center}"


def _asked(request: Request) -> Asked:
    """By default the last seven finished days (yesterday included), the whole city."""
    yesterday = city_today() - dt.timedelta(days=1)
    params = request.query_params
    return Asked(
        day_param(params.get("start"), yesterday - dt.timedelta(days=6)),
        day_param(params.get("end"), yesterday),
        (params.get("center") or "")[:8],
    )


def _lines(request: Request, actor: ConsoleActor, asked: Asked) -> list[queue_days.QueueLine]:
    with hub_db(request).read() as session:
        return queue_days.queue_lines_for(
            session, actor=actor, start=asked.start, end=asked.end, center=asked.center or None
        )


@router.get("/hall-queues")
def queue_page(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    _ = translator(request)
    asked = _asked(request)
    lines = _lines(request, actor, asked)
    with hub_db(request).read() as session:
        centers, _departments = console_reports.choices(session)
    rows = [
        (
            line.scope,
            line.center,
            line.day.isoformat(),
            f"{_(queue_days.SCOPE_WORDS[line.scope])} {line.key}".strip(),
            line.cells(),
        )
        for line in lines
    ]
    return render(
        request,
        "console/hall_queues.html",
        console_context(
            actor,
            asked=asked,
            rows=rows,
            centers=centers,
            header=[_("Center"), _("Day"), _("What"), *(_(heading) for _name, heading in queue_days.COLUMNS)],
        ),
    )


@router.get("/hall-queues.csv")
def queue_csv(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    asked = _asked(request)
    lines = _lines(request, actor, asked)
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(queue_days.CSV_HEADINGS)
    writer.writerows(queue_days.csv_rows(lines))
    name = f"queue-{asked.start.isoformat()}-{asked.end.isoformat()}{'-' + asked.center if asked.center else ''}.csv"
    # A byte-order mark, so that a spreadsheet opened by double-click reads it as UTF-8.
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
