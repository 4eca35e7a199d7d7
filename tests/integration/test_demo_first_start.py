"""A ``--demo`` first start hashes the demo password twice, not three times (issue 29,
aim 6): once to store the demo account's password, once to log it in. Checking first that
the demo folder still has the published password was a third hash, needless in a folder
made at this very start; a start on an existing demo folder still checks it (the password
may have been changed since: then the login screen stands).

The starts run in this process (``windowdesk.app.run``, as ``python -m windowdesk`` calls
it) on a real SQLite file with the test's file keyring; the hashes are counted at
``hashlib.scrypt`` itself, which still computes each of them."""

from __future__ import annotations

import hashlib
import logging
from argparse import Namespace
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from windowdesk import app
from windowdesk.paths import resolve_data_paths
from windowdesk.services import auth, bootstrap, preferences, workstation
from windowdesk.storage import models as m
from windowdesk.storage.db import Database
from windowdesk.storage.keys import database_key


@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per scrypt hash computed meanwhile (each computed by hashlib as always)."""
    calls: list[int] = []
    real: Callable[..., bytes] = hashlib.scrypt

    def counted(*args, **kwargs) -> bytes:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counted)
    return calls


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


def _start(data: Path, shot: Path) -> int:
    return app.run(Namespace(data_dir=str(data), demo=True, smoke_test=str(shot), locale="en"))


def _open(data: Path) -> Database:
    database = resolve_data_paths(str(data)).database
    return Database(database, key=database_key(database))


def _logins(db: Database) -> int:
    with db.read() as session:
        return session.query(m.AuditEntry).filter_by(action="login").count()


def test_a_demo_first_start_hashes_the_demo_password_once_and_logs_it_in_with_one_more(
    qapp, tmp_path, scrypt_calls, windowdesk_log_restored
):
    data, shot = tmp_path / "data", tmp_path / "shot.png"

    assert _start(data, shot) == 0

    assert shot.stat().st_size > 0
    assert len(scrypt_calls) == 2
    db = _open(data)
    try:
        assert workstation.is_configured(db) and bootstrap.demo_password_in_use(db)
        assert _logins(db) == 1  # the demo account logged in, as on every demo start
    finally:
        db.dispose()


def test_a_start_on_an_existing_demo_folder_still_checks_the_demo_password(
    qapp, tmp_path, scrypt_calls, windowdesk_log_restored
):
    data = tmp_path / "data"
    assert _start(data, tmp_path / "first.png") == 0
    db = _open(data)
    try:
        ctx = auth.log_in(db, login=bootstrap.DEMO_LOGIN, password=bootstrap.DEMO_PASSWORD).ctx
        auth.change_password(db, ctx, current=bootstrap.DEMO_PASSWORD, new="Harbour-Quill-7305")
        logins = _logins(db)
    finally:
        db.dispose()
    scrypt_calls.clear()

    assert _start(data, tmp_path / "second.png") == 0

    # The published password was checked, and no longer opens the folder: nobody logged in,
    # the login screen stands (what --smoke-test drew).
    assert len(scrypt_calls) == 1
    db = _open(data)
    try:
        assert _logins(db) == logins
    finally:
        db.dispose()


def test_a_smoke_test_start_leaves_no_window_on_screen_and_keeps_no_size(qapp, tmp_path, windowdesk_log_restored):
    """The main window drawn by ``--smoke-test`` is closed once drawn: left open, it went on
    counting idle minutes and opened its modal lock five minutes later, over whatever
    window came next in the same process. Closed without keeping its size either: the
    next real start opens maximised, as a first start does."""
    before = set(qapp.topLevelWidgets())
    data = tmp_path / "data"

    assert _start(data, tmp_path / "shot.png") == 0

    opened = [widget for widget in qapp.topLevelWidgets() if widget not in before]
    assert any(type(widget).__name__ == "MainWindow" for widget in opened), "the demo start drew its main window"
    assert [widget for widget in opened if widget.isVisible()] == []
    db = _open(data)
    try:
        assert preferences.window_geometry(db) == (None, False)
    finally:
        db.dispose()
