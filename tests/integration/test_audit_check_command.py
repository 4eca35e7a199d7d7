"""``windowdesk audit-check`` reports a whole chain, and any break in it."""

from __future__ import annotations

import contextlib

import pytest

from windowdesk.app import prepare_storage
from windowdesk.cli import main
from windowdesk.paths import DataPaths
from windowdesk.storage.crypto import connect_raw
from windowdesk.storage.keys import database_key


@pytest.fixture(autouse=True)
def _english_cli(monkeypatch):
    monkeypatch.setenv("WINDOWDESK_LOCALE", "en")


def _demo_data(tmp_path) -> DataPaths:
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    db, _calendar = prepare_storage(paths, demo=True)
    db.dispose()
    return paths


def test_whole_chain_passes(tmp_path, capsys):
    paths = _demo_data(tmp_path)
    assert main(["audit-check", "--data-dir", str(paths.root)]) == 0
    assert "whole" in capsys.readouterr().out


def test_changed_and_removed_entries_are_reported(tmp_path, capsys):
    paths = _demo_data(tmp_path)
    with contextlib.closing(connect_raw(paths.database, database_key(paths.database))) as conn:
        conn.execute("UPDATE audit_log SET action = 'nothing.happened' WHERE seq = 3")
        conn.execute("DELETE FROM audit_log WHERE seq = 6")
        conn.commit()
    assert main(["audit-check", "--data-dir", str(paths.root)]) == 1
    out = capsys.readouterr().out
    assert "Entry 3: its content was changed." in out
    assert "Entry 7: the entry before it was changed or removed." in out


def test_missing_database_is_said_plainly(tmp_path, capsys):
    assert main(["audit-check", "--data-dir", str(tmp_path / "empty")]) == 2
    assert "There is no database" in capsys.readouterr().err


def test_a_folder_name_that_would_command_the_terminal_is_shown_not_obeyed(tmp_path, capsys):
    # A name can hold any character but "/": here one that clears the screen and one that
    # turns the rest of the line around.
    folder = tmp_path / "\x1b[2J\x1b[Hdata\u202etxt.exe"
    assert main(["audit-check", "--data-dir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "There is no database" in err
    assert "\x1b" not in err and "\u202e" not in err
    assert "\\u001b[2J\\u001b[Hdata\\u202etxt.exe" in err
