"""帮办代办: an agent applies for someone else (the elderly, the disabled, a company).

The rules a proxy application must meet at the window, in plain Python so the window's
services and the hub's push rules apply the same ones:

- the agent is a natural person other than the principal (the applicant of record);
- the power of attorney (委托书) is presented at the window and bears a date;
- that date is not after the day of acceptance (an attorney cannot act before the
  principal signed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from windowdesk.errors import ValidationError
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen


@dataclass(frozen=True)
class ProxyTerms:
    """What the window records about the agent's authority for one case."""

    agent_resident_id: str
    power_of_attorney_present: bool
    power_of_attorney_date: dt.date | None


def check_proxy_terms(terms: ProxyTerms, *, principal_resident_id: str | None, accepted_day: dt.date) -> None:
    """Raise a :class:`ValidationError` naming the first rule ``terms`` breaks."""
    if not terms.agent_resident_id:
        raise ValidationError(_("Please choose or register the agent first."), field="agent")
    if principal_resident_id is not None and terms.agent_resident_id == principal_resident_id:
        raise ValidationError(
            _("The agent and the applicant are the same person. An agent applies for someone else."),
            field="agent",
        )
    if not terms.power_of_attorney_present:
        raise ValidationError(
            _(
                "An agent can apply only with the applicant's written power of attorney (委托书). "
                "Please check that it is presented."
            ),
            field="power_of_attorney",
        )
    if terms.power_of_attorney_date is None:
        raise ValidationError(_("Please enter the date of the power of attorney."), field="power_of_attorney")
    if terms.power_of_attorney_date > accepted_day:
        raise ValidationError(
            _("The power of attorney is dated {date}, after today: it cannot be accepted.").format(
                date=on_screen(terms.power_of_attorney_date)
            ),
            field="power_of_attorney",
        )
