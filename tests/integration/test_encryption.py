"""The database and its backups are encrypted; the key lives in the keyring."""

from __future__ import annotations

import contextlib
import sqlite3
import sys

import keyring
import pytest
from keyring.backends import fail

from windowdesk.errors import StartupError
from windowdesk.services import applicants
from windowdesk.storage.backup import backup_database
from windowdesk.storage.crypto import connect_raw, new_key
from windowdesk.storage.keys import DEMO_KEY_FILE, database_key
from windowdesk.storage.migrate import current_revision, migrate_to_head
from windowdesk.storage.migrations import HEAD_REVISION


def _first_demo_resident(demo):
    found = applicants.find_residents(demo.db, demo.ctx, query="2309")
    assert found
    with contextlib.closing(connect_raw(demo.db.path, demo.db.key)) as conn:
        number = conn.execute("SELECT id_number, name FROM residents LIMIT 1").fetchone()
    return number


def test_file_shows_nothing_readable_without_the_key(demo):
    id_number, name = _first_demo_resident(demo)
    demo.db.dispose()
    raw = demo.db.path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    for secret in (id_number.encode(), name.encode("utf-8"), "市政务服务中心".encode()):
        assert secret not in raw
    with contextlib.closing(sqlite3.connect(demo.db.path)) as plain, pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT * FROM residents").fetchall()


def test_wrong_key_stops_start_up_in_plain_words(demo):
    demo.db.dispose()
    with pytest.raises(StartupError) as caught:
        current_revision(demo.db.path, new_key())
    assert "key does not fit" in caught.value.message and "backups" in caught.value.message


def test_backups_are_encrypted_with_the_same_key(demo, tmp_path):
    id_number, _name = _first_demo_resident(demo)
    copy = backup_database(demo.db.path, tmp_path / "copies", "test", key=demo.db.key)
    assert id_number.encode() not in copy.read_bytes()
    with contextlib.closing(connect_raw(copy, demo.db.key)) as conn:
        assert conn.execute("SELECT count(*) FROM residents WHERE id_number = ?", (id_number,)).fetchone() == (1,)
    with pytest.raises(sqlite3.DatabaseError), contextlib.closing(sqlite3.connect(copy)) as plain:
        plain.execute("SELECT * FROM residents").fetchall()


def test_key_is_made_once_and_kept_in_the_keyring(tmp_path):
    path = tmp_path / "windowdesk.sqlite3"
    key = database_key(path)
    assert database_key(path) == key and len(key) == 32
    assert keyring.get_password("windowdesk-database", str(path.resolve())) == key.hex()
    migrate_to_head(path, tmp_path / "backups", key=key)
    assert current_revision(path, database_key(path)) == HEAD_REVISION


def test_missing_key_for_an_existing_file_refuses_to_guess(tmp_path):
    path = tmp_path / "windowdesk.sqlite3"
    migrate_to_head(path, tmp_path / "backups", key=new_key())
    with pytest.raises(StartupError) as caught:
        database_key(path)
    assert "not in this computer's keyring" in caught.value.message


def test_no_keyring_is_explained_and_demo_data_still_opens(tmp_path):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(StartupError) as caught:
            database_key(tmp_path / "real.sqlite3")
        assert "Administrator" in caught.value.message
        if sys.platform.startswith("linux"):  # the packaged app names what to install
            assert "apt install gnome-keyring" in caught.value.message
        demo_key = database_key(tmp_path / "demo.sqlite3", demo=True)
        assert (tmp_path / DEMO_KEY_FILE).read_text() == demo_key.hex()
        assert database_key(tmp_path / "demo.sqlite3", demo=True) == demo_key
    finally:
        keyring.set_keyring(previous)
