"""查询密码 at the window: made at acceptance, printed once, never kept in clear, sent as a
salted slow hash; a supervisor issues a new one (issue 23, query codes)."""

from __future__ import annotations

import hashlib
import json
import sys

import pytest

from tests.fees.conftest import DEMO_SUPERVISOR
from tests.printing.conftest import all_text
from windowdesk.domain.permissions import Permission
from windowdesk.domain.query_codes import (
    dummy_hash,
    grouped,
    hash_query_code,
    is_query_code_hash,
    looks_like_code,
    new_query_code,
    normalized_code,
    verify_query_code,
)
from windowdesk.i18n import set_locale
from windowdesk.printing.render import render_document
from windowdesk.services import auth, documents
from windowdesk.services.approval import ApprovalRefused, approve_as_supervisor
from windowdesk.services.query_codes import QUERY_CODE_REISSUED, reissue_query_code

from .test_intake_service import accept, raw


@pytest.fixture
def clerk(demo):
    auth.create_operator(
        demo.db, demo.ctx, login="li", display_name="李明", role="operator", initial_password="Start2026x"
    )
    return auth.log_in(demo.db, login="li", password="Start2026x").ctx


def _outbox(demo, kind: str) -> list[dict]:
    with raw(demo.db) as conn:
        return [json.loads(p) for (p,) in conn.execute("SELECT payload FROM outbox WHERE kind = ?", (kind,))]


def _every_stored_text(demo) -> str:
    with raw(demo.db) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return "\n".join(repr(row) for table in tables for row in conn.execute(f'SELECT * FROM "{table}"'))


def test_codes_are_random_unambiguous_and_typed_loosely():
    codes = {new_query_code() for _ in range(200)}
    assert len(codes) == 200 and all(looks_like_code(code) for code in codes)
    assert not any(ch in code for code in codes for ch in "0O1IL2Z5S8BUV")
    code = next(iter(codes))
    assert normalized_code(" " + grouped(code).lower().replace("-", "－") + " ") == code
    stored = hash_query_code(code)
    assert is_query_code_hash(stored) and code not in stored
    assert verify_query_code(grouped(code).lower(), stored)
    assert not verify_query_code(new_query_code(), stored)
    assert hash_query_code(code) != stored  # salted
    assert not verify_query_code(code, None) and not verify_query_code(code, "plain:" + code)
    assert not is_query_code_hash(stored.replace("scrypt$4096$", "scrypt$32768$"))  # too slow for the hub's page


def _scrypt_calls(check) -> int:
    calls = []
    sys.setprofile(lambda frame, event, arg: calls.append(arg) if event == "c_call" and arg is hashlib.scrypt else None)
    try:
        check()
    finally:
        sys.setprofile(None)
    return len(calls)


def test_a_missing_hash_costs_one_slow_hash_even_the_first_time_in_a_process():
    dummy_hash.cache_clear()  # as in a hub process that has not yet met an unknown case
    try:
        assert _scrypt_calls(lambda: verify_query_code(new_query_code(), None)) == 1
        assert _scrypt_calls(lambda: verify_query_code(new_query_code(), None)) == 1
        stored = hash_query_code(new_query_code())
        assert _scrypt_calls(lambda: verify_query_code(new_query_code(), stored)) == 1
        assert is_query_code_hash(dummy_hash()) and dummy_hash().split("$")[1:4] == stored.split("$")[1:4]
    finally:
        dummy_hash.cache_clear()


def test_acceptance_prints_the_code_once_and_keeps_only_its_hash(demo, clerk):
    result = accept(demo, clerk)
    code = result.query_code
    assert looks_like_code(code) and code not in repr(result)
    (payload,) = _outbox(demo, "case.accepted")
    assert verify_query_code(code, payload["query_code_hash"])
    assert code not in _every_stored_text(demo)

    set_locale("zh_CN")
    try:
        first = all_text(render_document(documents.acceptance_receipt_data(demo.db, clerk, result.id, query_code=code)))
        again = all_text(render_document(documents.acceptance_receipt_data(demo.db, clerk, result.id)))
    finally:
        set_locale("en")
    assert "查询密码" in first and grouped(code) in first
    assert grouped(code) not in again and "仅在首次打印" in again


def test_only_a_supervisor_issues_a_new_code_and_its_hash_replaces_the_old(demo, clerk):
    result = accept(demo, clerk)
    with pytest.raises(ApprovalRefused):
        approve_as_supervisor(
            demo.db, clerk, login="li", password="Start2026x", permission=Permission.REISSUE_QUERY_CODE
        )
    supervisor = approve_as_supervisor(
        demo.db,
        clerk,
        login=DEMO_SUPERVISOR.login,
        password=DEMO_SUPERVISOR.password,
        permission=Permission.REISSUE_QUERY_CODE,
    )
    new = reissue_query_code(demo.db, clerk, case_id=result.id, supervisor_id=supervisor)
    assert new.code != result.query_code and new.code not in repr(new)
    (payload,) = _outbox(demo, QUERY_CODE_REISSUED)
    assert payload["number"] == result.number and verify_query_code(new.code, payload["query_code_hash"])
    assert not verify_query_code(result.query_code, payload["query_code_hash"])
    assert new.code not in _every_stored_text(demo)
    slip = all_text(
        render_document(documents.acceptance_receipt_data(demo.db, clerk, result.id, query_code=new.code), reprint=True)
    )
    assert grouped(new.code) in slip
