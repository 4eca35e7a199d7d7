"""Receipt numbers and the day's totals hold through payments, voids, crashes and restarts.

* hypothesis: any sequence of payments (every method), voids, payments or voids that die
  half-way (an exception after the number was taken) and restarts keeps the numbers
  gapless and unique, and the day's totals equal the sum of the receipts not voided;
* a real crash: a child process paying in a loop on the same encrypted file is killed
  with SIGKILL; after the restart the numbers go on without a gap or a reuse.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.hypothesis_profiles import examples
from windowdesk.domain.fees import PAYMENT_METHODS, Tender
from windowdesk.services import dayclose, payments, receipts
from windowdesk.storage import models as m
from windowdesk.storage.db import Database

from .conftest import STREET_SUPERVISOR, WANG, accept, at, cash, make_operator, street

SRC_DIR = Path(__file__).resolve().parents[2] / "src"
CASES = 8


class SimulatedCrash(Exception):
    """The process 'dies' between taking the number and committing."""


@dataclasses.dataclass
class Template:
    path: Path
    key: bytes
    ctx: object
    case_ids: list[str]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Template:
    """A demo database with a street window, its supervisor and accepted cases, made once."""
    from tests.conftest import Demo
    from windowdesk.paths import resources_dir
    from windowdesk.services import bootstrap, working_days
    from windowdesk.storage.crypto import new_key
    from windowdesk.storage.migrate import migrate_to_head

    folder = tmp_path_factory.mktemp("ledger")
    key = new_key()
    path = folder / "template.sqlite3"
    migrate_to_head(path, folder / "backups", key=key)
    db = Database(path, key=key)
    try:
        ctx = bootstrap.ensure_demo(db, resources_dir())
        demo = Demo(db, ctx, working_days.load_shipped_calendar(resources_dir()))
        counter = street(at(ctx, "2026-11-25 10:00"))
        make_operator(
            demo, counter, login=STREET_SUPERVISOR.login, role="supervisor", password=STREET_SUPERVISOR.password
        )
        case_ids = [accept(demo, counter, id_number=WANG) for _ in range(CASES)]
    finally:
        db.dispose()
    return Template(path, key, counter, case_ids)


operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("utility"),
            st.sampled_from(["cash", "bank_card", "mobile"]),
            st.integers(min_value=1, max_value=500_000),
            st.booleans(),
        ),
        st.tuples(st.just("fee"), st.sampled_from(PAYMENT_METHODS), st.just(0), st.booleans()),
        st.tuples(st.just("void"), st.integers(min_value=0, max_value=20), st.just(0), st.booleans()),
        st.tuples(st.just("restart"), st.just(""), st.just(0), st.just(False)),
    ),
    max_size=14,
)


def _tender(method: str, amount: int) -> Tender:
    return {
        "cash": Tender("cash", tendered_fen=amount + 37),
        "bank_card": Tender("bank_card", reference="POS"),
        "mobile": Tender("mobile", reference="QR"),
        "waived": Tender("waived", waiver_reason="减免"),
    }[method]


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_any_mix_of_payments_voids_and_crashes_keeps_numbers_and_totals(template, tmp_path_factory, ops):
    folder = tmp_path_factory.mktemp("run")
    path = folder / "w.sqlite3"
    shutil.copy(template.path, path)
    ctx = template.ctx
    db = Database(path, key=template.key)
    paid: list[tuple[str, str, int]] = []  # committed receipts: id, method, amount
    voided: set[str] = set()
    cases = list(template.case_ids)
    try:
        for kind, choice, amount, crashes in ops:
            if kind == "restart":
                db.dispose()
                db = Database(path, key=template.key)
                continue
            if kind == "void" and not paid:
                continue
            if kind == "fee" and not cases:
                continue
            target = (
                "windowdesk.services.receipts.enqueue" if kind == "void" else "windowdesk.services.payments.enqueue"
            )
            with mock.patch(target, side_effect=SimulatedCrash) if crashes else contextlib.nullcontext():
                try:
                    if kind == "utility":
                        result = payments.pay_utility(
                            db,
                            ctx,
                            utility="water",
                            account_number="0102",
                            payer_name="王建国",
                            period="2026-10",
                            amount_fen=amount,
                            tender=_tender(choice, amount),
                        )
                        paid.append((result.receipt_id, choice, amount))
                    elif kind == "fee":
                        result = payments.pay_case_fee(db, ctx, case_id=cases[0], tender=_tender(choice, 500))
                        cases.pop(0)
                        paid.append((result.receipt_id, choice, 500))
                    else:
                        receipt_id = paid[choice % len(paid)][0]
                        if receipt_id in voided:
                            continue
                        receipts.void_receipt(db, ctx, receipt_id=receipt_id, reason="错", supervisor=STREET_SUPERVISOR)
                        voided.add(receipt_id)
                except SimulatedCrash:
                    assert crashes
        _check_ledger(db, ctx, paid, voided)
    finally:
        db.dispose()


def _check_ledger(db: Database, ctx, paid: list[tuple[str, str, int]], voided: set[str]) -> None:
    with db.read() as session:
        rows = session.execute(select(m.Receipt.id, m.Receipt.seq, m.Receipt.number).order_by(m.Receipt.seq)).all()
        void_rows = session.scalars(select(m.ReceiptVoid.receipt_id)).all()
    assert [seq for _id, seq, _number in rows] == list(range(1, len(rows) + 1))
    assert len({number for _id, _seq, number in rows}) == len(rows)
    assert {receipt_id for receipt_id, _seq, _number in rows} == {receipt_id for receipt_id, _m, _a in paid}
    assert set(void_rows) == voided
    totals = dayclose.day_totals(db, ctx)
    for method in PAYMENT_METHODS:
        expected = [amount for rid, used, amount in paid if used == method and rid not in voided]
        assert (totals.method(method).receipts, totals.method(method).amount_fen) == (len(expected), sum(expected))
    assert totals.voided_fen == sum(amount for rid, _m, amount in paid if rid in voided)


_CHILD_PAYS = """
import datetime as dt, sys
from pathlib import Path
from windowdesk.domain.fees import Tender
from windowdesk.i18n import set_locale
from windowdesk.paths import resources_dir
from windowdesk.services import intake, payments, working_days, workstation
from windowdesk.services.applicants import ApplicantRef
from windowdesk.services.intake import MaterialCheck
from windowdesk.storage import queries
from windowdesk.storage.db import Database

