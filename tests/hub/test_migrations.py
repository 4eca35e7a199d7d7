"""The hub's Alembic migrations create exactly the models' schema, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
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
        with engine.connect() as connection:
            assert current_revision(connection) == HEAD_REVISION
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        engine.dispose()
    assert migrate_to_head(hub.url) is None  # already current: nothing runs


def test_a_new_database_is_created_and_migrated(tmp_path) -> None:  # noqa: ANN001
    url = f"sqlite:///{tmp_path / 'new' / 'hub.sqlite3'}"
    assert migrate_to_head(url) == ""
    assert migrate_to_head(url) is None
