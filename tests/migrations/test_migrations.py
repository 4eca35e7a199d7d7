"""Schema migrations at start-up: backups, one transaction, plain words on failure."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from windowdesk.errors import StartupError
from windowdesk.storage.db import Database, make_engine
from windowdesk.storage.migrate import MIGRATIONS_DIR, current_revision, migrate_to_head
from windowdesk.storage.migrations import HEAD_REVISION
from windowdesk.storage.models import Base, LocalSetting

SRC_DIR = Path(__file__).resolve().parents[2] / "src"
BASELINE = HEAD_REVISION  # the step under test comes after the current head
HALF_TABLE = "half_made"


def _raw(path: Path) -> contextlib.closing[sqlite3.Connection]:
    return contextlib.closing(sqlite3.connect(path))


def _tables(path: Path) -> set[str]:
    with _raw(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _setting(path: Path, key: str) -> str | None:
    with _raw(path) as conn:
        row = conn.execute("SELECT value FROM local_settings WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _baseline_with_row(data_dir: Path) -> Path:
    """A database at the baseline revision holding one row of real data."""
    path = data_dir / "windowdesk.sqlite3"
    migrate_to_head(path, data_dir / "backups")
    db = Database(path)
    try:
        with db.write() as session:
            session.add(LocalSetting(key="workstation.center", value="CH"))
    finally:
        db.dispose()
    return path


def _scripts_with_step(data_dir: Path, name: str, upgrade_body: str) -> Path:
    """A copy of the shipped migrations plus one more step after the baseline."""
    copy = data_dir / "migrations_copy"
    shutil.copytree(MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    step = (
        textwrap.dedent(
            f'''
        """test step {name}"""
        import time

        from alembic import op
        import sqlalchemy as sa

        revision = "{name}"
        down_revision = "{BASELINE}"
        branch_labels = None
        depends_on = None


        def upgrade() -> None:
            op.create_table("{HALF_TABLE}", sa.Column("id", sa.Integer(), primary_key=True))
        '''
        )
        + textwrap.indent(textwrap.dedent(upgrade_body), "    ")
        + "\n\ndef downgrade() -> None:\n    pass\n"
    )
    (copy / "versions" / f"{name}.py").write_text(step, encoding="utf-8")
    return copy


def _assert_intact_baseline(path: Path) -> None:
    assert current_revision(path) == BASELINE
    assert _setting(path, "workstation.center") == "CH"
    assert HALF_TABLE not in _tables(path)
    with _raw(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_migrating_a_new_file_creates_every_table_and_stamps_head(data_dir):
    path = data_dir / "new.sqlite3"
    assert not path.exists()

    backup = migrate_to_head(path, data_dir / "backups")

    assert backup is None  # nothing to back up in a file that did not exist
    assert set(Base.metadata.tables) <= _tables(path)
    assert current_revision(path) == HEAD_REVISION
    with _raw(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD_REVISION,)]


def test_head_revision_constant_matches_alembic_head():
    assert ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head() == HEAD_REVISION


def test_second_run_takes_no_backup_and_changes_nothing(migrated_db, data_dir):
    backups = data_dir / "backups"
    assert migrate_to_head(migrated_db.path, backups, key=migrated_db.key) is None
    assert not backups.exists() or not any(backups.iterdir())
    assert current_revision(migrated_db.path, migrated_db.key) == HEAD_REVISION


def test_schema_made_by_migrations_equals_the_models(migrated_db):
    engine = make_engine(migrated_db.path, "BEGIN", migrated_db.key)
    try:
        with engine.connect() as connection, warnings.catch_warnings():
            # SQLAlchemy cannot reflect an index on an expression (ix_residents_id_tail) and
            # Alembic leaves such indexes out of the comparison: test_head_schema.py compares
            # the whole schema text, and the lookup's plan test shows it is used.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
            warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
            context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_failed_migration_keeps_a_backup_and_leaves_the_database_whole(data_dir):
    path = _baseline_with_row(data_dir)
    backups = data_dir / "backups"
    scripts = _scripts_with_step(
        data_dir, "9001_broken", 'raise RuntimeError("the new column type is not supported")\n'
    )

    with pytest.raises(StartupError) as caught:
        migrate_to_head(path, backups, script_location=scripts, head_revision="9001_broken")

    copies = list(backups.glob("*.sqlite3"))
    assert len(copies) == 1
    error = caught.value
    assert error.title == "The database could not be updated"
    assert str(copies[0]) in error.message
    assert "copy of the database" in error.message
    assert "Traceback" not in error.message
    # The backup holds the data as it was before the attempt.
    assert _setting(copies[0], "workstation.center") == "CH"
    assert current_revision(copies[0]) == BASELINE
    # All steps ran in one transaction: nothing of the broken step is left.
    _assert_intact_baseline(path)


_CHILD_MIGRATION = """
import sys
from pathlib import Path
from windowdesk.storage.migrate import migrate_to_head
migrate_to_head(Path(sys.argv[1]), Path(sys.argv[2]), script_location=Path(sys.argv[3]),
                head_revision="9001_slow")
