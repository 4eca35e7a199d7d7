"""What the hub writes (its SQLite database and journals, locks, backups, the database a
restore replaces) is readable by the hub's user only: files 0600, folders 0700, whatever
the umask it was started with; and an older hub's files are made so."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from windowdesk.hub.storage.database import HubDatabase

from ..sync.hub_process import child_env, hub_command
from .conftest import Hub

LOOSE_UMASK = 0o022  # what a login shell and systemd's default leave: files 0644


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _hub(*args: str, umask: int = LOOSE_UMASK) -> str:
    """``windowdesk-hub`` as its own process, started with ``umask``."""
    finished = subprocess.run(
        [*hub_command(), *args],
        capture_output=True,
        text=True,
        env=child_env(LANGUAGE="en"),
        preexec_fn=lambda: os.umask(umask),
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


def _everything_under(folder: Path) -> list[Path]:
    return [folder, *folder.rglob("*")]


def test_a_new_hub_and_its_backups_are_private_to_its_user_whatever_the_umask(
    hub: Hub, backend: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "new-hub"
    url_args = [] if backend == "sqlite" else ["--database-url", hub.url]
    _hub("migrate", "--data-dir", str(data_dir), *url_args)
    out = _hub("backup", "--data-dir", str(data_dir), *url_args)
    copy = Path(re.search(r"Backed up the hub to (.+) \(", out).group(1))
    assert copy.parent == data_dir / "backups"
    elsewhere = tmp_path / "disk" / "nightly"
    _hub("backup", "--data-dir", str(data_dir), *url_args, "--to", str(elsewhere))
    _hub("restore", "--data-dir", str(data_dir), *url_args, str(copy))

    written = _everything_under(data_dir) + _everything_under(elsewhere)
    if backend == "sqlite":
        names = {path.name for path in written}
        assert {"hub.sqlite3", "hub.sqlite3-serving.lock"} <= names
        assert any(name.startswith("hub-replaced-") for name in names)  # what the restore replaced
    assert [path.name for path in written if path.name.startswith("hub-2")]  # the backups
    loose = {
        str(path.relative_to(tmp_path)): oct(_mode(path))
        for path in written
        if _mode(path) != (0o700 if path.is_dir() else 0o600)
    }
    assert loose == {}
    assert _mode(elsewhere.parent) == 0o700  # folders made for a backup too


def test_an_older_hubs_files_lose_the_rights_of_the_group_and_of_others(hub: Hub, tmp_path: Path) -> None:
    data_dir, backups = Path(hub.data_dir), Path(hub.data_dir) / "backups"
    old_copy = backups / "hub-20261101T023000000000Z.sqlite3"
    backups.mkdir()
    old_copy.write_bytes(b"an older hub's backup")
    for path, mode in ((data_dir, 0o755), (backups, 0o755), (old_copy, 0o644)):
        os.chmod(path, mode)
    # The fixture's database: on SQLite a file the test copied, 0644.
    _hub("list-workstations", "--data-dir", str(data_dir), "--database-url", hub.url)
    assert (_mode(data_dir), _mode(backups), _mode(old_copy)) == (0o700, 0o700, 0o600)
    if hub.url.startswith("sqlite"):
        assert _mode(data_dir / "hub.sqlite3") == 0o600


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_the_database_is_private_even_when_made_without_the_command_line(tmp_path: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        db = HubDatabase(f"sqlite:///{tmp_path / 'made' / 'here' / 'hub.sqlite3'}")
        with db.write() as session:
            session.execute(text("CREATE TABLE t (x)"))
        db.dispose()
    finally:
        os.umask(previous)
    made = tmp_path / "made"
    assert {str(path.relative_to(tmp_path)): oct(_mode(path)) for path in _everything_under(made)} == {
        "made": "0o700",
        "made/here": "0o700",
        "made/here/hub.sqlite3": "0o600",
        "made/here/hub.sqlite3-writer.lock": "0o600",
        **{
            f"made/here/hub.sqlite3{suffix}": "0o600"
            for suffix in ("-wal", "-shm")
            if (made / "here" / f"hub.sqlite3{suffix}").exists()
        },
    }
