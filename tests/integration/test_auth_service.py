"""Login, lockout, password changes and permission refusals, at the service layer."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from windowdesk.errors import ValidationError
from windowdesk.services import auth, intake
from windowdesk.services.applicants import register_resident
from windowdesk.services.authorization import PermissionDenied
from windowdesk.services.bootstrap import DEMO_LOGIN, DEMO_PASSWORD
from windowdesk.storage.models import AuditEntry, Operator


def _clock(start: dt.datetime):
    moment = [start]

    def now() -> dt.datetime:
        return moment[0]

    now.advance = lambda **delta: moment.__setitem__(0, moment[0] + dt.timedelta(**delta))
    return now


@pytest.fixture
def clerk(demo):
    """An operator made by the demo supervisor, who has not logged in yet."""
    auth.create_operator(
        demo.db, demo.ctx, login="li", display_name="李明", role="operator", initial_password="Start2026x"
    )
    return demo


def test_demo_supervisor_logs_in(demo):
    result = auth.log_in(demo.db, login=DEMO_LOGIN, password=DEMO_PASSWORD)
    assert result.ctx.operator_id == demo.ctx.operator_id
    assert result.ctx.center_code == "CH" and result.ctx.window_code == "01"
    assert not result.must_change_password


def test_new_operator_must_change_password_at_first_login(clerk):
    result = auth.log_in(clerk.db, login="li", password="Start2026x")
    assert result.must_change_password and result.ctx.operator_role == "operator"
    with pytest.raises(ValidationError):
        auth.change_password(clerk.db, result.ctx, current="Start2026x", new="weak")
    with pytest.raises(ValidationError):
        auth.change_password(clerk.db, result.ctx, current="wrong", new="Better2026x")
    auth.change_password(clerk.db, result.ctx, current="Start2026x", new="Better2026x")
    again = auth.log_in(clerk.db, login="li", password="Better2026x")
    assert not again.must_change_password


def test_wrong_passwords_lock_the_account_then_it_opens_again(clerk):
    clock = _clock(dt.datetime(2026, 11, 25, 1, tzinfo=dt.UTC))
    for _ in range(5):
        with pytest.raises(auth.LoginFailed) as caught:
            auth.log_in(clerk.db, login="li", password="nope", clock=clock)
        assert "wrong" in caught.value.message
    with pytest.raises(auth.LoginFailed) as caught:
        auth.log_in(clerk.db, login="li", password="Start2026x", clock=clock)  # right, but locked
    # Said exactly as for a wrong password or an unknown login (a stranger learns nothing).
    assert (caught.value.title, caught.value.message) == _refusal_of(clerk.db, "nobody", clock)
    clock.advance(minutes=16)
    assert auth.log_in(clerk.db, login="li", password="Start2026x", clock=clock).ctx.operator_role == "operator"
    with clerk.db.read() as session:
        actions = [e.action for e in session.query(AuditEntry).order_by(AuditEntry.seq)]
    assert actions.count("login.failed") == 5 and actions[-1] == "login"


def test_unknown_login_and_wrong_password_read_the_same(demo):
    with pytest.raises(auth.LoginFailed) as unknown:
        auth.log_in(demo.db, login="nobody", password="x")
    with pytest.raises(auth.LoginFailed) as wrong:
        auth.log_in(demo.db, login=DEMO_LOGIN, password="x")
    assert unknown.value.message == wrong.value.message


def _refusal_of(db, login: str, clock) -> tuple[str, str]:
    with pytest.raises(auth.LoginFailed) as caught:
        auth.log_in(db, login=login, password="Whatever2026x", clock=clock)
    return caught.value.title, caught.value.message


def test_a_locked_login_answers_exactly_like_an_unknown_one_and_a_wrong_password(clerk):
    clock = _clock(dt.datetime(2026, 11, 25, 1, tzinfo=dt.UTC))
    wrong_password = _refusal_of(clerk.db, "li", clock)
    unknown = _refusal_of(clerk.db, "nobody-here", clock)
    for _ in range(4):
        _refusal_of(clerk.db, "li", clock)  # five wrong in all: "li" is locked now
    locked = _refusal_of(clerk.db, "li", clock)
    with pytest.raises(auth.LoginFailed) as right_but_locked:
        auth.log_in(clerk.db, login="li", password="Start2026x", clock=clock)
    assert wrong_password == unknown == locked == (right_but_locked.value.title, right_but_locked.value.message)
    assert "Account locked" not in locked


@pytest.mark.parametrize("weak", ["Aa123456", "woaini1314", "12345678a", "qwer1234zxcv", "Li2026abcd", "ch19880512"])
def test_weak_passwords_are_refused_at_the_window_with_the_reason(demo, weak):
    with pytest.raises(ValidationError) as caught:
        auth.create_operator(demo.db, demo.ctx, login="li", display_name="李明", role="operator", initial_password=weak)
    assert caught.value.field == "password" and caught.value.message.startswith("The password needs")


def test_operator_may_not_create_accounts(clerk):
    operator_ctx = auth.log_in(clerk.db, login="li", password="Start2026x").ctx
    with pytest.raises(PermissionDenied) as caught:
        auth.create_operator(
            clerk.db, operator_ctx, login="zhao", display_name="赵", role="operator", initial_password="Start2026x"
        )
    assert "may not manage operator accounts" in caught.value.message


def test_a_claimed_role_is_not_trusted(clerk):
    """The services read the role from the database, not from the caller's context."""
    operator_ctx = auth.log_in(clerk.db, login="li", password="Start2026x").ctx
    forged = dataclasses.replace(operator_ctx, operator_role="administrator")
    with pytest.raises(PermissionDenied):
        auth.create_operator(
            clerk.db, forged, login="zhao", display_name="赵", role="operator", initial_password="Start2026x"
        )


def test_disabled_operator_is_refused_by_every_writing_service(clerk):
    operator_ctx = auth.log_in(clerk.db, login="li", password="Start2026x").ctx
    with clerk.db.write() as session:
        session.get(Operator, operator_ctx.operator_id).active = False
    with pytest.raises(PermissionDenied):
        register_resident(clerk.db, operator_ctx, id_number="23090219800101123X", name="某人")
    with pytest.raises(PermissionDenied):
        intake.refuse_application(
            clerk.db, operator_ctx, item_code="MZ-001", applicant=None, reason="r", legal_basis="b"
        )
    with pytest.raises(auth.LoginFailed):
        auth.log_in(clerk.db, login="li", password="Start2026x")


def test_whole_id_number_only_for_supervisors_and_audited(clerk):
    from windowdesk.services.applicants import find_residents, reveal_id_number

    who = find_residents(clerk.db, clerk.ctx, query="2309")[0]
    assert "*" in who.masked_number
    whole = reveal_id_number(clerk.db, clerk.ctx, applicant=who.ref)  # the demo supervisor
    assert len(whole) == 18 and whole[:6] == who.masked_number[:6] and whole[-4:] == who.masked_number[-4:]
    operator_ctx = auth.log_in(clerk.db, login="li", password="Start2026x").ctx
    with pytest.raises(PermissionDenied):
        reveal_id_number(clerk.db, operator_ctx, applicant=who.ref)
    with clerk.db.read() as session:
        views = [e for e in session.query(AuditEntry) if e.action == "resident.view_full_id"]
        assert len(views) == 1 and views[0].operator_id == clerk.ctx.operator_id
        assert whole not in str(views[0].detail)
