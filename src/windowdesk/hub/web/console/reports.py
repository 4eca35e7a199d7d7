"""The performance report in the console: a page with charts, and the same as CSV and PDF."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from windowdesk.domain.assessment import GROUPINGS, Report
from windowdesk.hub.report_table import COLUMNS, GROUPING_HEADINGS, GROUPING_WORDS, lines
from windowdesk.hub.services import console_reports
from windowdesk.hub.services.console_rights import ADMINISTRATOR, DEPARTMENT, SUPERVISOR, ConsoleActor
from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.web.charts import Series, bar_chart
from windowdesk.hub.web.console.navigation import REPORTS, add_section
from windowdesk.hub.web.console.periods import city_today, day_param
from windowdesk.hub.web.console.session import current_actor, hub_db, utc_now
from windowdesk.hub.web.console.sign_in import console_context
from windowdesk.hub.web.report_pdf import report_pdf
from windowdesk.hub.web.templating import render, translator
from windowdesk.i18n import N_
from windowdesk.spreadsheet import csv_writer

router = APIRouter()
add_section("/console/reports", N_("Performance reports"), DEPARTMENT, SUPERVISOR, ADMINISTRATOR, order=REPORTS)


@dataclass(frozen=True)
class Asked:
    start: dt.date
    end: dt.date
    by: str
    center: str
    department: str

    def query(self) -> str:
        return (
            f"start={self.start.isoformat()}&end={self.end.isoformat()}&by={self.by}&center={self.center}"
            f"&department={self.department}"
        )


def _asked(request: Request) -> Asked:
    """The period and grouping asked for; by default this month so far, by center."""
    today = city_today()
    params = request.query_params
    by = params.get("by") or "center"
    return Asked(
        day_param(params.get("start"), today.replace(day=1)),
        day_param(params.get("end"), today),
        by if by in GROUPINGS else "center",
        (params.get("center") or "")[:8],
        (params.get("department") or "")[:8],
    )


def _report(request: Request, actor: ConsoleActor, asked: Asked) -> Report:
    with current_figures(hub_db(request)) as session:  # every pushed case counted
        return console_reports.report_for(
            session,
            actor=actor,
            start=asked.start,
            end=asked.end,
            by=asked.by,
            center=asked.center,
            department=asked.department,
        )


def _scope(request: Request, actor: ConsoleActor, asked: Asked) -> str:
    _ = translator(request)
    department = actor.department_code if actor.role == DEPARTMENT else asked.department
    parts = [_("Center {code}").format(code=asked.center) if asked.center else _("The whole city")]
    if department:
        parts.append(_("items of department {code}").format(code=department))
    return _(", ").join(parts)


@router.get("/reports")
def reports_page(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    _ = translator(request)
    asked = _asked(request)
    report = _report(request, actor, asked)
    with hub_db(request).read() as session:
        centers, departments = console_reports.choices(session)
    labels = [row.label for row in report.rows]
    charts = (
        [
            bar_chart(
                _("Cases accepted and completed"),
                labels,
                [
                    Series(_("accepted"), [row.figures.accepted for row in report.rows]),
                    Series(_("completed"), [row.figures.completed for row in report.rows]),
                    Series(_("overdue"), [row.figures.overdue for row in report.rows]),
                ],
            ),
            bar_chart(
                _("On time and satisfied"),
                labels,
                [
                    Series(_("completed on time"), [row.figures.on_time_rate for row in report.rows]),
                    Series(_("satisfied ratings"), [row.figures.satisfaction_rate for row in report.rows]),
                ],
                percent=True,
            ),
        ]
        if report.rows
        else []
    )
    return render(
        request,
        "console/reports.html",
        console_context(
            actor,
            asked=asked,
            report=report,
            table=lines(report, _("TOTAL")),
            header=[_(GROUPING_HEADINGS[report.by]), *(_(title) for _name, title in COLUMNS)],
            groupings=[(g, _(GROUPING_WORDS[g])) for g in GROUPINGS],
            centers=centers,
            departments=departments,
            charts=charts,
            scope=_scope(request, actor, asked),
        ),
    )


def _file_name(asked: Asked, suffix: str) -> str:
    return f"performance-{asked.start.isoformat()}-{asked.end.isoformat()}-{asked.by}.{suffix}"


@router.get("/reports.csv")
def reports_csv(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    """Headings as the command line's CSV (the same in every language, for the programs that read it)."""
    asked = _asked(request)
    report = _report(request, actor, asked)
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow([report.by.upper(), *(title for _name, title in COLUMNS)])
    writer.writerows(lines(report, "TOTAL"))
    # A byte-order mark, so that a spreadsheet opened by double-click reads the Chinese names.
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_file_name(asked, "csv")}"'},
    )


@router.get("/reports.pdf")
def reports_pdf(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    asked = _asked(request)
    report = _report(request, actor, asked)
    pdf = report_pdf(report, gettext=translator(request), scope=_scope(request, actor, asked), made_at=utc_now())
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{_file_name(asked, "pdf")}"'},
    )
