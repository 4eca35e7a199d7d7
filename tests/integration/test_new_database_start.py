"""A start on an empty data folder writes its new database on a worker thread while the UI
thread starts Qt and imports the first screen's modules (windowdesk/new_storage.py; issue
29, aim 6), and a failure in that work is reported as before and leaves no database behind.

The starts run in this process (``windowdesk.app.run``, as ``python -m windowdesk`` calls
it) with the test's file keyring and a real SQLite file; which thread sent each statement is
read from SQLAlchemy's own ``before_cursor_execute`` event."""

from __future__ import annotations

import json
import logging
import shutil
import threading
from argparse import Namespace
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from windowdesk import app
from windowdesk.new_storage import THREAD_NAME
from windowdesk.paths import resolve_data_paths, resources_dir
from windowdesk.services import bootstrap, workstation
from windowdesk.storage.db import Database
from windowdesk.storage.keys import database_key

# What the demo's data is written into: the shipped catalog, the demo operator, its residents.
DEMO_TABLES = ("catalog_items", "operators", "residents", "organisations")


@pytest.fixture
def statements_by_thread() -> Iterator[list[tuple[str, str]]]:
    """(thread name, SQL) of every statement any engine of this process sends meanwhile."""
    sent: list[tuple[str, str]] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        sent.append((threading.current_thread().name, statement))

    event.listen(Engine, "before_cursor_execute", record)
    yield sent
    event.remove(Engine, "before_cursor_execute", record)


@pytest.fixture
def windowdesk_log_restored() -> Iterator[None]:
    """``app.run`` sends windowdesk's log to the data folder: undone after the test."""
    logger = logging.getLogger("windowdesk")
    handlers, level = list(logger.handlers), logger.level
    yield
    for handler in [h for h in logger.handlers if h not in handlers]:
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(level)


def _start(data: Path, shot: Path, *, demo: bool) -> int:
    return app.run(Namespace(data_dir=str(data), demo=demo, smoke_test=str(shot), locale="en"))


def _inserts_into(sent: list[tuple[str, str]], table: str) -> set[str]:
    """The threads that inserted rows into ``table``."""
    return {thread for thread, sql in sent if sql.lstrip().upper().startswith(f"INSERT INTO {table.upper()} ")}


def test_a_demo_first_start_writes_the_demo_data_off_the_ui_thread_and_shows_the_main_window(
    qapp, tmp_path, statements_by_thread, windowdesk_log_restored
):
    data, shot = tmp_path / "data", tmp_path / "shot.png"

    assert _start(data, shot, demo=True) == 0

    assert shot.stat().st_size > 0
    for table in DEMO_TABLES:
        assert _inserts_into(statements_by_thread, table) == {THREAD_NAME}, table
    # The demo operator was logged in there too: the login's audit entry.
    assert _inserts_into(statements_by_thread, "audit_log") >= {THREAD_NAME}
    assert threading.current_thread() is threading.main_thread()
    database = resolve_data_paths(str(data)).database
    db = Database(database, key=database_key(database))
    try:
        assert bootstrap.is_demo_folder(db) and bootstrap.demo_password_in_use(db)
        assert workstation.is_configured(db)
    finally:
        db.dispose()


def test_a_real_first_start_imports_the_catalog_off_the_ui_thread(
    qapp, tmp_path, statements_by_thread, windowdesk_log_restored
):
    assert _start(tmp_path / "data", tmp_path / "first-run.png", demo=False) == 0

    assert _inserts_into(statements_by_thread, "catalog_items") == {THREAD_NAME}
    assert not _inserts_into(statements_by_thread, "operators")  # the first-run set-up makes the operator


def test_a_start_on_an_existing_database_prepares_it_on_the_ui_thread(
    qapp, tmp_path, statements_by_thread, windowdesk_log_restored
):
    """An existing database may need a backup and an update, announced by a notice of the
    UI thread: it is opened there, as before."""
    data = tmp_path / "data"
    assert _start(data, tmp_path / "first.png", demo=True) == 0
    statements_by_thread.clear()

    assert _start(data, tmp_path / "second.png", demo=True) == 0

    assert statements_by_thread and {thread for thread, _sql in statements_by_thread} == {"MainThread"}


def _resources_with_a_broken_catalog(tmp_path: Path) -> Path:
    """The shipped resources, but the first catalog item in a department the catalog lacks:
    the catalog import fails after the new database was made and marked as a demo folder."""
    copy = tmp_path / "resources"
    shutil.copytree(resources_dir(), copy)
    items_file = copy / "catalog" / "items.json"
    items = json.loads(items_file.read_text(encoding="utf-8"))
    items["items"][0]["department"] = "NO-SUCH-DEPARTMENT"
    items_file.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return copy


def test_a_failed_demo_first_start_says_why_and_leaves_no_half_made_database(
    qapp, tmp_path, monkeypatch, capsys, windowdesk_log_restored
):
    data, shot = tmp_path / "data", tmp_path / "shot.png"
    database = resolve_data_paths(str(data)).database
    monkeypatch.setenv("WINDOWDESK_RESOURCES", str(_resources_with_a_broken_catalog(tmp_path)))

    assert _start(data, shot, demo=True) == 2

    said = capsys.readouterr().err
    assert "MZ-001" in said and "NO-SUCH-DEPARTMENT" in said, said
    assert not shot.exists()
    assert not database.exists()
    assert not [p for p in database.parent.iterdir() if p.name.startswith(database.name)]

    # The next start, with the shipped catalog, makes the whole demo afresh.
    monkeypatch.delenv("WINDOWDESK_RESOURCES")
    assert _start(data, shot, demo=True) == 0
    assert shot.stat().st_size > 0
