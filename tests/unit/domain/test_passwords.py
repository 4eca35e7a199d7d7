import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from windowdesk.domain.passwords import (
    LOCK_MINUTES,
    MAX_FAILURES,
    LockState,
    after_failure,
    after_success,
    check_strength,
    hash_password,
    verify_password,
)
from windowdesk.errors import ValidationError

FAST = {"n": 2**8, "r": 8, "p": 1}  # the real cost is for production, not for 100 examples


def test_hash_is_salted_and_verifies():
    first, second = hash_password("Counter2026"), hash_password("Counter2026")
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert verify_password("Counter2026", first)
    assert not verify_password("counter2026", first)


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30))
def test_only_the_right_password_verifies(right, other):
    encoded = hash_password(right, **FAST)
    assert verify_password(right, encoded)
    assert verify_password(other, encoded) == (other == right)


@pytest.mark.parametrize("broken", [None, "", "plain", "md5$x$y$z$a$b", "scrypt$x$8$1$AA==$AA==", "scrypt$16384$8$1$!!$??"])
def test_malformed_hash_never_matches(broken):
    assert verify_password("anything", broken) is False


@pytest.mark.parametrize(
    "password, words",
    [("short1", "at least 8"), ("onlyletters", "letters and digits"), ("12345678", "letters and digits"),
     ("password1", "common"), ("wang2026abc", "login name")],
)
def test_weak_passwords_are_explained(password, words):
    with pytest.raises(ValidationError) as caught:
        check_strength(password, login="wang")
    assert words in caught.value.message and caught.value.field == "password"


def test_strong_password_passes():
    check_strength("Chuangkou2026", login="wang")


def test_fifth_failure_locks_for_a_while_and_success_resets():
    now = dt.datetime(2026, 11, 25, 9, tzinfo=dt.timezone.utc)
    state = LockState(0, None)
    for _ in range(MAX_FAILURES - 1):
        state = after_failure(state, now)
        assert not state.is_locked(now)
    state = after_failure(state, now)
    assert state.is_locked(now)
    assert state.is_locked(now + dt.timedelta(minutes=LOCK_MINUTES - 1))
    assert not state.is_locked(now + dt.timedelta(minutes=LOCK_MINUTES))
    assert after_success() == LockState(0, None)