"""


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_migration_killed_half_way_leaves_the_old_schema(data_dir):
    path = _baseline_with_row(data_dir)
    backups = data_dir / "backups"
    scripts = _scripts_with_step(data_dir, "9001_slow", "time.sleep(30)\n")
    env = {**os.environ, "PYTHONPATH": str(SRC_DIR)}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD_MIGRATION, str(path), str(backups), str(scripts)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(lambda: any(backups.glob("*.sqlite3")) or child.poll() is not None, 20, "the backup")
        assert child.poll() is None, child.communicate()[1].decode()
        time.sleep(0.5)  # inside the slow step, its table created but not committed
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.communicate(timeout=20)
    assert child.returncode == -signal.SIGKILL

    _assert_intact_baseline(path)
    assert migrate_to_head(path, backups) is None  # the shipped scripts: already at head
    db = Database(path)
    try:
        with db.write() as session:
            session.add(LocalSetting(key="after.crash", value="ok"))
    finally:
        db.dispose()
    assert _setting(path, "after.crash") == "ok"


@pytest.mark.parametrize("folder", ["C#-projects", "why?"])
def test_data_folder_name_with_uri_characters(data_dir, folder):
    path = data_dir / folder / "windowdesk.sqlite3"
    path.parent.mkdir()
    migrate_to_head(path, data_dir / "backups")

    assert current_revision(path) == HEAD_REVISION
    assert [p.name for p in data_dir.iterdir()] == [folder]  # no stray file beside it


def test_unreadable_database_file_gives_plain_words(data_dir):
    path = data_dir / "windowdesk.sqlite3"
    path.write_bytes(random.Random(7).randbytes(16_384))

    with pytest.raises(StartupError) as caught:
        migrate_to_head(path, data_dir / "backups")

    error = caught.value
    assert error.title == "The database file cannot be read"
    assert str(path) in error.message
    assert "damaged" in error.message and "backups" in error.message
    assert "Traceback" not in error.message


def _window_and_item(conn) -> None:
    """Window CH-01 and item MZ-001 (10 promised days), as every revision stores them."""
    conn.execute("INSERT INTO windows (id, center_code, code, name, phone) VALUES ('CH-01', 'CH', '01', 'w', '')")
    conn.execute("INSERT INTO departments (code, name, name_en) VALUES ('MZJ', '民政局', '')")
    conn.execute(
        "INSERT INTO catalog_items (code, name, name_en, department_code, category, preconditions, "
        "procedure, legal_limit_days, promised_limit_days, warning_days, fee_summary, legal_basis, "
        'refusal_grounds, parallel, parallel_departments, street_level, "where", keywords, pinyin_full, '
        "pinyin_initials, catalog_version, active) VALUES ('MZ-001', '低保', '', 'MZJ', '', '[]', '[]', "
        "20, 10, 2, '', '', '[]', 0, '[]', 1, '', '[]', '', '', 'v1', 1)"
    )


def test_old_database_with_unsent_work_migrates_without_losing_it(data_dir):
    """A 0.1 database (baseline schema) holding an operator and unsent outbox events."""
    from windowdesk.storage.migrate import _run_upgrade

    path = data_dir / "windowdesk.sqlite3"
    _run_upgrade(path, MIGRATIONS_DIR, target="0001_baseline")
    with _raw(path) as conn:
        conn.execute(
            "INSERT INTO centers (code, name, name_en, kind, address, phone, hours, timezone) "
            "VALUES ('CH', '市政务服务中心', '', 'city_hall', '', '', '', 'Asia/Shanghai')"
        )
        conn.execute(
            "INSERT INTO operators (id, center_code, login, display_name, role, active, created_at) "
            "VALUES ('op-1', 'CH', 'wang', '王', 'operator', 1, '2026-11-01 08:00:00')"
        )
        _window_and_item(conn)
        conn.execute(
            "INSERT INTO cases (id, case_number, center_code, window_id, operator_id, item_code, status, "
            "accepted_at, accepted_day, promised_date, legal_date, note) VALUES ('c-1', "
            "'CH-20261101-01-0001', 'CH', 'CH-01', 'op-1', 'MZ-001', 'accepted', '2026-11-01 08:00:00', "
            "'2026-11-01', '2026-11-15', '2026-11-29', '')"
        )
        conn.execute(
            "INSERT INTO outbox (event_id, entity, entity_id, kind, payload, created_at, attempts, state, last_error) "
            "VALUES ('ev-1', 'case', 'c-1', 'case.accepted', '{\"n\": 1}', '2026-11-01 08:00:00', 0, 'pending', '')"
        )
        conn.commit()

    backup = migrate_to_head(path, data_dir / "backups")

    assert backup is not None and backup.exists()
    assert current_revision(path) == HEAD_REVISION
    with _raw(path) as conn:
        assert conn.execute("SELECT event_id, state FROM outbox").fetchall() == [("ev-1", "pending")]
        assert conn.execute("SELECT case_number, operator_id FROM cases").fetchall() == [
            ("CH-20261101-01-0001", "op-1")
        ]
        assert conn.execute("SELECT login, password_hash, must_change_password FROM operators").fetchall() == [
            ("wang", None, 1)
        ]
    with _raw(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001_baseline",)]


def _center_operator_window_and_item(conn) -> None:
    """Center CH, its operator op-1, window CH-01 and item MZ-001, as revisions from 0002 on
    store them."""
    conn.execute(
        "INSERT INTO centers (code, name, name_en, kind, address, phone, hours, timezone) "
        "VALUES ('CH', 'c', '', 'city_hall', '', '', '', 'Asia/Shanghai')"
    )
    conn.execute(
        "INSERT INTO operators (id, center_code, login, display_name, role, active, created_at, "
        "must_change_password) VALUES ('op-1', 'CH', 'w', 'w', 'operator', 1, '2026-11-01 08:00:00', 0)"
    )
    _window_and_item(conn)


def _case_at_0006(conn, case_id: str, number: str) -> None:
    conn.execute(
        "INSERT INTO cases (id, case_number, center_code, window_id, operator_id, item_code, status, "
        "accepted_at, accepted_day, promised_date, legal_date, note) VALUES (?, ?, 'CH', 'CH-01', 'op-1', "
        "'MZ-001', 'accepted', '2026-11-02 01:00:00', '2026-11-02', '2026-11-16', '2026-11-30', '')",
        (case_id, number),
    )


def _step(conn, case_id: str, position: int, at: str, before: str, after: str, source: str = "window") -> None:
    conn.execute(
        "INSERT INTO case_events (id, case_id, at, operator_id, kind, position, from_status, to_status, note, "
        "source) VALUES (?, ?, ?, 'op-1', 'x', ?, ?, ?, '', ?)",
        (f"{case_id}-{position}", case_id, at, position, before, after, source),
    )


def test_0007_fills_finished_and_suspended_from_the_timelines_and_keeps_them_up_to_date(data_dir):
    """The report finds finished and suspended cases by two columns kept from the
    timeline: filled for existing cases by the migration, then by triggers (until 0024)."""
    from windowdesk.storage.migrate import _run_upgrade

    path = data_dir / "windowdesk.sqlite3"
    _run_upgrade(path, MIGRATIONS_DIR, target="0006_case_watch_indexes")
    with _raw(path) as conn:
        _center_operator_window_and_item(conn)
        _case_at_0006(conn, "done", "CH-20261102-01-0001")  # suspended twice, completed, delivered
        for position, (at, before, after) in enumerate(
            [
                ("2026-11-03 02:00:00", "accepted", "suspended"),
                ("2026-11-05 02:00:00", "suspended", "in_progress"),
                ("2026-11-06 02:00:00", "in_progress", "suspended"),
                ("2026-11-09 02:00:00", "suspended", "in_progress"),
                ("2026-11-10 02:00:00", "in_progress", "approved"),
                ("2026-11-11 02:00:00", "approved", "completed"),
                ("2026-11-12 02:00:00", "completed", "delivered"),
            ],
            start=1,
        ):
            _step(conn, "done", position, at, before, after)
        _case_at_0006(conn, "gone", "CH-20261102-01-0002")  # withdrawn
        _step(conn, "gone", 1, "2026-11-04 03:00:00", "accepted", "withdrawn")
        _case_at_0006(conn, "open", "CH-20261102-01-0003")
        conn.commit()

    _run_upgrade(path, MIGRATIONS_DIR, target="0007_case_status_indexes")  # its triggers went in 0024

    with _raw(path) as conn:

        def columns():
            return {
                row[0]: row[1:] for row in conn.execute("SELECT id, finished_at, suspensions FROM cases ORDER BY id")
            }

        assert columns() == {"done": ("2026-11-11 02:00:00", 2), "gone": ("2026-11-04 03:00:00", 0), "open": (None, 0)}
        # New steps, whoever records them: the first finishing step sets the time for good.
        _step(conn, "open", 1, "2026-11-20 02:00:00", "accepted", "suspended")
        _step(conn, "open", 2, "2026-11-23 02:00:00", "suspended", "in_progress")
        _step(conn, "open", 3, "2026-11-24 02:00:00", "in_progress", "approved")
        _step(conn, "open", 4, "2026-11-25 02:00:00.000000", "approved", "completed")
        _step(conn, "open", 5, "2026-11-26 02:00:00.000000", "completed", "delivered")
        conn.commit()
        assert columns()["open"] == ("2026-11-25 02:00:00.000000", 1)


def test_0023_leaves_the_pulls_steps_to_the_pull_and_every_other_step_to_the_triggers(data_dir):
    """The pull writes the suspension count and finish time of the hub's steps with the
    case's status (services/sync_apply.py, tests/sync/test_pull_pages.py); 0007's
    triggers still count every other step, and the counts already there are kept."""
    from windowdesk.storage.migrate import _run_upgrade

    path = data_dir / "windowdesk.sqlite3"
    _run_upgrade(path, MIGRATIONS_DIR, target="0022_h29lookup_id_tail")
    with _raw(path) as conn:
        _center_operator_window_and_item(conn)
        _case_at_0006(conn, "before", "CH-20261102-01-0001")
        _step(conn, "before", 1, "2026-11-03 02:00:00", "accepted", "suspended", source="hub")
        _case_at_0006(conn, "after", "CH-20261102-01-0002")
        conn.commit()

    _run_upgrade(path, MIGRATIONS_DIR, target="0023_h29pull_hub_step_counts")  # its triggers went in 0024

    with _raw(path) as conn:

        def columns():
            return {row[0]: row[1:] for row in conn.execute("SELECT id, finished_at, suspensions FROM cases")}

        assert columns() == {"before": (None, 1), "after": (None, 0)}  # counted by 0007's trigger: kept
        _step(conn, "after", 1, "2026-11-20 02:00:00", "accepted", "suspended", source="hub")
        _step(conn, "after", 2, "2026-11-21 02:00:00", "suspended", "withdrawn", source="hub")
        assert columns()["after"] == (None, 0)  # the pull's steps: the pull writes these
        _step(conn, "before", 2, "2026-11-22 02:00:00", "suspended", "in_progress")
        _step(conn, "before", 3, "2026-11-23 02:00:00", "in_progress", "suspended")
        _step(conn, "before", 4, "2026-11-24 02:00:00", "suspended", "withdrawn")
        conn.commit()
        assert columns()["before"] == ("2026-11-24 02:00:00", 2)  # a window's steps: still the triggers'


def test_0024_leaves_the_counts_to_the_writers_and_its_downgrade_gives_0023s_triggers_back(data_dir):
    """No trigger costs the steps' inserts any more (the window's services and the pull
    count their steps: tests/integration/test_case_suspensions.py, tests/sync/test_pull_pages.py);
    the counts already stored are kept, and the downgrade counts a window's steps again."""
    from alembic import command

    from windowdesk.storage.migrate import _alembic_config, _run_upgrade

    path = data_dir / "windowdesk.sqlite3"
    _run_upgrade(path, MIGRATIONS_DIR, target="0023_h29pull_hub_step_counts")
    with _raw(path) as conn:
        _center_operator_window_and_item(conn)
        _case_at_0006(conn, "counted", "CH-20261102-01-0001")
        _step(conn, "counted", 1, "2026-11-03 02:00:00", "accepted", "suspended")
        _step(conn, "counted", 2, "2026-11-04 02:00:00", "suspended", "withdrawn")
        conn.commit()

    migrate_to_head(path, data_dir / "backups")

    def triggers(conn) -> list[str]:
        return [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'case_events' ORDER BY name"
            )
        ]

    with _raw(path) as conn:
        assert triggers(conn) == []
        assert conn.execute("SELECT finished_at, suspensions FROM cases").fetchall() == [("2026-11-04 02:00:00", 1)]
        _case_at_0006(conn, "raw", "CH-20261102-01-0002")
        _step(conn, "raw", 1, "2026-11-20 02:00:00", "accepted", "suspended")
        conn.commit()
        # Nothing in the database counts a step written around the services now.
        assert conn.execute("SELECT suspensions FROM cases WHERE id = 'raw'").fetchall() == [(0,)]

    engine = make_engine(path, "BEGIN IMMEDIATE", None, foreign_keys=False)
    try:
        with engine.begin() as connection:
            command.downgrade(_alembic_config(connection, MIGRATIONS_DIR), "0023_h29pull_hub_step_counts")
    finally:
        engine.dispose()
    with _raw(path) as conn:
        assert triggers(conn) == ["case_events_finish", "case_events_suspend"]
        _step(conn, "raw", 2, "2026-11-21 02:00:00", "suspended", "in_progress")
        _step(conn, "raw", 3, "2026-11-22 02:00:00", "in_progress", "suspended")
        _step(conn, "raw", 4, "2026-11-23 02:00:00", "suspended", "in_progress", source="hub")
        conn.commit()
        assert conn.execute("SELECT suspensions FROM cases WHERE id = 'raw'").fetchall() == [(1,)]


