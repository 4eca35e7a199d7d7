"""A demo data folder and a real one are told apart by what is stored in them (issue 21,
finding 2): --demo refuses a real folder and writes nothing into it, a normal start
refuses a demo folder, and a demo folder syncs nothing while its demo login still has the
published password."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event, func, select

from tests.sync.hub_stand_in import HubStandIn
from windowdesk.errors import StartupError
from windowdesk.paths import resources_dir
from windowdesk.services import auth, bootstrap, workstation
from windowdesk.services.sync import SyncRunner
from windowdesk.storage import models as m


def _counts(db) -> tuple[int, int, int]:
    with db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(m.Resident)) or 0,
            session.scalar(select(func.count()).select_from(m.OutboxEvent)) or 0,
            session.scalar(select(func.count()).select_from(m.Operator)) or 0,
        )


def test_demo_refuses_a_real_folder_and_writes_nothing_into_it(migrated_db) -> None:
    bootstrap.ensure_catalog(migrated_db, resources_dir())
    workstation.configure_workstation(
        migrated_db,
        center_code="JD03",
        window_code="01",
        operator_name="刘芳",
        operator_login="liufang",
        password="Willow-Gate-2718",
        role="administrator",
    )
    before = _counts(migrated_db)
    with pytest.raises(StartupError) as refused:
        bootstrap.ensure_demo(migrated_db, resources_dir())
    assert refused.value.title == "This data folder holds real work"
    assert _counts(migrated_db) == before
    assert not bootstrap.is_demo_folder(migrated_db)
    bootstrap.refuse_demo_folder(migrated_db)  # a normal start goes on


def test_a_normal_start_refuses_a_demo_folder(demo) -> None:
    assert bootstrap.is_demo_folder(demo.db)
    with pytest.raises(StartupError, match="demo data folder"):
        bootstrap.refuse_demo_folder(demo.db)
    assert bootstrap.ensure_demo(demo.db, resources_dir()).operator_id == demo.ctx.operator_id  # --demo still opens it


class _NeverAsked(HubStandIn):
    def push_encoded(self, batch):
        raise AssertionError("nothing may be sent while the demo password is in use")

    def changes(self, after, limit):
        raise AssertionError("nothing may be pulled while the demo password is in use")


def test_nothing_syncs_until_the_demo_password_is_changed(demo) -> None:
    pending = _counts(demo.db)[1]
    assert pending > 0  # the demo residents wait in the outbox
    report = SyncRunner(demo.db, _NeverAsked()).run()
    assert report.error is not None and report.error.title == "Change the demo password first"
    assert _counts(demo.db)[1] == pending

    auth.change_password(demo.db, demo.ctx, current=bootstrap.DEMO_PASSWORD, new="Quartz-Lane-6093")
    assert not bootstrap.demo_password_in_use(demo.db)


def test_the_demo_s_residents_are_registered_in_one_transaction_each_recorded_and_queued(migrated_db) -> None:
    """--demo's first start: every resident of the demo file in one write transaction (they
    were one each), each with its audit entry and outbox event; a second start adds none."""
    transactions: list[list[str]] = []

    def begun(_connection) -> None:
        transactions.append([])

    def sent(_conn, _cursor, statement, _parameters, _context, _many) -> None:
        if transactions:
            transactions[-1].append(statement)

    engine = migrated_db.write_engine
    event.listen(engine, "begin", begun)
    event.listen(engine, "before_cursor_execute", sent)
    try:
        bootstrap.ensure_demo(migrated_db, resources_dir())
    finally:
        event.remove(engine, "begin", begun)
        event.remove(engine, "before_cursor_execute", sent)
    registering = [t for t in transactions if any(s.startswith("INSERT INTO residents") for s in t)]
    assert len(registering) == 1, len(registering)
    demo_file = json.loads((resources_dir() / "demo" / "residents.json").read_text(encoding="utf-8"))
    people = {person["id_number"] for person in demo_file["residents"]}
    with migrated_db.read() as session:
        stored = set(session.scalars(select(m.Resident.id_number)))
        queued = session.scalar(
            select(func.count()).select_from(m.OutboxEvent).where(m.OutboxEvent.kind == "resident.registered")
        )
        audited = session.scalar(
            select(func.count()).select_from(m.AuditEntry).where(m.AuditEntry.action == "resident.register")
        )
    assert stored == people and queued == audited == len(people) > 1
    bootstrap.ensure_demo(migrated_db, resources_dir())
    assert _counts(migrated_db)[0] == len(people)
