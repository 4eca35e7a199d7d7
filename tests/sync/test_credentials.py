"""The workstation token lives in the keyring, never in the database."""

from __future__ import annotations

import sys

import keyring
import pytest
from keyring.backends import fail

from windowdesk.storage.crypto import connect_raw
from windowdesk.sync.credentials import KeyringUnavailable, TokenStore


def test_token_round_trips_through_the_keyring_file(temp_keyring, tmp_path):
    store = TokenStore("http://hub.example#ws-1")
    assert store.get() is None
    store.set("secret-token-123")
    assert TokenStore("http://hub.example#ws-1").get() == "secret-token-123"
    assert TokenStore("http://hub.example#ws-2").get() is None
    stored = (tmp_path / "keyring" / "keyring_pass.cfg").read_text()
    assert "windowdesk" in stored  # it really went to the backend's file
    store.delete()
    assert store.get() is None


def test_no_keyring_says_so_plainly():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(KeyringUnavailable) as caught:
            TokenStore("acct").set("x")
    finally:
        keyring.set_keyring(previous)
    message = caught.value.message
    assert "keyring" in message and "Administrator" in message and "offline" in message
    if sys.platform.startswith("linux"):  # the packaged app names what to install
        assert "apt install gnome-keyring" in message


def test_token_never_lands_in_the_database(temp_keyring, demo):
    TokenStore("acct").set("very-secret-token-value")
    connection = connect_raw(demo.db.path, demo.db.key)
    try:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        dump = "\n".join(repr(row) for table in tables for row in connection.execute(f'SELECT * FROM "{table}"'))
        assert "sync" in dump or "workstation" in dump  # the decrypted rows really were read
    finally:
        connection.close()
    assert "very-secret-token-value" not in dump
