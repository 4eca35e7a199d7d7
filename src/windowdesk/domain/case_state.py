"""The life of a case after intake: a small state machine.

::

    ACCEPTED --START_REVIEW--> IN_PROGRESS --APPROVE--> APPROVED --COMPLETE--> COMPLETED --DELIVER--> DELIVERED
        |                         |   \\--REJECT--> REJECTED --COMPLETE--^
        +--SUSPEND--> SUSPENDED <-+ (SUSPEND)
                      SUSPENDED --RESUME--> IN_PROGRESS
    ACCEPTED / IN_PROGRESS / SUSPENDED --WITHDRAW--> WITHDRAWN

DELIVERED and WITHDRAWN are final. Both the client and the hub use this table; the hub
refuses an event whose transition is not in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import N_, _


class CaseStatus(StrEnum):
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    SUSPENDED = "suspended"  # waiting for supplementary materials
    APPROVED = "approved"
    REJECTED = "rejected"  # refused after acceptance
    COMPLETED = "completed"  # 办结
    DELIVERED = "delivered"  # 送达
    WITHDRAWN = "withdrawn"


# A case's finish time (cases.finished_at) is the time of its first step into one of these.
FINISHING_STATUSES = frozenset({CaseStatus.COMPLETED, CaseStatus.WITHDRAWN})


class CaseAction(StrEnum):
    START_REVIEW = "start_review"
    SUSPEND = "suspend"
    RESUME = "resume"
    APPROVE = "approve"
    REJECT = "reject"
    COMPLETE = "complete"
    DELIVER = "deliver"
    WITHDRAW = "withdraw"


S, A = CaseStatus, CaseAction

TRANSITIONS: Mapping[tuple[CaseStatus, CaseAction], CaseStatus] = MappingProxyType(
    {
        (S.ACCEPTED, A.START_REVIEW): S.IN_PROGRESS,
        (S.ACCEPTED, A.SUSPEND): S.SUSPENDED,
        (S.IN_PROGRESS, A.SUSPEND): S.SUSPENDED,
        (S.SUSPENDED, A.RESUME): S.IN_PROGRESS,
        (S.IN_PROGRESS, A.APPROVE): S.APPROVED,
        (S.IN_PROGRESS, A.REJECT): S.REJECTED,
        (S.APPROVED, A.COMPLETE): S.COMPLETED,
        (S.REJECTED, A.COMPLETE): S.COMPLETED,
        (S.COMPLETED, A.DELIVER): S.DELIVERED,
        (S.ACCEPTED, A.WITHDRAW): S.WITHDRAWN,
        (S.IN_PROGRESS, A.WITHDRAW): S.WITHDRAWN,
        (S.SUSPENDED, A.WITHDRAW): S.WITHDRAWN,
    }
)

TERMINAL_STATUSES: frozenset[CaseStatus] = frozenset({S.DELIVERED, S.WITHDRAWN})

_ALLOWED: Mapping[CaseStatus, frozenset[CaseAction]] = MappingProxyType(
    {status: frozenset(action for (src, action) in TRANSITIONS if src is status) for status in CaseStatus}
)

del S, A

STATUS_LABELS = {  # English; status_label() words them in the current language
    CaseStatus.ACCEPTED: N_("Accepted"),
    CaseStatus.IN_PROGRESS: N_("Under review"),
    CaseStatus.SUSPENDED: N_("Waiting for supplementary materials"),
    CaseStatus.APPROVED: N_("Approved"),
    CaseStatus.REJECTED: N_("Not approved"),
    CaseStatus.COMPLETED: N_("Completed"),
    CaseStatus.DELIVERED: N_("Result delivered"),
    CaseStatus.WITHDRAWN: N_("Withdrawn"),
}

ACTION_LABELS = {
    CaseAction.START_REVIEW: N_("Start review"),
    CaseAction.SUSPEND: N_("Wait for supplementary materials"),
    CaseAction.RESUME: N_("Resume review"),
    CaseAction.APPROVE: N_("Approve"),
    CaseAction.REJECT: N_("Do not approve"),
    CaseAction.COMPLETE: N_("Complete"),
    CaseAction.DELIVER: N_("Deliver the result"),
    CaseAction.WITHDRAW: N_("Withdraw"),
}


class InvalidTransition(WindowdeskError):
    """An action that the case's current status does not allow.

    ``template`` is the message in English, with {status} and {action}, for a caller that
    words it in another language than the current one (the hub answering a window)."""

    def __init__(self, current: CaseStatus, action: CaseAction) -> None:
        self.current = current
        self.action = action
        if is_terminal(current):
            self.template = N_(
                "This case is already \u201c{status}\u201d and cannot be changed any more "
                "(\u201c{action}\u201d is not possible)."
            )
        else:
            self.template = N_("\u201c{action}\u201d is not possible while the case is \u201c{status}\u201d.")
        super().__init__(
            _("This step is not possible"),
            _(self.template).format(status=status_label(current), action=action_label(action)),
        )


def next_status(current: CaseStatus | str, action: CaseAction | str) -> CaseStatus:
    """The status after ``action``; raises InvalidTransition if the action is not allowed now.

    Plain strings ("accepted", "start_review") are accepted; an unknown one raises ValueError.
    """
    current = CaseStatus(current)
    action = CaseAction(action)
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise InvalidTransition(current, action) from None


def allowed_actions(status: CaseStatus | str) -> frozenset[CaseAction]:
    return _ALLOWED[CaseStatus(status)]


def is_terminal(status: CaseStatus | str) -> bool:
    return CaseStatus(status) in TERMINAL_STATUSES


def status_label(status: CaseStatus | str) -> str:
    """Words for the operator and the applicant, in the current language."""
    return _(STATUS_LABELS[CaseStatus(status)])


def action_label(action: CaseAction | str) -> str:
    """Words for a button or a menu entry, in the current language."""
    return _(ACTION_LABELS[CaseAction(action)])
