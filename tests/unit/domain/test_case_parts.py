"""并联审批: a parallel case and its parts never reach an impossible state, whatever the
order of the departments' decisions and the window's own steps."""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from windowdesk.domain.case_parts import (
    PartNotDecidable,
    PartStatus,
    case_path,
    case_target,
    decide_part,
    is_parallel,
    part_departments,
)
from windowdesk.domain.case_state import CaseAction, CaseStatus, InvalidTransition, next_status

S, P = CaseStatus, PartStatus
DEPARTMENTS = ("GSJ", "ZJJ", "SWJ")
WINDOW_ACTIONS = (CaseAction.SUSPEND, CaseAction.RESUME, CaseAction.COMPLETE, CaseAction.DELIVER, CaseAction.WITHDRAW)


def test_parts_follow_the_catalog_with_the_lead_department_first():
    assert part_departments("GSJ", ["GSJ", "ZJJ", "SWJ"]) == ["GSJ", "ZJJ", "SWJ"]
    assert part_departments("JSJ", ["GHJ", "JSJ", "GHJ"]) == ["GHJ", "JSJ"]
    assert part_departments("SPJ", ["GSJ", "HBJ"]) == ["SPJ", "GSJ", "HBJ"]
    assert (
        is_parallel(True, ["GSJ", "ZJJ"]) and not is_parallel(False, ["GSJ", "ZJJ"]) and not is_parallel(True, ["GSJ"])
    )


@pytest.mark.parametrize(
    ("parts", "target"),
    [
        ((P.PENDING, P.PENDING), S.IN_PROGRESS),
        ((P.APPROVED, P.PENDING), S.IN_PROGRESS),
        ((P.APPROVED, P.NEEDS_MATERIALS), S.SUSPENDED),
        ((P.APPROVED, P.APPROVED), S.APPROVED),
        ((P.REJECTED, P.NEEDS_MATERIALS), S.REJECTED),
        ((P.APPROVED, P.REJECTED), S.REJECTED),
    ],
)
def test_the_case_follows_its_parts(parts, target):
    assert case_target(parts) is target


def test_paths_use_only_allowed_steps():
    assert case_path(S.ACCEPTED, S.IN_PROGRESS) == (CaseAction.START_REVIEW,)
    assert case_path(S.ACCEPTED, S.APPROVED) == (CaseAction.START_REVIEW, CaseAction.APPROVE)
    assert case_path(S.SUSPENDED, S.REJECTED) == (CaseAction.RESUME, CaseAction.REJECT)
    assert case_path(S.IN_PROGRESS, S.IN_PROGRESS) == ()
    with pytest.raises(PartNotDecidable):  # decided: no part moves any more
        case_path(S.REJECTED, S.REJECTED)
    with pytest.raises(PartNotDecidable):
        case_path(S.WITHDRAWN, S.APPROVED)
    with pytest.raises(PartNotDecidable):
        case_path(S.APPROVED, S.REJECTED)


def test_a_decided_part_is_final_but_a_waiting_one_may_be_decided_again():
    assert decide_part(P.NEEDS_MATERIALS, "approve") is P.APPROVED
    assert decide_part(P.NEEDS_MATERIALS, "request_materials") is P.NEEDS_MATERIALS
    for decided in (P.APPROVED, P.REJECTED):
        with pytest.raises(PartNotDecidable):
            decide_part(decided, "approve")
    with pytest.raises(ValueError):
        decide_part(P.PENDING, "maybe")


class ParallelCase(RuleBasedStateMachine):
    """The hub's rule (backoffice + parallel_parts) and the window's steps, interleaved."""

    def __init__(self) -> None:
        super().__init__()
        self.status = S.ACCEPTED
        self.parts = dict.fromkeys(DEPARTMENTS, P.PENDING)
        self.history: list[CaseStatus] = [self.status]

    @rule(department=st.sampled_from(DEPARTMENTS), decision=st.sampled_from(("approve", "reject", "request_materials")))
    def department_decides(self, department, decision):
        before = (self.status, dict(self.parts))
        try:
            new = decide_part(self.parts[department], decision)
            parts = {**self.parts, department: new}
            steps = case_path(self.status, case_target(parts.values()))
        except PartNotDecidable:
            assert (self.status, self.parts) == before
            assert self.status not in (S.ACCEPTED, S.IN_PROGRESS, S.SUSPENDED) or before[1][department] in (
                P.APPROVED,
                P.REJECTED,
            )
            return
        assert self.status in (S.ACCEPTED, S.IN_PROGRESS, S.SUSPENDED), "a part decided after the case"
        status = self.status
        for step in steps:
            status = next_status(status, step)  # raises on an impossible step: the test fails
        self.parts, self.status = parts, status
        self.history.append(status)

    @rule(action=st.sampled_from(WINDOW_ACTIONS))
    def window_acts(self, action):
        try:
            self.status = next_status(self.status, action)
        except InvalidTransition:
            return
        self.history.append(self.status)

    @invariant()
    def approved_only_when_every_part_is(self):
        if S.APPROVED in self.history:
            assert all(p is P.APPROVED for p in self.parts.values())

    @invariant()
    def rejected_only_with_a_rejected_part(self):
        if S.REJECTED in self.history:
            assert any(p is P.REJECTED for p in self.parts.values())
        if any(p is P.REJECTED for p in self.parts.values()):
            assert S.REJECTED in self.history
            assert S.APPROVED not in self.history

    @invariant()
    def completed_only_after_a_decision(self):
        if self.status in (S.COMPLETED, S.DELIVERED):
            assert S.APPROVED in self.history or S.REJECTED in self.history

    @invariant()
    def nothing_moves_after_withdrawal(self):
        if S.WITHDRAWN in self.history:
            index = self.history.index(S.WITHDRAWN)
            assert self.history[index:] == [S.WITHDRAWN]
            assert S.APPROVED not in self.history and S.REJECTED not in self.history


ParallelCase.TestCase.settings = settings(max_examples=300, stateful_step_count=25, deadline=None)
test_parallel_case_state_machine = ParallelCase.TestCase
