from __future__ import annotations

from collections import deque

import pytest
from hypothesis import given
from hypothesis import strategies as st

from windowdesk.domain.case_state import (
    TERMINAL_STATUSES,
    TRANSITIONS,
    CaseAction,
    CaseStatus,
    InvalidTransition,
    action_label,
    allowed_actions,
    is_terminal,
    next_status,
    status_label,
)
from windowdesk.errors import WindowdeskError

S, A = CaseStatus, CaseAction

EXPECTED = {
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


def test_values_are_stable_strings():
    # Stored in the database and sent to the hub: never rename these.
    assert [s.value for s in CaseStatus] == [
        "accepted",
        "in_progress",
        "suspended",
        "approved",
        "rejected",
        "completed",
        "delivered",
        "withdrawn",
    ]
    assert [a.value for a in CaseAction] == [
        "start_review",
        "suspend",
        "resume",
        "approve",
        "reject",
        "complete",
        "deliver",
        "withdraw",
    ]


def test_transition_table_is_exactly_the_specified_one():
    assert dict(TRANSITIONS) == EXPECTED


@pytest.mark.parametrize(("key", "target"), sorted(EXPECTED.items()))
def test_each_allowed_transition(key, target):
    assert next_status(*key) is target


@pytest.mark.parametrize("status", list(CaseStatus))
@pytest.mark.parametrize("action", list(CaseAction))
def test_every_other_pair_is_refused(status, action):
    if (status, action) in EXPECTED:
        return
    with pytest.raises(InvalidTransition) as info:
        next_status(status, action)
    err = info.value
    assert isinstance(err, WindowdeskError)
    assert err.current is status and err.action is action
    assert status_label(status) in err.message
    assert action_label(action) in err.message
    assert err.title


def test_terminal_message_says_it_is_final():
    with pytest.raises(InvalidTransition) as info:
        next_status(S.DELIVERED, A.WITHDRAW)
    assert "cannot be changed any more" in info.value.message
    assert "Result delivered" in info.value.message


def test_plain_strings_accepted():
    assert next_status("accepted", "start_review") is S.IN_PROGRESS
    assert allowed_actions("completed") == {A.DELIVER}
    assert is_terminal("withdrawn")
    with pytest.raises(ValueError):
        next_status("lost", "start_review")
    with pytest.raises(ValueError):
        next_status("accepted", "teleport")


def test_allowed_actions():
    assert allowed_actions(S.ACCEPTED) == {A.START_REVIEW, A.SUSPEND, A.WITHDRAW}
    assert allowed_actions(S.IN_PROGRESS) == {A.SUSPEND, A.APPROVE, A.REJECT, A.WITHDRAW}
    assert allowed_actions(S.SUSPENDED) == {A.RESUME, A.WITHDRAW}
    assert allowed_actions(S.APPROVED) == {A.COMPLETE}
    assert allowed_actions(S.REJECTED) == {A.COMPLETE}
    assert allowed_actions(S.COMPLETED) == {A.DELIVER}
    assert allowed_actions(S.DELIVERED) == frozenset()
    assert allowed_actions(S.WITHDRAWN) == frozenset()
    assert isinstance(allowed_actions(S.ACCEPTED), frozenset)


def test_terminal_statuses():
    assert {S.DELIVERED, S.WITHDRAWN} == TERMINAL_STATUSES
    for status in CaseStatus:
        assert is_terminal(status) == (not allowed_actions(status))


def test_labels_are_words():
    assert status_label(S.ACCEPTED) == "Accepted"
    assert status_label(S.SUSPENDED) == "Waiting for supplementary materials"
    assert status_label("completed") == "Completed"
    labels = [status_label(s) for s in CaseStatus]
    assert len(set(labels)) == len(labels)
    assert all(label and "_" not in label for label in labels)
    actions = [action_label(a) for a in CaseAction]
    assert len(set(actions)) == len(actions)
    assert all(label and "_" not in label for label in actions)


def reachable_from(start: CaseStatus) -> set[CaseStatus]:
    seen = {start}
    queue = deque([start])
    while queue:
        status = queue.popleft()
        for action in allowed_actions(status):
            target = next_status(status, action)
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def test_every_status_is_reachable_from_accepted():
    assert reachable_from(S.ACCEPTED) == set(CaseStatus)


def test_every_non_terminal_status_can_still_finish():
    for status in CaseStatus:
        assert reachable_from(status) & TERMINAL_STATUSES


@given(st.lists(st.sampled_from(list(CaseAction)), max_size=40))
def test_random_action_sequences(actions):
    status = S.ACCEPTED
    visited = [status]
    for action in actions:
        before = status
        if action in allowed_actions(before):
            status = next_status(before, action)
            assert status is TRANSITIONS[(before, action)]
        else:
            with pytest.raises(InvalidTransition):
                next_status(before, action)
            assert status is before  # unchanged
        assert isinstance(status, CaseStatus)
        if is_terminal(before):
            assert status is before  # never leaves a terminal status
        visited.append(status)
    assert set(visited) <= reachable_from(S.ACCEPTED)
    # once terminal, it stays terminal to the end
    first_terminal = next((i for i, s in enumerate(visited) if is_terminal(s)), None)
    if first_terminal is not None:
        assert all(s is visited[first_terminal] for s in visited[first_terminal:])


@given(st.sampled_from(list(CaseStatus)), st.sampled_from(list(CaseAction)))
def test_next_status_is_total(status, action):
    try:
        result = next_status(status, action)
    except InvalidTransition:
        assert action not in allowed_actions(status)
    else:
        assert action in allowed_actions(status)
        assert result in CaseStatus


def test_the_storage_status_lists_match_the_state_machine():
    """The watch seeks open cases by naming their statuses: together with the finished
    ones they must be every status, and nothing finished may run again."""
    from windowdesk.domain.case_state import TRANSITIONS, CaseStatus
    from windowdesk.storage.queries import FINISHED_STATUSES, OPEN_STATUSES

    assert set(OPEN_STATUSES) | set(FINISHED_STATUSES) == {status.value for status in CaseStatus}
    assert not set(OPEN_STATUSES) & set(FINISHED_STATUSES)
    for (source, _action), target in TRANSITIONS.items():
        if source.value in FINISHED_STATUSES:
            assert target.value in FINISHED_STATUSES
