"""并联审批: the parts of a parallel case, one per department, and what they make of the case.

Each department decides its own part: approve, reject, or ask for more materials (the
part then waits and may be decided again). A decided part (approved or rejected) is
final. The case follows its parts:

- any part rejected               -> the case is REJECTED (the part's note says why);
- every part approved             -> the case is APPROVED;
- otherwise, a part waiting for materials -> the case is SUSPENDED;
- otherwise                       -> the case is IN_PROGRESS.

:func:`case_path` gives the steps of the plain case machine (domain.case_state) from
the case's current status to that target, so the timeline stays a sequence of allowed
transitions. Both the hub and the window use these rules.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType

from windowdesk.domain.case_state import TRANSITIONS, CaseAction, CaseStatus
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import N_, _


class PartStatus(StrEnum):
    """A part's state (case_parts.status, the window's and the hub's: the models read these
    members back and refuse other values)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    NEEDS_MATERIALS = "needs_materials"


# The hub's decision words (sync.protocol.DECISIONS) and what each makes of a part.
DECISION_PART_STATUS: Mapping[str, PartStatus] = MappingProxyType(
    {
        "approve": PartStatus.APPROVED,
        "reject": PartStatus.REJECTED,
        "request_materials": PartStatus.NEEDS_MATERIALS,
    }
)

OPEN_PARTS = frozenset({PartStatus.PENDING, PartStatus.NEEDS_MATERIALS})
# The case statuses in which a part may still be decided.
DECIDABLE_CASE = frozenset({CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED})
# Steps the back office's decisions may take on the case (never complete/deliver/withdraw).
_DECISION_STEPS = (
    CaseAction.START_REVIEW,
    CaseAction.SUSPEND,
    CaseAction.RESUME,
    CaseAction.APPROVE,
    CaseAction.REJECT,
)

_PART_LABELS = {
    PartStatus.PENDING: N_("Waiting for the department"),
    PartStatus.APPROVED: N_("Approved"),
    PartStatus.REJECTED: N_("Not approved"),
    PartStatus.NEEDS_MATERIALS: N_("Asks for more materials"),
}


class PartNotDecidable(WindowdeskError):
    """A decision on a part that is already decided, or on a case that is past deciding."""


def part_label(status: PartStatus | str) -> str:
    return _(_PART_LABELS[PartStatus(status)])


def is_parallel(parallel: bool, departments: Iterable[str]) -> bool:
    return bool(parallel) and len(set(departments)) >= 2


def part_departments(lead_department: str, parallel_departments: Iterable[str]) -> list[str]:
    """The departments of a parallel item's parts, each once, in the catalog's order."""
    seen: list[str] = []
    for code in parallel_departments or ():
        if code and code not in seen:
            seen.append(code)
    if lead_department and lead_department not in seen:
        seen.insert(0, lead_department)
    return seen


def decide_part(current: PartStatus | str, decision: str) -> PartStatus:
    """The part's status after ``decision``; a decided part cannot be decided again."""
    current = PartStatus(current)
    try:
        new = DECISION_PART_STATUS[decision]
    except KeyError:
        raise ValueError(f"unknown decision {decision!r}") from None
    if current not in OPEN_PARTS:
        raise PartNotDecidable(
            _("This step is not possible"),
            _("This department's part is already \u201c{status}\u201d.").format(status=part_label(current)),
        )
    return new


def case_target(parts: Iterable[PartStatus | str]) -> CaseStatus:
    statuses = [PartStatus(p) for p in parts]
    if any(p is PartStatus.REJECTED for p in statuses):
        return CaseStatus.REJECTED
    if statuses and all(p is PartStatus.APPROVED for p in statuses):
        return CaseStatus.APPROVED
    if any(p is PartStatus.NEEDS_MATERIALS for p in statuses):
        return CaseStatus.SUSPENDED
    return CaseStatus.IN_PROGRESS


def _shortest_paths() -> dict[tuple[CaseStatus, CaseStatus], tuple[CaseAction, ...]]:
    paths: dict[tuple[CaseStatus, CaseStatus], tuple[CaseAction, ...]] = {}
    for start in CaseStatus:
        seen: dict[CaseStatus, tuple[CaseAction, ...]] = {start: ()}
        queue = deque([start])
        while queue:
            here = queue.popleft()
            for action in _DECISION_STEPS:
                there = TRANSITIONS.get((here, action))
                if there is not None and there not in seen:
                    seen[there] = (*seen[here], action)
                    queue.append(there)
        for end, path in seen.items():
            paths[(start, end)] = path
    return paths


_PATHS = _shortest_paths()


def case_path(current: CaseStatus | str, target: CaseStatus | str) -> tuple[CaseAction, ...]:
    """The decision steps taking the case from ``current`` to ``target`` (empty when
    already there); raises PartNotDecidable when the case is past being decided (then no
    part may be decided any more, even one that would leave the case as it is)."""
    current, target = CaseStatus(current), CaseStatus(target)
    if current not in DECIDABLE_CASE:
        raise PartNotDecidable(
            _("This step is not possible"),
            _("The case can no longer be decided part by part: it is already decided, completed or withdrawn."),
        )
    try:
        return _PATHS[(current, target)]
    except KeyError:
        raise PartNotDecidable(_("This step is not possible"), _("The case cannot reach this status.")) from None
