"""出件 / 送达: how the applicant wants the result, and how it reached them.

Chosen at acceptance: at the window, by post (EMS, to an address), or through a pickup
locker. Handed over: at the window to the applicant, whose ID is checked, or to an agent
with a power of attorney (委托书); by post once the waybill is entered or scanned; into the
locker with the code the applicant opens it with. The result is due to be delivered
within DELIVERY_WORKING_DAYS working days of the decision.

Addresses are personal data: slips and logs carry only ``mask_address``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.domain.ids import parse_resident_id
from windowdesk.errors import ValidationError
from windowdesk.i18n import N_, _

DELIVERY_WORKING_DAYS = 10
MAX_ADDRESS_LENGTH = 200
MAX_LOCKER_LENGTH = 60


class DeliveryMode(StrEnum):
    """The way chosen for the result (case_deliveries.mode, the window's and the hub's; the
    hub's case_handovers.mode): the models read these members back and refuse other values."""

    WINDOW = "window"  # 窗口领取
    POST = "post"  # 邮寄 (EMS)
    LOCKER = "locker"  # 智能柜自取


DELIVERY_MODES = tuple(mode.value for mode in DeliveryMode)

_MODE_LABELS = {
    DeliveryMode.WINDOW: N_("Collected at the window"),
    DeliveryMode.POST: N_("By post (EMS)"),
    DeliveryMode.LOCKER: N_("From a pickup locker"),
}


def delivery_mode(value: DeliveryMode | str | None) -> DeliveryMode:
    """The mode named; none (a case from before the choice existed) is the window."""
    if value is None or value == "":
        return DeliveryMode.WINDOW
    try:
        return DeliveryMode(value)
    except ValueError:
        raise ValidationError(
            _("Unknown way of delivering the result: {mode}.").format(mode=str(value)[:40]), field="delivery"
        ) from None


def mode_label(value: DeliveryMode | str | None) -> str:
    return _(_MODE_LABELS[delivery_mode(value)])


@dataclass(frozen=True)
class DeliveryChoice:
    """How the applicant wants the result, as recorded at acceptance."""

    mode: str = DeliveryMode.WINDOW.value
    address: str = ""  # post: where to
    locker: str = ""  # locker: which one (its site or number)

    def checked(self) -> DeliveryChoice:
        """The choice with its text trimmed; refused in words when it lacks what its mode needs."""
        mode = delivery_mode(self.mode)
        address, locker = " ".join(self.address.split()), " ".join(self.locker.split())
        if mode is DeliveryMode.POST:
            if len(address) < 8:
                raise ValidationError(_("Please type the full postal address the result is sent to."), field="address")
            if len(address) > MAX_ADDRESS_LENGTH:
                raise ValidationError(
                    _("The address is longer than {count} characters.").format(count=MAX_ADDRESS_LENGTH),
                    field="address",
                )
            return DeliveryChoice(mode.value, address=address)
        if mode is DeliveryMode.LOCKER:
            if not locker or len(locker) > MAX_LOCKER_LENGTH:
                raise ValidationError(_("Please choose the pickup locker."), field="locker")
            return DeliveryChoice(mode.value, locker=locker)
        return DeliveryChoice(mode.value)


# A district, county or city ends the part of an address that may be shown.
_AREA_END = re.compile(r".{2,11}?(?:自治州|自治县|区|县|旗|市)")


def mask_address(address: str) -> str:
    """An address safe to print or log: the area (province, city, district) kept, the
    street, building and door hidden."""
    address = (address or "").strip()
    if not address:
        return ""
    # The longest leading area part within the first 12 characters.
    shown = ""
    for end in range(min(len(address), 12), 1, -1):
        if _AREA_END.fullmatch(address[:end]):
            shown = address[:end]
            break
    if not shown or len(shown) >= len(address):  # no area to tell apart: almost nothing shown
        shown = address[: min(2, len(address) // 3)]
    return shown + "****"


_WAYBILL = re.compile(r"^(?:[A-Z]{2}\d{9}[A-Z]{2}|\d{13})$")
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def parse_waybill(text: str) -> str:
    """An EMS waybill number as typed or scanned: 13 digits, or 2 letters, 9 digits and
    2 letters (EA123456789CN); spaces and full-width characters forgiven."""
    number = "".join(str(text).translate(_HALFWIDTH).split()).upper()
    if not _WAYBILL.match(number):
        raise ValidationError(
            _("\u201c{number}\u201d is not an EMS waybill number (13 digits, or like EA123456789CN).").format(
                number=number[:30]
            ),
            field="waybill",
        )
    return number


def parse_locker_code(text: str) -> str:
    code = "".join(str(text).split())
    if not (code.isascii() and code.isdigit() and 4 <= len(code) <= 8):
        raise ValidationError(_("The locker's pickup code is 4 to 8 digits."), field="locker_code")
    return code


@dataclass(frozen=True)
class Handover:
    """How the result reached the applicant (the DELIVER step).

    At the window: who collected it (ID number as read or typed; only its masked form is
    kept), and for an agent their name and the power of attorney. By post: the waybill.
    Locker: the code the applicant opens it with."""

    mode: str = DeliveryMode.WINDOW.value
    collector_id_number: str = ""
    collector_name: str = ""
    agent: bool = False
    power_of_attorney: str = ""  # 委托书: its number or description
    read_from_card: bool = False
    waybill: str = ""
    locker_code: str = ""


@dataclass(frozen=True)
class HandoverRecord:
    """What is kept of a handover: never a whole ID number."""

    mode: str
    collector_name: str = ""
    collector_id_masked: str = ""
    agent: bool = False
    power_of_attorney: str = ""
    read_from_card: bool = False
    waybill: str = ""
    locker_code: str = ""

    def as_payload(self) -> dict[str, str | bool]:
        return {
            "mode": self.mode,
            "collector_name": self.collector_name,
            "collector_id_masked": self.collector_id_masked,
            "agent": self.agent,
            "power_of_attorney": self.power_of_attorney,
            "read_from_card": self.read_from_card,
            "waybill": self.waybill,
            "locker_code": self.locker_code,
        }

    def words(self) -> str:
        """The timeline's note for the handover."""
        mode = delivery_mode(self.mode)
        if mode is DeliveryMode.POST:
            return _("Sent by EMS, waybill {number}").format(number=self.waybill)
        if mode is DeliveryMode.LOCKER:
            return _("Put in the pickup locker; pickup code given to the applicant")
        if self.agent:
            return _("Collected by agent {name} ({number}), power of attorney: {letter}").format(
                name=self.collector_name, number=self.collector_id_masked, letter=self.power_of_attorney
            )
        return _("Collected at the window by the applicant {name} ({number})").format(
            name=self.collector_name, number=self.collector_id_masked
        )


def check_handover(handover: Handover | None, *, chosen: str | None, applicant_id_number: str | None) -> HandoverRecord:
    """The record of a handover, checked against the mode chosen at acceptance (none: any
    mode) and, when the applicant collects in person, against their ID number."""
    if handover is None:
        raise ValidationError(_("Please say how the result was delivered."), field="delivery")
    mode = delivery_mode(handover.mode)
    if chosen is not None and mode is not delivery_mode(chosen) and mode is not DeliveryMode.WINDOW:
        # Anyone may still come to the window for it; the other ways are as chosen.
        raise ValidationError(
            _("The applicant chose \u201c{chosen}\u201d for the result, not \u201c{mode}\u201d.").format(
                chosen=mode_label(chosen), mode=mode_label(mode)
            ),
            field="delivery",
        )
    if mode is DeliveryMode.POST:
        return HandoverRecord(mode.value, waybill=parse_waybill(handover.waybill))
    if mode is DeliveryMode.LOCKER:
        return HandoverRecord(mode.value, locker_code=parse_locker_code(handover.locker_code))
    person = parse_resident_id(handover.collector_id_number)  # raises in words
    name = " ".join(handover.collector_name.split())
    if not name:
        raise ValidationError(_("Please type the name of the person collecting the result."), field="collector_name")
    if handover.agent:
        letter = " ".join(handover.power_of_attorney.split())
        if not letter:
            raise ValidationError(
                _("An agent collects only with the applicant's power of attorney: please record it."),
                field="power_of_attorney",
            )
        if applicant_id_number and person.number == applicant_id_number:
            raise ValidationError(
                _("This is the applicant's own ID card: they collect in person, not as an agent."),
                field="collector_id_number",
            )
        return HandoverRecord(mode.value, name, person.masked, True, letter[:200], handover.read_from_card)
    if applicant_id_number is None:
        raise ValidationError(
            _("An organisation's result is collected by an agent with its power of attorney."), field="agent"
        )
    if person.number != applicant_id_number:
        raise ValidationError(
            _(
                "This ID card is not the applicant's. Someone else collects only as an agent, "
                "with the applicant's power of attorney."
            ),
            field="collector_id_number",
        )
    return HandoverRecord(mode.value, name, person.masked, False, "", handover.read_from_card)


def delivery_due(decided: dt.date, calendar: WorkingCalendar) -> dt.date:
    """The last day to deliver a result decided on ``decided``."""
    return calendar.add_working_days(decided, DELIVERY_WORKING_DAYS)