def test_the_counter_is_told_before_an_existing_database_is_updated(data_dir):
    from windowdesk.storage.migrate import _run_upgrade

    told = []
    fresh = data_dir / "fresh.sqlite3"
    migrate_to_head(fresh, data_dir / "backups", on_update=lambda: told.append("fresh"))
    migrate_to_head(fresh, data_dir / "backups", on_update=lambda: told.append("again"))
    old = data_dir / "old.sqlite3"
    _run_upgrade(old, MIGRATIONS_DIR, target="0006_case_watch_indexes")
    migrate_to_head(old, data_dir / "backups", on_update=lambda: told.append("old"))
    assert told == ["old"]  # a new file takes no time worth telling; one at head is not touched
    assert current_revision(old) == HEAD_REVISION


def test_outbox_numbers_are_never_given_twice(data_dir):
    """0008 rebuilds the outbox with AUTOINCREMENT: pending events keep their numbers and,
    once everything was sent and deleted, the next change still gets a higher one."""
    from windowdesk.storage.migrate import _run_upgrade

    path = data_dir / "windowdesk.sqlite3"
    _run_upgrade(path, MIGRATIONS_DIR, target="0007_case_status_indexes")
    insert = (
        "INSERT INTO outbox (event_id, entity, entity_id, kind, payload, created_at, attempts, state, "
        "last_error) VALUES (?, 'case', 'c-1', 'case.accepted', '{}', '2026-11-01 08:00:00', 0, ?, '')"
    )
    with _raw(path) as conn:
        for number, state in ((1, "pending"), (2, "rejected"), (3, "pending")):
            conn.execute(insert, (f"ev-{number}", state))
        conn.execute("DELETE FROM outbox WHERE event_id = 'ev-1'")
        conn.commit()

    migrate_to_head(path, data_dir / "backups")

    with _raw(path) as conn:
        assert conn.execute("SELECT seq, event_id, state FROM outbox ORDER BY seq").fetchall() == [
            (2, "ev-2", "rejected"),
            (3, "ev-3", "pending"),
        ]
        conn.execute("DELETE FROM outbox")  # everything confirmed by the hub
        conn.execute(insert, ("ev-4", "pending"))
        conn.commit()
        assert conn.execute("SELECT seq FROM outbox WHERE event_id = 'ev-4'").fetchone() == (4,)


