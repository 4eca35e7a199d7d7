"""The record of a case a province exchanges (省级政务服务平台办件数据): its kind, where it
came from, its stages with times and opinions, the result and certificate, the delivery
mode and the rating. Plain words and rules; hub/services/province_export.py fills them
from the hub's tables, docs/province-case-record.schema.json describes each line.
"""

from __future__ import annotations

import datetime as dt

from windowdesk.domain.case_sources import CaseSource

SCHEMA_VERSION = 1

# 办件类型
ON_THE_SPOT = "即办"  # decided at once: no promised days, or decided on the day of acceptance
PROMISED = "承诺"  # decided within the promised working days
JOINT = "联办"  # 并联审批: several departments decide their parts
REPORTED = "上报"  # decided by an authority above the city
KINDS = (ON_THE_SPOT, PROMISED, JOINT, REPORTED)

# 办理环节, in their order; a case has those it reached.
ACCEPTANCE, REVIEW, DECISION, COMPLETION, DELIVERY = "受理", "审查", "决定", "办结", "送达"
STAGES = (ACCEPTANCE, REVIEW, DECISION, COMPLETION, DELIVERY)
# The status a step leads to that opens each stage after acceptance (the first such step).
STAGE_OF_STATUS = {
    "in_progress": REVIEW,
    "approved": DECISION,
    "rejected": DECISION,
    "completed": COMPLETION,
    "delivered": DELIVERY,
}

SOURCES = tuple(source.value for source in CaseSource)  # 来源


def case_kind(
    *, reported_upward: bool, parallel: bool, promised_days: int, accepted_day: dt.date, decided_day: dt.date | None
) -> str:
    """The kind from the catalog (reported upward, parallel, promised days) and the case
    (decided on the day it was accepted). Reported and joint items stay so whatever the
    speed: the kind names who decides, then how long it may take."""
    if reported_upward:
        return REPORTED
    if parallel:
        return JOINT
    if promised_days == 0 or (decided_day is not None and decided_day <= accepted_day):
        return ON_THE_SPOT
    return PROMISED
