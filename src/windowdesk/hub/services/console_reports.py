"""The performance report (绩效考核) as the console shows it, for the person who asks.

The same figures as ``windowdesk-hub report`` and the window's report (hub/services/reports.py,
domain/assessment.py). Supervisors and administrators read the whole city, any center;
department staff read their own department's items only, as a department's staff token does.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.assessment import GROUPINGS, Report
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.services import reports
from windowdesk.hub.services.console_rights import DEPARTMENT, ConsoleActor, require_department
from windowdesk.hub.storage.models import Center, Department
from windowdesk.i18n import N_


def report_for(
    session: Session,
    *,
    actor: ConsoleActor,
    start: dt.date,
    end: dt.date,
    by: str = "center",
    center: str | None = None,
    department: str | None = None,
) -> Report:
    """The report of the period grouped ``by``; ``center`` and ``department`` narrow it.
    Department staff get their department's figures whatever they ask for, and Forbidden
    when they name another department."""
    if by not in GROUPINGS:
        raise InvalidInput(Text(N_("A report is grouped by one of: {choices}."), choices=", ".join(GROUPINGS)))
    if actor.role == DEPARTMENT:
        if department and department != actor.department_code:
            require_department(actor, department)  # refuses, in the words of the rights
        department = actor.department_code
    return reports.city_report(
        session, start=start, end=end, by=by, center=center or None, department=department or None
    )


def choices(session: Session) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(centers, departments) as (code, name), for the report's filters."""
    centers = [(code, name) for code, name in session.execute(select(Center.code, Center.name).order_by(Center.code))]
    departments = [
        (code, name)
        for code, name in session.execute(select(Department.code, Department.name).order_by(Department.code))
    ]
    return centers, departments