set_locale("en")
path, when, id_number, key = sys.argv[1:5]
moment = dt.datetime.fromisoformat(when)
db = Database(Path(path), key=bytes.fromhex(key))
ctx = workstation.current_context(db, clock=lambda: moment)
calendar = working_days.load_shipped_calendar(resources_dir())
with db.read() as session:
    who = ApplicantRef("resident", queries.resident_by_id_number(session, id_number).id)
    codes = [mat.code for mat in queries.item_with_details(session, "LL-001").materials]
checks = [MaterialCheck(code, "received") for code in codes]
while True:
    case = intake.accept_case(db, ctx, item_code="LL-001", applicant=who, checks=checks, shipped_calendar=calendar)
    result = payments.pay_case_fee(db, ctx, case_id=case.id, tender=Tender("cash", tendered_fen=1000))
    print(result.number, flush=True)
"""


def test_receipt_numbers_are_never_skipped_or_reused_after_a_kill(demo):
    moment = at(demo.ctx, "2026-11-25 10:00").now()
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD_PAYS, str(demo.db.path), moment.isoformat(), WANG, demo.db.key.hex()],
        env={**os.environ, "PYTHONPATH": str(SRC_DIR)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    printed: list[str] = []
    try:
        for line in child.stdout:
            printed.append(line.decode())
            if len(printed) >= 8:
                break
        os.kill(child.pid, signal.SIGKILL)
    finally:
        rest, errors = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, errors.decode()
    printed += rest.decode().splitlines(keepends=True)
    committed = [line.strip() for line in printed if line.endswith("\n")]
    assert len(committed) >= 8

    demo.db.dispose()
    db = Database(demo.db.path, key=demo.db.key)
    try:
        ctx = at(demo.ctx, "2026-11-25 10:05")
        after = dataclasses.replace(demo, db=db)
        more = [payments.pay_case_fee(db, ctx, case_id=accept(after, ctx), tender=cash(500)).number for _ in range(3)]
        with db.read() as session:
            numbers = list(session.scalars(select(m.Receipt.number).order_by(m.Receipt.seq)))
        totals = dayclose.day_totals(db, ctx)
    finally:
        db.dispose()
    assert numbers == [f"CH01-2026-{seq:06d}" for seq in range(1, len(numbers) + 1)]
    assert set(committed) <= set(numbers) and set(more).isdisjoint(committed)
    assert totals.expected_cash_fen == 500 * len(numbers)
