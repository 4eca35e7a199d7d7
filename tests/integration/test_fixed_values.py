"""The window's fixed-value columns hold their domain StrEnum (storage/column_types.py,
TextEnum), as the hub's do (tests/hub/test_fixed_values.py): read back as members, and a
value outside the set refused when written, the row left as it was. The stored values are
the same as before (no migration). On the real (SQLCipher) database of the demo."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update
from sqlalchemy.exc import StatementError

from windowdesk.domain.permissions import Role
from windowdesk.services import auth, bootstrap
from windowdesk.services.sync_apply import apply_change
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.sync.protocol import Change

NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)


def test_an_operator_s_role_reads_back_as_a_member_that_prints_as_before(demo) -> None:
    with demo.db.read() as session:
        role = queries.operator_by_login(session, bootstrap.DEMO_LOGIN).role
    assert type(role) is Role and role is Role.SUPERVISOR
    # Shown on screens and in logs as the stored word, as the plain string it was.
    assert (str(role), f"{role}", "%s" % role, format(role, ">11")) == (  # noqa: UP031 - the old style too
        "supervisor", "supervisor", "supervisor", " supervisor")
    assert auth.log_in(demo.db, login=bootstrap.DEMO_LOGIN, password=bootstrap.DEMO_PASSWORD).ctx.operator_role is Role.SUPERVISOR


def test_an_operator_role_outside_the_set_is_refused_and_the_account_kept(demo) -> None:
    with pytest.raises(StatementError, match="'auditor' is not a valid Role"), demo.db.write() as session:
        queries.operator_by_login(session, bootstrap.DEMO_LOGIN).role = "auditor"  # type: ignore[assignment]
        session.flush()
    with pytest.raises(StatementError, match="'root' is not a valid Role"), demo.db.write() as session:
        session.execute(update(m.Operator).values(role="root"))  # a bulk write is refused too
    with demo.db.read() as session:
        assert queries.operator_by_login(session, bootstrap.DEMO_LOGIN).role is Role.SUPERVISOR


def test_a_pulled_account_with_a_role_this_window_does_not_know_is_skipped_and_the_feed_goes_on(demo) -> None:
    def upsert(seq: int, login: str, role: str) -> Change:
        return Change(seq=seq, kind="operator.upsert", entity="operator", entity_id=login, payload={
            "id": f"0190a0c0-0000-7000-8000-00000000000{seq}", "login": login, "display_name": "王五",
            "role": role, "center_code": "CH", "active": True})

    with demo.db.write() as session:
        assert apply_change(session, upsert(1, "wangwu", "auditor"), now=NOW) is None
        assert apply_change(session, upsert(2, "zhaoliu", "operator"), now=NOW) == "operator.upsert"
    with demo.db.read() as session:
        assert queries.operator_by_login(session, "wangwu") is None
        assert queries.operator_by_login(session, "zhaoliu").role is Role.OPERATOR
