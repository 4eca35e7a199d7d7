"""出件 / 送达 at the window: the applicant's choice kept at acceptance, the handover checked
and recorded with the DELIVER step, and the results waiting to be delivered watched
against their deadline (domain.delivery).

Called inside the caller's write transaction (intake.accept_case, cases.change_status):
the choice and the handover commit with the case and its outbox entry, or not at all.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from windowdesk.domain.delivery import (
    DeliveryChoice,
    DeliveryMode,
    Handover,
    HandoverRecord,
    check_handover,
    delivery_due,
    mask_address,
    mode_label,
)
from windowdesk.i18n import _
from windowdesk.storage import models as m
from windowdesk.storage.models_delivery import CaseDelivery

if TYPE_CHECKING:
    from windowdesk.domain.calendar import WorkingCalendar
    from windowdesk.storage.db import Session


def record_choice(session: Session, case: m.Case, choice: DeliveryChoice | None) -> dict:
    """Keep how the applicant wants the result; the payload part the hub receives."""
    checked = (choice or DeliveryChoice()).checked()
    session.add(
        CaseDelivery(
            case_id=case.id,
            mode=checked.mode,
            address=checked.address,
            locker=checked.locker,
            handed_over_as="",
            collector_name="",
            collector_id_masked="",
            by_agent=False,
            power_of_attorney="",
            read_from_card=False,
            waybill="",
            locker_code="",
        )
    )
    return {"mode": checked.mode, "address": checked.address, "locker": checked.locker}


def chosen_delivery(session: Session, case_id: str) -> CaseDelivery | None:
    return session.get(CaseDelivery, case_id)


def delivery_words(session: Session, case_id: str) -> str:
    """How the result is sent, for a slip: the address masked; "" when it is collected
    at the window."""
    row = session.get(CaseDelivery, case_id)
    if row is None or row.mode == DeliveryMode.WINDOW.value:
        return ""
    if row.mode == DeliveryMode.POST.value:
        return _("{mode}, to {address}").format(mode=mode_label(row.mode), address=mask_address(row.address))
    return _("{mode}: {locker}").format(mode=mode_label(row.mode), locker=row.locker)


def record_handover(session: Session, case: m.Case, handover: Handover | None, now: dt.datetime) -> HandoverRecord:
    """Check the handover against the choice and the applicant, and keep its record."""
    row = session.get(CaseDelivery, case.id)
    resident = session.get(m.Resident, case.resident_id) if case.resident_id else None
    record = check_handover(
        handover,
        chosen=row.mode if row is not None else None,
        applicant_id_number=resident.id_number if resident is not None else None,
    )
    if row is None:  # accepted before the choice was recorded: collected at the window
        row = CaseDelivery(case_id=case.id, mode=DeliveryMode.WINDOW.value, address="", locker="")
        session.add(row)
    row.handed_over_at, row.handed_over_as = now, record.mode
    row.collector_name, row.collector_id_masked = record.collector_name, record.collector_id_masked
    row.by_agent, row.power_of_attorney, row.read_from_card = (
        record.agent,
        record.power_of_attorney,
        record.read_from_card,
    )
    row.waybill, row.locker_code = record.waybill, record.locker_code
    return record


class DeliveryClock(NamedTuple):
    decided: dt.date
    due: dt.date
    left: int  # working days left until the due date (negative: overdue)


def delivery_clock(decided: dt.date, today: dt.date, calendar: WorkingCalendar) -> DeliveryClock:
    due = delivery_due(decided, calendar)
    if today <= due:
        left = calendar.working_days_between(today, due)
    else:
        left = -calendar.working_days_between(due, today)
    return DeliveryClock(decided, due, left)
