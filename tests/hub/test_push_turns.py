"""The hub's line for pushes (hub/push_turns.py), on a clock the tests move by hand."""

from __future__ import annotations

import pytest

from windowdesk.hub.push_turns import (
    FIRST_GUESS_SECONDS_PER_BYTE,
    LAPSE_SECONDS,
    LONGEST_WAIT_SECONDS,
    MIN_COUNTED_BYTES,
    NEXT_BATCH_SECONDS,
    PACE_SAMPLES,
    PushTurns,
)

PUSH = 400_000  # bytes: about a 250-event batch
PUSH_SECONDS = FIRST_GUESS_SECONDS_PER_BYTE * PUSH  # what it takes at the first guess


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_pushes_are_let_in_while_their_work_fits_the_room(clock: Clock) -> None:
    turns = PushTurns(room=2.2 * PUSH_SECONDS, clock=clock)
    assert turns.enter("a", PUSH) is None
    assert turns.enter("b", PUSH) is None
    wait = turns.enter("c", PUSH)  # three would be 3 pushes of work, the room holds 2.2
    assert wait == pytest.approx(0.8 * PUSH_SECONDS)
    assert (turns.inside, turns.waiting) == (2, 1)


def test_a_push_whose_turn_is_a_moment_away_goes_in_rather_than_coming_back(clock: Clock) -> None:
    turns = PushTurns(room=2 * PUSH_SECONDS, clock=clock)
    assert turns.enter("a", PUSH) is None
    assert turns.enter("b", PUSH) is None
    # Its turn is 1/4 of a push away (SLACK_SHARE of the room is 1/2): it waits inside.
    assert turns.enter("c", PUSH // 4) is None
    assert turns.enter("d", PUSH) is not None


def test_the_line_is_first_come_first_served_and_each_visit_works_the_wait_out_again(clock: Clock) -> None:
    turns = PushTurns(room=PUSH_SECONDS, clock=clock)
    assert turns.enter("a", PUSH) is None
    first = turns.enter("b", PUSH)
    second = turns.enter("c", PUSH)
    assert 0 < first < second
    assert second - first == pytest.approx(PUSH_SECONDS)  # one more push ahead of it
    # "c" comes back early, before anything was answered: still two pushes to wait for.
    clock.now += first
    assert turns.enter("c", PUSH) == pytest.approx(second)
    # "a" is answered; "b" comes back and goes in; "c" is now first in line.
    turns.leave("a", PUSH, served_from=clock.now - PUSH_SECONDS)
    assert turns.enter("b", PUSH) is None
    assert turns.waiting == 1
    assert turns.enter("c", PUSH) == pytest.approx(PUSH_SECONDS, rel=0.2)


def test_a_newcomer_does_not_pass_those_waiting_in_line(clock: Clock) -> None:
    turns = PushTurns(room=1.5 * PUSH_SECONDS, clock=clock)
    assert turns.enter("a", PUSH) is None
    assert turns.enter("b", 2 * PUSH) is not None  # does not fit: waits
    # A small push would fit the room, but "b" was there first.
    assert turns.enter("c", 1000) is not None
    assert turns.waiting == 2


def test_the_hub_never_idles_while_a_window_is_at_the_door(clock: Clock) -> None:
    turns = PushTurns(room=PUSH_SECONDS, clock=clock)
    assert turns.enter("a", PUSH) is None
    assert turns.enter("b", PUSH) is not None
    assert turns.enter("c", PUSH) is not None
    turns.leave("a", PUSH, served_from=clock.now)
    # Nobody is inside: whoever comes first goes in, even if others hold earlier places.
    assert turns.enter("c", PUSH) is None
    assert turns.waiting == 1


def test_a_windows_next_batch_sent_at_once_goes_in_ahead_of_the_line(clock: Clock) -> None:
    turns = PushTurns(room=2.2 * PUSH_SECONDS, clock=clock)
    assert turns.enter("a", PUSH) is None
    assert turns.enter("c", PUSH) is None
    assert turns.enter("b", PUSH) is not None  # three do not fit: "b" waits in line
    clock.now += PUSH_SECONDS
    turns.leave("a", PUSH, served_from=clock.now - PUSH_SECONDS)  # at the pace guessed
    # "a" sends its next batch at once: it goes in, though "b" waits in line.
    assert turns.enter("a", PUSH) is None
    assert turns.enter("b", PUSH) is not None
    clock.now += PUSH_SECONDS
    turns.leave("a", PUSH, served_from=clock.now - PUSH_SECONDS)
    # A batch sent later than NEXT_BATCH_SECONDS after the last answer queues behind "b".
    clock.now += NEXT_BATCH_SECONDS + 0.1
    assert turns.enter("a", PUSH) is not None
    assert list(turns._line) == ["b", "a"]


def test_a_window_that_does_not_come_back_leaves_the_line(clock: Clock) -> None:
    turns = PushTurns(room=PUSH_SECONDS, clock=clock)
    assert turns.enter("a", PUSH) is None
    gone = turns.enter("gone", PUSH)
    behind = turns.enter("b", PUSH)
    assert behind > gone
    clock.now += gone + LAPSE_SECONDS + 0.1  # "gone" never came back
    # "b" now has only the push inside ahead of it.
    assert turns.enter("b", PUSH) == pytest.approx(PUSH_SECONDS, rel=0.01)
    assert turns.waiting == 1


def test_the_wait_told_is_never_longer_than_the_longest(clock: Clock) -> None:
    turns = PushTurns(room=PUSH_SECONDS, clock=clock)
    assert turns.enter("first", PUSH) is None
    waits = [turns.enter(f"w{n}", PUSH) for n in range(200)]
    assert max(waits) == LONGEST_WAIT_SECONDS
    assert waits == sorted(waits)


def test_the_pace_is_measured_from_the_pushes_answered_one_after_another(clock: Clock) -> None:
    turns = PushTurns(room=10.0, clock=clock)
    for n in range(PACE_SAMPLES):
        assert turns.enter(f"w{n}", PUSH) is None
        served_from = clock.now
        clock.now += 0.2  # each takes 0.2 s: 0.5 µs a byte
        turns.leave(f"w{n}", PUSH, served_from)
    assert turns.seconds_per_byte == pytest.approx(0.2 / PUSH)
    # Served together, the first answered seems slow and the second quick; the pace counts
    # the time since the one before left, so together they are what they cost.
    for who in ("p", "q"):
        assert turns.enter(who, PUSH) is None
    start = clock.now
    clock.now += 0.39
    turns.leave("p", PUSH, start)
    clock.now += 0.01
    turns.leave("q", PUSH, start)
    assert turns.seconds_per_byte == pytest.approx(0.2 / PUSH)


def test_a_small_push_counts_as_its_fixed_cost(clock: Clock) -> None:
    turns = PushTurns(room=FIRST_GUESS_SECONDS_PER_BYTE * MIN_COUNTED_BYTES * 1.5, clock=clock)
    assert turns.enter("a", 100) is None
    assert turns.enter("b", 100) is not None  # two "small" pushes do not fit 1.5 of the least


def test_a_push_never_served_frees_its_room_without_changing_the_pace(clock: Clock) -> None:
    turns = PushTurns(room=PUSH_SECONDS, clock=clock)
    assert turns.enter("a", PUSH) is None
    pace = turns.seconds_per_byte
    clock.now += 30
    turns.leave("a", PUSH, served_from=None)  # its window went away while it waited inside
    assert turns.seconds_per_byte == pace
    assert turns.inside == 0
    assert turns.enter("b", PUSH) is None


def test_a_hub_without_room_is_refused() -> None:
    with pytest.raises(ValueError):
        PushTurns(room=0)


def test_a_windows_two_batches_on_the_wire_go_in_together_at_its_turn(clock: Clock) -> None:
    turns = PushTurns(room=2.2 * PUSH_SECONDS, clock=clock)
    for who in ("x", "y"):
        assert turns.enter(who, PUSH) is None
    first = turns.enter("a", PUSH)  # its batch, then the one after it, sent before an answer
    assert turns.enter("a", PUSH) == pytest.approx(first)  # one place in line for the window
    assert turns.enter("b", PUSH) > first
    clock.now += PUSH_SECONDS
    turns.leave("x", PUSH, served_from=clock.now - PUSH_SECONDS)
    # Its turn: whichever of its batches comes first goes in, and the other right after it,
    # before "b", so that the later batch does not sit inside waiting for the earlier one.
    assert turns.enter("a", PUSH) is None
    assert turns.enter("a", PUSH) is None
    assert turns.enter("b", PUSH) is not None
