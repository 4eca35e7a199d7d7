"""Operators' passwords set on the hub: only slow salted hashes, published to the center,
verified offline at the window."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select, text

from windowdesk.domain import passwords
from windowdesk.domain.passwords import verify_password
from windowdesk.hub.cli import main
from windowdesk.hub.storage.models import Change, Operator
from windowdesk.services import auth
from windowdesk.services.context import utc_now
from windowdesk.services.sync_apply import apply_change
from windowdesk.storage import models as m
from windowdesk.sync.protocol import Change as FeedChange

from .conftest import Hub, Workstation

FIRST_PASSWORD = "Ledger2026x"
RESET_PASSWORD = "Window7seven"


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


def _run(hub: Hub, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(hub.cli_args(*args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _upserts(hub: Hub, window: Workstation) -> list[dict]:
    return [c for c in hub.changes(window)["changes"] if c["kind"] == "operator.upsert"]


def _everything_stored(hub: Hub) -> str:
    """Every operator row and every change, as text: where a plain password must not be."""
    with hub.db.read() as session:
        operators = [dict(row._mapping) for row in session.execute(select(Operator.__table__))]
        changes = [row.payload for row in session.scalars(select(Change))]
        return json.dumps([operators, changes], default=str, ensure_ascii=False)


def test_a_first_password_is_published_as_a_slow_hash_only(
    hub: Hub, window: Workstation, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(
        hub, capsys, "create-operator", "zhangsan", "--name", "张三", "--center", "CH", "--password", FIRST_PASSWORD
    )

    assert code == 0 and "must change it at the first login" in out
    [upsert] = _upserts(hub, window)
    payload = upsert["payload"]
    assert payload["must_change_password"] is True
    # The cost every password is hashed at (production's outside the tests: tests/unit/domain/test_passwords.py).
    assert payload["password_hash"].startswith(f"scrypt${passwords.SCRYPT_N}$8$1$")
    assert verify_password(FIRST_PASSWORD, payload["password_hash"])
    assert not verify_password("Counter2026y", payload["password_hash"])
    assert FIRST_PASSWORD not in out + _everything_stored(hub)
    with hub.db.read() as session:
        stored = session.scalar(select(Operator).where(Operator.login == "zhangsan"))
        assert stored.password_hash == payload["password_hash"] and stored.password_set_at is not None


def test_a_rename_does_not_carry_the_password_again(
    hub: Hub, window: Workstation, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(hub, capsys, "create-operator", "zhangsan", "--name", "张三", "--center", "CH", "--password", FIRST_PASSWORD)
    _run(hub, capsys, "create-operator", "zhangsan", "--name", "张三丰", "--center", "CH")
    first, rename = _upserts(hub, window)
    assert "password_hash" in first["payload"]
    assert "password_hash" not in rename["payload"] and "must_change_password" not in rename["payload"]


def test_weak_passwords_are_refused_and_nothing_is_published(
    hub: Hub, window: Workstation, capsys: pytest.CaptureFixture[str]
) -> None:
    # The window's rules, shared (domain/passwords.py): the list of common passwords, the
    # login, the center's code, sequences and keyboard walks.
    for weak in (
        "short1",
        "onlyletters",
        "12345678",
        "zhangsan2026",
        "Aa123456",
        "woaini1314",
        "12345678a",
        "CH-2026-river",
        "1qaz2wsx3edc",
        "Wang19880512",
    ):
        code, out, err = _run(
            hub, capsys, "create-operator", "zhangsan", "--name", "张三", "--center", "CH", "--password", weak
        )
        assert code == 2 and "too weak" in err and out == ""
    assert _upserts(hub, window) == []
    code, _, err = _run(hub, capsys, "set-password", "nobody", "--password", RESET_PASSWORD)
    assert code == 2 and "no operator nobody" in err


def test_set_password_reads_standard_input_and_publishes_a_new_first_password(
    hub: Hub, window: Workstation, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(hub, capsys, "create-operator", "zhangsan", "--name", "张三", "--center", "CH", "--password", FIRST_PASSWORD)
    monkeypatch.setattr("sys.stdin", io.StringIO(RESET_PASSWORD + "\n"))

    code, out, _ = _run(hub, capsys, "set-password", "zhangsan")

    assert code == 0 and "must be changed at the next login" in out
    reset = _upserts(hub, window)[-1]["payload"]
    assert verify_password(RESET_PASSWORD, reset["password_hash"]) and reset["must_change_password"]
    assert RESET_PASSWORD not in out + _everything_stored(hub)


def _apply_operator_changes(hub: Hub, window: Workstation, db, after: int = 0) -> int:
    """Apply the operator changes after ``after`` to a client database, as a pull does;
    returns the new cursor."""
    changes = [c for c in _upserts(hub, window) if c["seq"] > after]
    with db.write() as session:
        for change in changes:
            apply_change(
                session,
                FeedChange(change["seq"], change["kind"], change["entity"], change["entity_id"], change["payload"]),
                now=utc_now(),
            )
    return max([after, *(c["seq"] for c in changes)])


def test_the_window_verifies_the_hub_s_password_offline_and_keeps_its_own_change(
    hub: Hub, window: Workstation, demo, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(hub, capsys, "create-operator", "zhangsan", "--name", "张三", "--center", "CH", "--password", FIRST_PASSWORD)
    cursor = _apply_operator_changes(hub, window, demo.db)

    result = auth.log_in(demo.db, login="zhangsan", password=FIRST_PASSWORD)
    assert result.must_change_password
    with pytest.raises(auth.LoginFailed):
        auth.log_in(demo.db, login="zhangsan", password=RESET_PASSWORD)

    # The operator picks a password of their own at the window; a later rename on the
    # hub must not bring the administrator's first password back.
    with demo.db.write() as session:
        session.execute(text("UPDATE operators SET must_change_password = 0 WHERE login = 'zhangsan'"))
        own_hash = session.scalar(select(m.Operator.password_hash).where(m.Operator.login == "zhangsan"))
    _run(hub, capsys, "create-operator", "zhangsan", "--name", "张三丰", "--center", "CH")
    _apply_operator_changes(hub, window, demo.db, after=cursor)
    with demo.db.read() as session:
        operator = session.scalar(select(m.Operator).where(m.Operator.login == "zhangsan"))
        assert (operator.display_name, operator.password_hash, operator.must_change_password) == (
            "张三丰",
            own_hash,
            False,
        )
