"""The console's accounts: made by an administrator, signed in with a lock and a session
that ends; every right checked in the services. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from windowdesk.hub import cli
from windowdesk.hub.errors import Conflict, Forbidden, InvalidInput
from windowdesk.hub.services import console_accounts as accounts
from windowdesk.hub.services import console_rights as rights
from windowdesk.hub.services import hub_audit
from windowdesk.hub.storage.models_console import ConsoleSession

from .conftest import Hub, utc_now

FIRST = "Harbour-Lamp-4821"


def _make(hub: Hub, login: str, role: str, department: str | None = None, *, by=None) -> rights.ConsoleActor:
    with hub.db.write() as session:
        user = accounts.create_user(
            session,
            by=by,
            login=login,
            display_name=login.title(),
            role=role,
            department_code=department,
            password=FIRST,
            now=utc_now(),
        )
        return accounts.actor_of(user)


def _sign_in(hub: Hub, login: str, password: str, now: dt.datetime | None = None):
    with hub.db.write() as session:
        return accounts.sign_in(session, login=login, password=password, now=now or utc_now(), address="10.0.0.9")


def test_the_first_administrator_is_made_at_the_terminal_and_signs_in(hub: Hub, demo_catalog: None, capsys) -> None:
    assert (
        cli.main(
            hub.cli_args(
                "create-console-user", "Admin1", "--name", "An Admin", "--role", "administrator", "--password", FIRST
            ),
            environ={"LANGUAGE": "en"},
        )
        == 0
    )
    assert "admin1" in capsys.readouterr().out
    outcome = _sign_in(hub, "ADMIN1", FIRST)
    assert isinstance(outcome, accounts.SignedIn) and outcome.must_change_password
    assert outcome.actor.role == rights.ADMINISTRATOR
    with hub.db.read() as session:
        stored = session.scalar(select(ConsoleSession.token_sha256))
        actions = [e.action for e in hub_audit.recent(session)]
    assert stored and outcome.token not in stored  # only its hash is kept
    assert actions[:2] == ["console.signed_in", "console_user.created"]


def test_accounts_are_checked_and_only_an_administrator_makes_them(hub: Hub, demo_catalog: None) -> None:
    admin = _make(hub, "admin", rights.ADMINISTRATOR)
    staff = _make(hub, "mz.clerk", rights.DEPARTMENT, "MZJ", by=admin)
    assert staff.department_code == "MZJ"
    with hub.db.write() as session:
        with pytest.raises(Forbidden):
            accounts.create_user(
                session,
                by=staff,
                login="x1",
                display_name="X",
                role=rights.SUPERVISOR,
                department_code=None,
                password=FIRST,
                now=utc_now(),
            )
        with pytest.raises(InvalidInput, match="NOPE"):
            accounts.create_user(
                session,
                by=admin,
                login="x2",
                display_name="X",
                role=rights.DEPARTMENT,
                department_code="NOPE",
                password=FIRST,
                now=utc_now(),
            )
        with pytest.raises(InvalidInput):
            accounts.create_user(
                session,
                by=admin,
                login="x3",
                display_name="X",
                role=rights.SUPERVISOR,
                department_code=None,
                password="12345678",
                now=utc_now(),
            )
        with pytest.raises(Conflict):
            accounts.create_user(
                session,
                by=admin,
                login="MZ.CLERK",
                display_name="X",
                role=rights.SUPERVISOR,
                department_code=None,
                password=FIRST,
                now=utc_now(),
            )


def test_five_wrong_passwords_lock_the_account_and_the_count_is_kept(hub: Hub, demo_catalog: None) -> None:
    _make(hub, "sup", rights.SUPERVISOR)
    now = utc_now()
    for _attempt in range(accounts.passwords.MAX_FAILURES):
        assert isinstance(_sign_in(hub, "sup", "wrong-one-7", now), accounts.SignInRefused)
    locked = _sign_in(hub, "sup", FIRST, now)  # the right password, but locked
    assert isinstance(locked, accounts.SignInRefused) and "locked" in locked.worded("en")[1]
    later = now + dt.timedelta(minutes=accounts.passwords.LOCK_MINUTES, seconds=1)
    assert isinstance(_sign_in(hub, "sup", FIRST, later), accounts.SignedIn)
    unknown = _sign_in(hub, "nobody", FIRST)
    assert isinstance(unknown, accounts.SignInRefused)
    assert unknown.worded("en")[1] == "The login name or the password is not right."


def test_a_session_ends_when_idle_past_its_time_or_its_account_is_disabled(hub: Hub, demo_catalog: None) -> None:
    admin = _make(hub, "admin", rights.ADMINISTRATOR)
    _make(hub, "sup", rights.SUPERVISOR)
    now = utc_now()
    signed = _sign_in(hub, "sup", FIRST, now)
    assert isinstance(signed, accounts.SignedIn)
    with hub.db.read() as session:
        assert accounts.session_actor(session, token=signed.token, now=now).actor.login == "sup"
        idle = now + dt.timedelta(minutes=accounts.IDLE_MINUTES)
        assert accounts.session_actor(session, token=signed.token, now=idle) is None
        assert accounts.session_actor(session, token="forged", now=now) is None
    with hub.db.write() as session:
        accounts.touch(session, token=signed.token, now=now + dt.timedelta(minutes=20))
    with hub.db.read() as session:
        assert accounts.session_actor(session, token=signed.token, now=idle) is not None  # seen since
        too_late = now + dt.timedelta(hours=accounts.SESSION_HOURS)
        assert accounts.session_actor(session, token=signed.token, now=too_late) is None
    with hub.db.write() as session:
        with pytest.raises(InvalidInput):
            accounts.set_enabled(session, by=admin, login="admin", enabled=False, now=now)
        accounts.set_enabled(session, by=admin, login="sup", enabled=False, now=now)
    with hub.db.read() as session:
        assert accounts.session_actor(session, token=signed.token, now=now) is None
    assert isinstance(_sign_in(hub, "sup", FIRST, now), accounts.SignInRefused)


def test_a_reset_password_signs_out_and_the_holder_chooses_their_own(hub: Hub, demo_catalog: None) -> None:
    admin = _make(hub, "admin", rights.ADMINISTRATOR)
    staff = _make(hub, "clerk", rights.DEPARTMENT, "MZJ", by=admin)
    signed = _sign_in(hub, "clerk", FIRST)
    with hub.db.write() as session:
        with pytest.raises(InvalidInput):
            accounts.change_own_password(
                session, actor=staff, current="not-it-99", new="Maple-Crown-7715", now=utc_now()
            )
        accounts.change_own_password(session, actor=staff, current=FIRST, new="Maple-Crown-7715", now=utc_now())
    mine = _sign_in(hub, "clerk", "Maple-Crown-7715")
    assert isinstance(mine, accounts.SignedIn) and not mine.must_change_password
    with hub.db.write() as session:
        accounts.reset_password(session, by=admin, login="clerk", password="River-Stone-3390", now=utc_now())
    with hub.db.read() as session:
        assert accounts.session_actor(session, token=signed.token, now=utc_now()) is None
        assert accounts.session_actor(session, token=mine.token, now=utc_now()) is None


def test_rights_by_role() -> None:
    staff = rights.ConsoleActor("1", "a", "A", rights.DEPARTMENT, "MZJ")
    supervisor = rights.ConsoleActor("2", "b", "B", rights.SUPERVISOR)
    rights.require_case_reader(staff, case_departments={"MZJ", "RSJ"})
    rights.require_case_reader(supervisor, case_departments={"RSJ"})
    with pytest.raises(Forbidden):
        rights.require_case_reader(staff, case_departments={"RSJ"})
    with pytest.raises(Forbidden):
        rights.require_department(supervisor, "MZJ")
    with pytest.raises(Forbidden):
        rights.require_administrator(supervisor)
    with pytest.raises(Forbidden):
        rights.require_supervision(staff)
