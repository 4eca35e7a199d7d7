import datetime as dt
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.hypothesis_profiles import examples
from windowdesk.domain import passwords
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
    assert first != second and first.startswith(f"scrypt${passwords.SCRYPT_N}$8$1$")
    assert verify_password("Counter2026", first)
    assert not verify_password("counter2026", first)


def test_a_program_hashes_at_production_cost():
    """The tests hash at a lower cost (tests/conftest.py sets it); a program started without
    that setting hashes at production's, and its hash is checked whatever cost is set."""
    program = "from windowdesk.domain.passwords import hash_password; print(hash_password('Counter2026'))"
    encoded = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout.strip()
    assert encoded.startswith("scrypt$16384$8$1$")
    assert passwords.SCRYPT_N < 2**14  # this process: the tests' setting
    assert verify_password("Counter2026", encoded) and not verify_password("counter2026", encoded)


@settings(max_examples=examples(40), deadline=None)
@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30))
def test_only_the_right_password_verifies(right, other):
    encoded = hash_password(right, **FAST)
    assert verify_password(right, encoded)
    assert verify_password(other, encoded) == (other == right)


@pytest.mark.parametrize(
    "broken", [None, "", "plain", "md5$x$y$z$a$b", "scrypt$x$8$1$AA==$AA==", "scrypt$16384$8$1$!!$??"]
)
def test_malformed_hash_never_matches(broken):
    assert verify_password("anything", broken) is False


@pytest.mark.parametrize(
    "password, words",
    [
        ("short1", "at least 8"),
        ("onlyletters", "letters and digits"),
        ("12345678", "letters and digits"),
        ("password1", "common"),
        ("wang2026abc", "login name"),
    ],
)
def test_weak_passwords_are_explained(password, words):
    with pytest.raises(ValidationError) as caught:
        check_strength(password, login="wang")
    assert words in caught.value.message and caught.value.field == "password"


def test_strong_password_passes():
    check_strength("Chuangkou2026", login="wang")


def test_fifth_failure_locks_for_a_while_and_success_resets():
    now = dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)
    state = LockState(0, None)
    for _ in range(MAX_FAILURES - 1):
        state = after_failure(state, now)
        assert not state.is_locked(now)
    state = after_failure(state, now)
    assert state.is_locked(now)
    assert state.is_locked(now + dt.timedelta(minutes=LOCK_MINUTES - 1))
    assert not state.is_locked(now + dt.timedelta(minutes=LOCK_MINUTES))
    assert after_success() == LockState(0, None)


@pytest.mark.parametrize(
    "password",
    [
        "Aa123456",
        "woaini1314",
        "12345678a",
        "5201314a",
        "qwerty123",
        "Password1",
        "a1b2c3d4",
        "1qaz2wsx",
        "zxcvbnm123",
        "P@ssw0rd",
        "abcd1234",
        "1q2w3e4r",
        "Zhangwei1988",
        "liu19900101",
        "woaini5201314",
        "iloveyou2026",
        "Admin888",
    ],
)
def test_common_and_listed_passwords_are_refused(password):
    with pytest.raises(ValidationError) as caught:
        check_strength(password, login="operator7")
    assert caught.value.field == "password"


@pytest.mark.parametrize(
    "password, words",
    [
        ("Kaaaaaaa1", "repeated characters"),  # one character again and again
        ("abcdefg123", "sequences"),  # a sequence and digits
        ("qwertasdf12", "keyboard rows"),  # keyboard walks
        ("7ujm6yhn5tgb", "keyboard rows"),  # columns walked down
        ("x9x9x9x9", "repeated"),  # a short piece repeated
        ("k1l2m3n4o5", "sequences"),  # two sequences woven together
    ],
)
def test_predictable_passwords_are_refused_with_the_reason(password, words):
    with pytest.raises(ValidationError) as caught:
        check_strength(password, login="operator7")
    assert words in caught.value.message


def test_the_login_and_the_center_code_are_refused_whatever_their_case():
    with pytest.raises(ValidationError, match="login name"):
        check_strength("xWANGx7q2k", login="wang")
    with pytest.raises(ValidationError, match="service center's code"):
        check_strength("Jd07river9", login="wang", center="JD07")
    with pytest.raises(ValidationError, match="service center's code"):
        check_strength("CH2026river", login="wang", center="CH")
    # A two-letter code only as a whole run of letters: "ch" inside a word is no reason.
    check_strength("Chuangkou2026", login="wang", center="CH")


def test_the_shipped_list_holds_several_hundred_passwords_including_chinese_favourites():
    from windowdesk.domain.password_rules import common_passwords

    listed = common_passwords()
    assert len(listed) >= 500
    assert {"woaini1314", "5201314", "aa123456", "1qaz2wsx", "a1b2c3d4", "zxcvbnm123"} <= listed
