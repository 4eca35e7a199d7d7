"""The window remembers which keyring backend holds its database key and loads that one
alone at its next start, instead of keyring's discovery of every backend (issue 29,
aim 6): the key is still read from, and written to, the same keyring as before. The
rules here; the real starts in tests/integration/test_start_imports.py."""

from __future__ import annotations

import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring

from windowdesk.errors import StartupError
from windowdesk.storage.keyring_choice import REMEMBERED_FILE, choose_keyring, remember_keyring
from windowdesk.storage.keys import KEYRING_SERVICE, database_key, keyring_account

FILE_KEYRING = "keyrings.alt.file.PlaintextKeyring"


@pytest.fixture
def own_keyring_folders(tmp_path, monkeypatch) -> Path:
    """keyring's data and configuration folders of this test only; the backend of the test
    (conftest's _private_keyring) is put back afterwards."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def test_a_remembered_keyring_without_this_databases_key_is_not_used(own_keyring_folders):
    folder = own_keyring_folders
    database = folder / "windowdesk.sqlite3"
    database.write_bytes(b"")  # a database whose key lies elsewhere
    test_backend = keyring.get_keyring()
    test_backend.set_password(KEYRING_SERVICE, keyring_account(database), "ab" * 32)
    (folder / REMEMBERED_FILE).write_text(FILE_KEYRING)  # a file keyring of another folder: empty
    assert choose_keyring(folder, database).remember is True
    assert keyring.get_keyring() is test_backend  # left as found: keyring's own choice stands
    assert database_key(database) == bytes.fromhex("ab" * 32)


def test_only_keyring_backends_are_ever_loaded_by_the_remembered_name(own_keyring_folders):
    folder = own_keyring_folders
    database = folder / "windowdesk.sqlite3"
    test_backend = keyring.get_keyring()
    assert "this" not in sys.modules
    for name in ("this.Zen", "keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"):
        (folder / REMEMBERED_FILE).write_text(name)
        assert choose_keyring(folder, database).remember is True
        assert keyring.get_keyring() is test_backend
    assert "this" not in sys.modules  # a module outside keyring's backends is never imported

    (folder / REMEMBERED_FILE).write_text(FILE_KEYRING)
    assert choose_keyring(folder, database).remember is True  # no database yet: the remembered one is used
    chosen = keyring.get_keyring()
    assert type(chosen) is PlaintextKeyring
    assert chosen.file_path.startswith(str(folder.parent / "xdg"))


def test_the_backend_in_use_is_remembered_once(own_keyring_folders):
    folder = own_keyring_folders
    remember_keyring(folder)
    assert (folder / REMEMBERED_FILE).read_text().strip() == FILE_KEYRING  # conftest's file keyring
    keyring.set_keyring(fail.Keyring())
    (folder / REMEMBERED_FILE).unlink()
    remember_keyring(folder)  # no keyring at all (a demo folder's key then lies in a file)
    assert not (folder / REMEMBERED_FILE).exists()


def test_a_warm_start_asks_the_remembered_keyring_for_the_key_once(own_keyring_folders, monkeypatch):
    folder = own_keyring_folders
    database = folder / "windowdesk.sqlite3"
    (folder / REMEMBERED_FILE).write_text(FILE_KEYRING)
    reads: list[str] = []
    real_read = PlaintextKeyring.get_password

    def counted_read(self, service, username):
        reads.append(username)
        return real_read(self, service, username)

    monkeypatch.setattr(PlaintextKeyring, "get_password", counted_read)
    choose_keyring(folder, database)  # no database yet: the remembered file keyring, this test's own, is used
    keyring.get_keyring().set_password(KEYRING_SERVICE, keyring_account(database), "cd" * 32)
    database.write_bytes(b"")
    reads.clear()

    choice = choose_keyring(folder, database)
    assert choice.key_text == "cd" * 32
    assert database_key(database, key_text=choice.key_text) == bytes.fromhex("cd" * 32)
    assert reads == [keyring_account(database)]  # the check's read is the key's read


def test_a_key_read_by_the_check_is_the_one_the_keyring_holds_even_if_it_is_not_a_key(own_keyring_folders):
    folder = own_keyring_folders
    database = folder / "windowdesk.sqlite3"
    (folder / REMEMBERED_FILE).write_text(FILE_KEYRING)
    choose_keyring(folder, database)
    keyring.get_keyring().set_password(KEYRING_SERVICE, keyring_account(database), "ab" * 3)  # too short
    database.write_bytes(b"")
    choice = choose_keyring(folder, database)
    with pytest.raises(StartupError, match="missing"):  # as when the keyring is read a second time
        database_key(database, key_text=choice.key_text)
