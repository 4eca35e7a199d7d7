"""Words the console's case pages share: statuses, steps, parts and cards as msgids (the
templates word them with ``_()``), and how a time or a day is written."""

from __future__ import annotations

import datetime as dt

from windowdesk.domain.case_state import ACTION_LABELS, STATUS_LABELS
from windowdesk.domain.case_steps import StepKind
from windowdesk.domain.time_limits import Light
from windowdesk.hub.services.time_cards import Card, NoCard
from windowdesk.i18n import N_

STATUS_WORDS = {status.value: label for status, label in STATUS_LABELS.items()}
ACTION_WORDS = {action.value: label for action, label in ACTION_LABELS.items()}
PART_WORDS = {
    "pending": N_("Waiting for the department"),
    "approved": N_("Approved"),
    "rejected": N_("Not approved"),
    "needs_materials": N_("Asks for more materials"),
}  # as case_parts
LIGHT_WORDS = {
    Light.RED.value: N_("Past the promised date"),
    Light.YELLOW.value: N_("Near the promised date"),
    Light.GREEN.value: N_("In time"),
    Light.DONE.value: N_("Decided"),
    NoCard.STOPPED.value: N_("Clock stopped"),
    NoCard.UNDATED.value: N_("No promised date"),
}
STEP_WORDS = {
    StepKind.ACCEPTED: N_("Accepted at the window"),
    StepKind.STATUS: N_("Step at the window"),
    StepKind.DECISION: N_("Decision"),
    StepKind.PART_DECISION: N_("Part decided"),
    StepKind.NOTE: N_("Note"),
    StepKind.VERIFICATION: N_("Verification of the commitment"),
}
MATERIAL_WORDS = {"received": N_("Received"), "missing": N_("Missing"), "correction": N_("To be corrected")}
DECISION_WORDS = {
    "approve": N_("Approve"),
    "reject": N_("Do not approve"),
    "request_materials": N_("Ask for more materials (补正)"),
}


def clock(at: dt.datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at is not None else ""


def day(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "—"


def light_key(light: Card) -> str:
    return light.value


def case_words() -> dict[str, object]:
    """What a template showing cases needs, beside its own values."""
    return {
        "status_words": STATUS_WORDS,
        "action_words": ACTION_WORDS,
        "part_words": PART_WORDS,
        "light_words": LIGHT_WORDS,
        "step_words": STEP_WORDS,
        "decision_words": DECISION_WORDS,
        "material_words": MATERIAL_WORDS,
        "clock": clock,
        "day": day,
        "light_key": light_key,
    }
