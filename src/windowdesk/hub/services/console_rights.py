"""Who may do what in the console: the roles and the checks every console service makes.

- **department**: staff of one department: the cases waiting for that department's part,
  those cases' records and pages, deciding that part, notes; the department's reports.
- **supervisor** (the supervision office, 电子监察): the whole city's time limits, complaints,
  ratings and follow-ups, replies to complaints, the changes the hub refused; all reports.
- **administrator**: the city's setup (centers, windows, departments, operators,
  workstations, console accounts, catalog, calendar, backups), the refused changes; all
  reports.

Checked in the services (never only by hiding a link): a page that asks for what its user
may not see gets :class:`~windowdesk.hub.errors.Forbidden`.
"""

from __future__ import annotations

from dataclasses import dataclass

from windowdesk.domain.console_roles import ConsoleRole
from windowdesk.hub.errors import Forbidden
from windowdesk.hub.language import Text
from windowdesk.i18n import N_

DEPARTMENT = ConsoleRole.DEPARTMENT
SUPERVISOR = ConsoleRole.SUPERVISOR
ADMINISTRATOR = ConsoleRole.ADMINISTRATOR
ROLES = tuple(role.value for role in ConsoleRole)  # plain strings: argparse's choices, the forms' options
ROLE_LABELS = {DEPARTMENT: N_("department staff"), SUPERVISOR: N_("supervisor"), ADMINISTRATOR: N_("administrator")}


@dataclass(frozen=True)
class ConsoleActor:
    """The signed-in person a console service acts for."""

    user_id: str
    login: str
    display_name: str
    role: ConsoleRole
    department_code: str | None = None

    @property
    def audit_name(self) -> str:
        return f"console:{self.login}"

    @property
    def sees_whole_city(self) -> bool:
        return self.role in (SUPERVISOR, ADMINISTRATOR)


def _refuse(what: str) -> Forbidden:
    return Forbidden(
        Text(N_("Your console account may not {what}. Ask the hub's administrator if you need to."), what=Text(what))
    )


def require_administrator(actor: ConsoleActor) -> None:
    if actor.role != ADMINISTRATOR:
        raise _refuse(N_("change the city's setup"))


def require_supervision(actor: ConsoleActor) -> None:
    """The supervision office's pages: supervisors and administrators."""
    if actor.role not in (SUPERVISOR, ADMINISTRATOR):
        raise _refuse(N_("see the supervision office's pages"))


def require_department(actor: ConsoleActor, department_code: str) -> None:
    """Acting for ``department_code``: only that department's own staff."""
    if actor.role != DEPARTMENT or actor.department_code != department_code:
        raise _refuse(N_("act for another department"))


def require_case_reader(actor: ConsoleActor, *, case_departments: set[str]) -> None:
    """Reading a case: the whole city's offices, or a department that takes part in it."""
    if actor.sees_whole_city:
        return
    if actor.role == DEPARTMENT and actor.department_code in case_departments:
        return
    raise _refuse(N_("open a case of another department"))
