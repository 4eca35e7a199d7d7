"""Time that does not count (办理时限中止): why a case's clock stands still.

A case is suspended for one of these reasons; every one of them stops the legal and the
promised clock alike (domain.time_limits counts any "suspended" stretch), so the kind
only says why, which notice the applicant is given, and what the timeline, the watch and
the reports show. The wait for supplementary materials (补正) was the first kind; steps
recorded before kinds existed carry none and are read as that one.
"""

from __future__ import annotations

from enum import StrEnum

from windowdesk.errors import ValidationError
from windowdesk.i18n import N_, _


class SuspensionKind(StrEnum):
    MATERIALS = "materials"  # 补正: waiting for supplementary materials
    HEARING = "hearing"  # 听证
    INSPECTION = "inspection"  # 检验、检测、鉴定: inspection, testing, appraisal
    EXPERT_REVIEW = "expert_review"  # 专家评审


SUSPENSION_KINDS = tuple(kind.value for kind in SuspensionKind)

_LABELS = {
    SuspensionKind.MATERIALS: N_("Waiting for supplementary materials"),
    SuspensionKind.HEARING: N_("Suspended for a hearing"),
    SuspensionKind.INSPECTION: N_("Suspended for inspection, testing or appraisal"),
    SuspensionKind.EXPERT_REVIEW: N_("Suspended for expert review"),
}

_REASON_PROMPTS = {
    SuspensionKind.MATERIALS: N_("Which supplementary materials are needed?"),
    SuspensionKind.HEARING: N_("Why is a hearing held, and when?"),
    SuspensionKind.INSPECTION: N_("What is inspected, tested or appraised, and by whom?"),
    SuspensionKind.EXPERT_REVIEW: N_("What do the experts review?"),
}

_END_REASON_PROMPTS = {
    SuspensionKind.MATERIALS: N_("Which materials came in? (may be left empty)"),
    SuspensionKind.HEARING: N_("How did the hearing end?"),
    SuspensionKind.INSPECTION: N_("What did the inspection, testing or appraisal find?"),
    SuspensionKind.EXPERT_REVIEW: N_("What did the experts conclude?"),
}


def suspension_kind(value: SuspensionKind | str | None) -> SuspensionKind:
    """The kind a step names; none (a step from before kinds existed) is the wait for
    materials. An unknown one is refused in words."""
    if value is None or value == "":
        return SuspensionKind.MATERIALS
    try:
        return SuspensionKind(value)
    except ValueError:
        raise ValidationError(
            _("Unknown reason for suspending the case: {kind}.").format(kind=str(value)[:40]), field="suspension_kind"
        ) from None


def suspension_label(kind: SuspensionKind | str | None) -> str:
    """What the case's status reads while suspended for ``kind``, in the current language."""
    return _(_LABELS[suspension_kind(kind)])


def reason_prompt(kind: SuspensionKind | str) -> str:
    return _(_REASON_PROMPTS[suspension_kind(kind)])


def end_reason_prompt(kind: SuspensionKind | str) -> str:
    return _(_END_REASON_PROMPTS[suspension_kind(kind)])


def end_needs_reason(kind: SuspensionKind | str | None) -> bool:
    """A hearing, an inspection or an expert review ends with its outcome on record; the
    wait for materials ends when they come in, which the materials list shows."""
    return suspension_kind(kind) is not SuspensionKind.MATERIALS