def test_the_keywords_pinyin_of_a_catalog_already_here_is_stored_by_the_upgrade(data_dir):
    """0015: the item search no longer makes keys while typing, so an upgraded window
    must have its catalog's keyword keys stored before it starts."""
    from windowdesk.storage.migrate import _run_upgrade

    path = data_dir / "windowdesk.sqlite3"
    _run_upgrade(path, MIGRATIONS_DIR, target="0014_h29_resident_name_index")
    with _raw(path) as conn:
        conn.execute(
            "INSERT INTO centers (code, name, name_en, kind, address, phone, hours, timezone) "
            "VALUES ('CH', '市政务服务中心', '', 'city_hall', '', '', '', 'Asia/Shanghai')"
        )
        _window_and_item(conn)
        conn.execute("UPDATE catalog_items SET keywords = '[\"社保\", \"C1驾照\"]' WHERE code = 'MZ-001'")
        conn.commit()
    _run_upgrade(path, MIGRATIONS_DIR)
    with _raw(path) as conn:
        stored = conn.execute("SELECT keyword_pinyin FROM catalog_items WHERE code = 'MZ-001'").fetchone()[0]
    assert json.loads(stored) == [["shebao", "sb"], ["c1jiazhao", "c1jz"]]


def test_0025_folds_the_kept_events_into_the_outbox_and_its_downgrade_splits_them_back(data_dir):
    """0025: a confirmed event is marked sent in the outbox instead of copied into
    sent_events. The kept events move into the outbox as they were, sent, with their
    confirmation time; pending and refused rows are untouched; the downgrade gives
    sent_events its rows back, the same, and leaves the outbox as it was."""
    from alembic import command

    from windowdesk.storage.migrate import _alembic_config, _run_upgrade

    path = data_dir / "windowdesk.sqlite3"
    _run_upgrade(path, MIGRATIONS_DIR, target="0024_lead_steps_counted_by_writers")
    columns = "seq, event_id, entity, entity_id, kind, payload, created_at"
    kept = [
        (
            1,
            "ev-1",
            "case",
            "c-1",
            "case.accepted",
            '{"n":"一"}',
            "2026-11-01 08:00:00.000000",
            "2026-11-02 09:00:00.000000",
        ),
        (
            2,
            "ev-2",
            "case",
            "c-1",
            "case.status",
            '{"n":2}',
            "2026-11-01 08:05:00.000000",
            "2026-11-02 09:00:01.500000",
        ),
        (
            5,
            "ev-5",
            "resident",
            "r-1",
            "resident.registered",
            "{}",
            "2026-11-03 08:00:00.000000",
            "2026-11-04 10:00:00.000000",
        ),
    ]
    outbox = [  # (..., attempts, state, last_error)
        (
            3,
            "ev-3",
            "case",
            "c-2",
            "case.accepted",
            '{"n":3}',
            "2026-11-01 09:00:00.000000",
            1,
            "rejected",
            "wrong center",
        ),
        (
            6,
            "ev-6",
            "case",
            "c-3",
            "case.accepted",
            '{"n":6}',
            "2026-11-05 09:00:00.000000",
            2,
            "pending",
            "unreachable",
        ),
        (7, "ev-7", "case", "c-3", "case.status", '{"n":7}', "2026-11-05 09:01:00.000000", 0, "pending", ""),
    ]
    with _raw(path) as conn:
        conn.executemany(f"INSERT INTO sent_events ({columns}, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", kept)
        conn.executemany(
            f"INSERT INTO outbox ({columns}, attempts, state, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", outbox
        )
        conn.commit()

    migrate_to_head(path, data_dir / "backups")

    with _raw(path) as conn:
        assert "sent_events" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        rows = conn.execute(
            f"SELECT {columns}, attempts, state, last_error, confirmed_at FROM outbox ORDER BY seq"
        ).fetchall()
        assert rows == sorted([(*row[:7], 0, "sent", "", row[7]) for row in kept] + [(*row, None) for row in outbox])
        # The push reads the pending rows, the status bar counts them, from indexes of their own.
        assert conn.execute(
            "SELECT seq FROM outbox INDEXED BY ix_outbox_pending WHERE state = 'pending'"
        ).fetchall() == [
            (6,),
            (7,),
        ]
        assert conn.execute(
            "SELECT seq FROM outbox INDEXED BY ix_outbox_rejected WHERE state = 'rejected'"
        ).fetchall() == [(3,)]
        # A new event still gets a number never given before.
        conn.execute(
            "INSERT INTO outbox (event_id, entity, entity_id, kind, payload, created_at, attempts, state, last_error) "
            "VALUES ('ev-8', 'case', 'c-4', 'case.accepted', '{}', '2026-11-06 08:00:00', 0, 'pending', '')"
        )
        conn.commit()
        assert conn.execute("SELECT seq FROM outbox WHERE event_id = 'ev-8'").fetchone() == (8,)

    engine = make_engine(path, "BEGIN IMMEDIATE", None, foreign_keys=False)
    try:
        with engine.begin() as connection:
            command.downgrade(_alembic_config(connection, MIGRATIONS_DIR), "0024_lead_steps_counted_by_writers")
    finally:
        engine.dispose()
    with _raw(path) as conn:
        assert conn.execute(f"SELECT {columns}, confirmed_at FROM sent_events ORDER BY seq").fetchall() == kept
        assert conn.execute(f"SELECT {columns}, attempts, state, last_error FROM outbox ORDER BY seq").fetchall() == [
            *outbox,
            (8, "ev-8", "case", "c-4", "case.accepted", "{}", "2026-11-06 08:00:00", 0, "pending", ""),
        ]
        indexes = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox'")
        }
        assert {"ix_outbox_state", "ix_outbox_entity_id"} <= indexes
        assert not {"ix_outbox_pending", "ix_outbox_rejected", "ix_outbox_confirmed_at"} & indexes
        assert "confirmed_at" not in {r[1] for r in conn.execute("PRAGMA table_info(outbox)")}
    # The two tables as 0024 makes them, statement for statement.
    fresh = data_dir / "fresh.sqlite3"
    _run_upgrade(fresh, MIGRATIONS_DIR, target="0024_lead_steps_counted_by_writers")
    both = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('outbox', 'sent_events') ORDER BY name"
    with _raw(path) as conn, _raw(fresh) as made:
        assert conn.execute(both).fetchall() == made.execute(both).fetchall()
