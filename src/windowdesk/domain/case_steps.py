"""The steps of a case's life as the hub records them (its table case_events): who took a
step and what kind of step it was. The database holds the values; the hub's model reads
them back as these members and refuses to write any other value (hub/storage/models.py,
TextEnum), so the code and the database agree on the set. The window's case_events.source
is a StepSource too (storage/column_types.py); its kind has the window's own values (the
case's actions, a hub decision as ``decision.<decision>``)."""

from __future__ import annotations

from enum import StrEnum


class StepSource(StrEnum):
    WINDOW = "window"  # a window's own step, pushed (case.accepted, case.status)
    HUB = "hub"  # a department's decision or note, made on the hub


class StepKind(StrEnum):
    ACCEPTED = "accepted"  # the window accepted the case (受理)
    STATUS = "status"  # a step at the window (a CaseAction)
    DECISION = "decision"  # the case decided on the hub
    PART_DECISION = "part_decision"  # one department's part of a parallel case decided
    NOTE = "note"  # a department's note, no change of status
    VERIFICATION = "verification"  # 告知承诺制: the department's verification (核查) of the commitment
