"""What the administrators' pages share: the flash message after a change, the form's refusal
in the reader's words, times on the city's clock.

Every change is a POST that ends in a redirect to the page with ``?done=<what>`` (post,
redirect, get), whose words are fixed here: nothing a user typed travels in the address.
A refused form (bad input, an unknown record, a conflict) is shown again with the reason;
a refusal of the right itself (Forbidden) is the error page.
"""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from windowdesk.hub.errors import Conflict, HubError, InvalidInput, NotFound
from windowdesk.hub.language import Text
from windowdesk.hub.services.clocks import center_time, city_time
from windowdesk.hub.services.console_rights import ADMINISTRATOR
from windowdesk.hub.web.console.navigation import SETUP, add_section
from windowdesk.hub.web.templating import page_language
from windowdesk.i18n import N_

# The administrators' pages, in the menu in the order of setting up a city.
CITY = "/console/admin/city"
OPERATORS = "/console/admin/operators"
WORKSTATIONS = "/console/admin/workstations"
ACCOUNTS = "/console/admin/accounts"
CATALOG = "/console/admin/catalog"
CALENDAR = "/console/admin/calendar"
BACKUPS = "/console/admin/backups"
for _path, _label in (
    (CITY, N_("Centers and departments")),
    (OPERATORS, N_("Operators")),
    (WORKSTATIONS, N_("Workstations")),
    (ACCOUNTS, N_("Console accounts and staff tokens")),
    (CATALOG, N_("Catalog")),
    (CALENDAR, N_("Working calendar")),
    (BACKUPS, N_("Backups")),
):
    add_section(_path, _label, ADMINISTRATOR, order=SETUP)

# The refusals a form answers itself; anything else is the error page.
FORM_REFUSALS = (InvalidInput, NotFound, Conflict)

FLASHES = {
    "center": N_("The center is saved."),
    "window": N_("The window is saved."),
    "department": N_("The department is saved."),
    "operator": N_("The operator is saved and published to the center's windows."),
    "operator-password": N_("The operator's new first password is published; they change it at the window."),
    "operator-disabled": N_("The operator is disabled; the windows refuse their login from their next sync."),
    "operator-enabled": N_("The operator is enabled again from the windows' next sync."),
    "revoked": N_("The workstation is revoked; the hub refuses its token from now on."),
    "account": N_("The console account is made; its holder chooses their own password at the first sign-in."),
    "account-password": N_("The account has a new first password; its sessions are ended."),
    "account-disabled": N_("The account is disabled and signed out."),
    "account-enabled": N_("The account is enabled again."),
    "token-revoked": N_("The staff token is revoked; the hub refuses it from now on."),
    "item": N_("The item is published in a new catalog version to every window."),
    "status-page": N_("The status page address is published to every window."),
    "year": N_("The calendar year is published to every window."),
    "day": N_("The day is published to every window."),
    "check": N_("The check of the newest backup has started; its result shows here when it is done."),
}


def flash(request: Request) -> str | None:
    """The message of the change just made (an N_ message the template words), if any."""
    return FLASHES.get(request.query_params.get("done", ""))


def done(path: str, what: str) -> RedirectResponse:
    assert what in FLASHES, what
    return RedirectResponse(f"{path}?done={what}", status_code=303)


def refusal(request: Request, error: HubError) -> str:
    return error.worded(page_language(request))[1]


def city_clock(session: Session, at: dt.datetime | None) -> str:
    """``at`` to the minute on the centers' clock (UTC, said so, where they differ)."""
    if at is None:
        return ""
    local = city_time(session, at)
    return f"{local:%Y-%m-%d %H:%M}" if local is not None else f"{at:%Y-%m-%d %H:%M} UTC"


def center_clock(session: Session, center_code: str, at: dt.datetime | None) -> str:
    return "" if at is None else f"{center_time(session, center_code, at):%Y-%m-%d %H:%M}"


def form_int(text: str, default: int, what: str) -> int:
    """A number typed in a form, or ``default`` for one not typed; words for one not a number.
    ``what`` names the field (an N_ message)."""
    text = (text or "").strip()
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(Text(N_("The {what} must be a whole number."), what=Text(what))) from None
