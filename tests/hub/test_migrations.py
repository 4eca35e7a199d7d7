"""The hub's Alembic migrations create exactly the models' schema, on both databases."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import NullPool

from windowdesk.hub.migrations import HEAD_REVISION
from windowdesk.hub.storage.migrate import MIGRATIONS_DIR, alembic_config, current_revision, migrate_to_head
from windowdesk.hub.storage.models import Base

from .conftest import Hub


def test_head_revision_constant_is_alembic_s_head() -> None:
    script = ScriptDirectory.from_config(alembic_config(connection=None))
    assert script.get_current_head() == HEAD_REVISION


def test_migration_scripts_do_not_import_the_models() -> None:
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        assert "windowdesk" not in path.read_text(encoding="utf-8").split('"""', 2)[-1], path.name


def test_the_migrated_schema_is_the_models_schema(hub: Hub) -> None:
    engine = create_engine(hub.url, poolclass=NullPool)
    try:
        with engine.connect() as connection, warnings.catch_warnings():
            # SQLAlchemy cannot reflect an index on an expression (it says so, and
            # Alembic then leaves such indexes out of the comparison): the last test
            # here checks that one is there.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
            warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
            assert current_revision(connection) == HEAD_REVISION
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        engine.dispose()
    assert migrate_to_head(hub.url) is None  # already current: nothing runs


def test_a_new_database_is_created_and_migrated(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'hub.sqlite3'}"
    assert migrate_to_head(url) == ""
    assert migrate_to_head(url) is None


def test_0006_keeps_the_operators_of_work_pushed_before_it(hub: Hub) -> None:
    """Work pushed before 0006 has its operator only in the pushed event: the migration
    copies it to the record, for the reports; a value that is no id is left out."""
    from alembic import command
    from sqlalchemy import select

    from windowdesk.domain.uuid7 import new_uuid
    from windowdesk.hub.storage.models import Case, Notification

    from .conftest import EventFactory

    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    events = EventFactory()
    resident = events.resident()
    operator = new_uuid()
    named = events.case(resident["entity_id"], operator=operator)
    unnamed = events.case(resident["entity_id"], operator=12345)
    notice_id = new_uuid()
    notice = events.event(
        "notification.given",
        "notification",
        notice_id,
        {
            "id": notice_id,
            "number": "GZ-CH-20261125-01-0001",
            "center": "CH",
            "window": "CH-01",
            "operator": operator,
            "item": "MZ-002",
            "applicant": {"kind": "resident", "id": resident["entity_id"]},
            "created_at": events.clock.isoformat(),
            "reason": "材料不全",
            "legal_basis": "第三十二条",
        },
    )
    assert {status for status, _ in hub.push_results(window, [resident, named, unnamed, notice])} == {"applied"}

    engine = create_engine(hub.url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0005_enrollment_retry")
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    finally:
        engine.dispose()
    with hub.db.read() as session:
        operators = dict(session.execute(select(Case.id, Case.operator_id)).all())
        assert operators == {named["entity_id"]: operator, unnamed["entity_id"]: None}
        assert session.scalar(select(Notification.operator_id).where(Notification.id == notice_id)) == operator


def _index_names(connection: Connection, table: str) -> set[str]:
    if connection.dialect.name == "sqlite":
        return set(connection.exec_driver_sql(f"SELECT name FROM pragma_index_list('{table}')").scalars())
    return set(
        connection.exec_driver_sql(
            f"SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '{table}'"
        ).scalars()
    )


def test_0021_drops_the_acceptances_and_center_indexes_and_its_downgrade_makes_them_again(hub: Hub) -> None:
    """The pushed rows stay as they were, both ways; the two indexes go and come back."""
    from alembic import command
    from sqlalchemy import select

    from windowdesk.hub.services import department_work
    from windowdesk.hub.storage.models import Case, PushedEvent

    from .conftest import EventFactory

    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    events = EventFactory()
    resident = events.resident()
    materials = [{"id": "m1", "code": "M1", "name": "身份证", "status": "received", "note": ""}]
    case = events.case(resident["entity_id"], materials=materials)
    assert {status for status, _ in hub.push_results(window, [resident, case])} == {"applied"}

    def stored() -> tuple[object, ...]:
        with hub.db.read() as session:
            return (
                sorted(session.execute(select(PushedEvent.event_id, PushedEvent.status, PushedEvent.payload)).all()),
                sorted(session.execute(select(Case.id, Case.case_number, Case.center_code)).all()),
                department_work._materials(session, session.scalars(select(Case)).one()),
            )

    before = stored()
    assert before[2] == [department_work.Material("身份证", "received", "")]
    dropped = {"pushed_events": "ix_pushed_events_acceptances", "cases": "ix_cases_center_code"}
    engine = create_engine(hub.url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            assert not any(index in _index_names(connection, table) for table, index in dropped.items())
            command.downgrade(alembic_config(connection), "0020_h29figlater_figures_due")
        with engine.begin() as connection:
            assert all(index in _index_names(connection, table) for table, index in dropped.items())
        assert stored() == before
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with engine.begin() as connection:
            assert not any(index in _index_names(connection, table) for table, index in dropped.items())
            assert current_revision(connection) == HEAD_REVISION
    finally:
        engine.dispose()
    assert stored() == before


def test_0022_drops_three_unread_indexes_and_its_downgrade_makes_them_again(hub: Hub) -> None:
    """The audit entries' index by workstation, the residents' by ID number, the
    organisations' by credit code: the stored rows and the push view's chain ends stay
    as they were, both ways."""
    from alembic import command
    from sqlalchemy import select

    from windowdesk.hub.services.push_rules import Pusher
    from windowdesk.hub.services.push_view import load_view
    from windowdesk.hub.storage.models import AuditRecord, Resident

    from .conftest import EventFactory
    from .test_audit_sync import _audit_events

    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    logged = _audit_events(window.window_id, 3)
    resident = EventFactory().resident()
    assert {status for status, _ in hub.push_results(window, [resident, *logged])} == {"applied"}
    pusher = Pusher(window.id, window.center_code, window.window_id)

    def stored() -> tuple[object, ...]:
        with hub.db.read() as session:
            view = load_view(session, [], pusher)
            return (
                sorted(session.execute(select(AuditRecord.seq, AuditRecord.workstation_id, AuditRecord.hash)).all()),
                sorted(session.execute(select(Resident.id, Resident.id_number)).all()),
                (view.audit_last, view.audit_window_last),
            )

    before = stored()
    assert before[2] == (logged[-1]["payload"]["hash"], None)
    dropped = {
        "audit_entries": "ix_audit_entries_workstation_id",
        "residents": "ix_residents_id_number",
        "organisations": "ix_organisations_credit_code",
    }
    engine = create_engine(hub.url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            assert not any(index in _index_names(connection, table) for table, index in dropped.items())
            command.downgrade(alembic_config(connection), "0021_h29pgidx_fewer_btrees")
        with engine.begin() as connection:
            assert all(index in _index_names(connection, table) for table, index in dropped.items())
        assert stored() == before
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with engine.begin() as connection:
            assert not any(index in _index_names(connection, table) for table, index in dropped.items())
            assert current_revision(connection) == HEAD_REVISION
    finally:
        engine.dispose()
    assert stored() == before
