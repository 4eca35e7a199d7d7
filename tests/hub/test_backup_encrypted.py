"""Encrypted backups of the hub, on SQLite and PostgreSQL, through the administrator's
commands: ``backup`` encrypts with a key file or a passphrase, ``check-backup`` and
``restore`` open the copy with it; a wrong key, a changed file or a missing key is
refused in words and changes nothing; no clear copy is left on the disk."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from windowdesk.hub.cli import main
from windowdesk.hub.storage.backup_crypt import CHUNK_SIZE, HEADER_SIZE, MAGIC
from windowdesk.sync.protocol import APPLIED

from .conftest import EventFactory, Hub
from .test_backup import _pushed

ENGLISH = {"LANGUAGE": "en"}
ID_NUMBER = "230902196210010496"  # the resident EventFactory registers


def _run(hub: Hub, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(hub.cli_args(*args), environ=ENGLISH)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _key(hub: Hub, capsys: pytest.CaptureFixture[str], path: Path) -> Path:
    code, out, err = _run(hub, capsys, "backup-key", str(path))
    assert code == 0, err
    assert f"Wrote a new backup key to {path}" in out
    return path


def _clear_copies(hub: Hub) -> list[Path]:
    """Clear copies a backup, a check or a restore could have left: beside the database
    and in the system's temporary folder."""
    return [*Path(hub.data_dir).glob(".hub-clear-*"), *Path(tempfile.gettempdir()).glob(".hub-clear-*")]


def _encrypted_backup(hub: Hub, events: EventFactory, capsys, folder: Path, *key_args: str) -> Path:
    hub.import_demo_catalog()
    workstation = hub.enroll()
    assert hub.push_results(workstation, [events.resident()]) == [(APPLIED, "")]
    code, out, err = _run(hub, capsys, "backup", "--to", str(folder), *key_args)
    assert code == 0, err
    copy = Path(re.search(r"Backed up the hub to (.+) \(", out).group(1))
    assert "It is encrypted with the key in" in out
    assert copy.name.endswith((".sqlite3.enc", ".pgdump.enc"))
    assert [path.name for path in folder.iterdir()] == [copy.name]  # no partial, no clear copy
    return copy


def test_an_encrypted_backup_is_checked_and_restored_with_its_key_and_holds_nothing_readable(
    hub: Hub, events: EventFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "keys").mkdir()  # kept elsewhere than the copies
    key = _key(hub, capsys, tmp_path / "keys" / "backup.key")
    copy = _encrypted_backup(hub, events, capsys, tmp_path / "copies", "--key-file", str(key))
    sealed = copy.read_bytes()
    assert sealed.startswith(MAGIC)
    assert ID_NUMBER.encode() not in sealed and b"SQLite format 3" not in sealed and b"PGDMP" not in sealed
    pushed = _pushed(hub.url)

    code, out, err = _run(hub, capsys, "check-backup", str(copy), "--key-file", str(key))
    assert code == 0, err
    assert f"{copy} is a whole backup of a hub; restore can use it." in out

    later = events.resident(id_number="11010519491231002X", name="李秀英")
    workstation = hub.enroll("CH", "02")
    assert hub.push_results(workstation, [later]) == [(APPLIED, "")]
    hub.db.dispose()
    code, out, err = _run(hub, capsys, "restore", str(copy), "--key-file", str(key))
    assert code == 0, err
    assert f"Restored the hub from {copy}." in out
    assert _pushed(hub.url) == pushed
    assert _clear_copies(hub) == []


def test_a_passphrase_from_the_environment_encrypts_and_opens_a_backup(
    hub: Hub, events: EventFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("门前大桥下，游过一群鸭，快来快来数一数\n", encoding="utf-8")
    monkeypatch.setenv("WINDOWDESK_HUB_BACKUP_PASSPHRASE_FILE", str(passphrase))
    copy = _encrypted_backup(hub, events, capsys, tmp_path / "copies")
    pushed = _pushed(hub.url)
    assert _run(hub, capsys, "check-backup", str(copy))[0] == 0

    # Given as an option instead, and the wrong kind: said which kind it needs.
    monkeypatch.delenv("WINDOWDESK_HUB_BACKUP_PASSPHRASE_FILE")
    key = _key(hub, capsys, tmp_path / "backup.key")
    code, _out, err = _run(hub, capsys, "check-backup", str(copy), "--key-file", str(key))
    assert code == 2 and "was encrypted with a passphrase, not a key file: give it with --passphrase-file" in err

    hub.db.dispose()
    code, _out, err = _run(hub, capsys, "restore", str(copy), "--passphrase-file", str(passphrase))
    assert code == 0, err
    assert _pushed(hub.url) == pushed


def _damaged_copies(copy: Path, folder: Path) -> dict[str, Path]:
    sealed = copy.read_bytes()
    flipped = bytearray(sealed)
    flipped[HEADER_SIZE + min(len(sealed) - HEADER_SIZE - 1, CHUNK_SIZE // 2)] ^= 0x20
    variants = {"flipped": bytes(flipped), "cut": sealed[:-100], "appended": sealed + b"\n# more"}
    made = {}
    for name, data in variants.items():
        made[name] = folder / f"{name}-{copy.name}"
        made[name].write_bytes(data)
    return made


def test_a_wrong_key_a_changed_copy_or_a_missing_key_is_refused_and_nothing_changes(
    hub: Hub, events: EventFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    key = _key(hub, capsys, tmp_path / "backup.key")
    copy = _encrypted_backup(hub, events, capsys, tmp_path / "copies", "--key-file", str(key))
    other_key = _key(hub, capsys, tmp_path / "other.key")
    later = events.resident(id_number="11010519491231002X", name="李秀英")
    assert hub.push_results(hub.enroll("CH", "02"), [later]) == [(APPLIED, "")]
    pushed = _pushed(hub.url)
    hub.db.dispose()

    for command in ("check-backup", "restore"):
        code, out, err = _run(hub, capsys, command, str(copy), "--key-file", str(other_key))
        assert (code, out) == (2, "")
        assert f"The key given does not open {copy}: it was encrypted with another key or passphrase" in err
        code, out, err = _run(hub, capsys, command, str(copy))
        assert (code, out) == (2, "") and f"{copy} is encrypted. Give its key" in err
        for how, damaged in _damaged_copies(copy, tmp_path).items():
            code, out, err = _run(hub, capsys, command, str(damaged), "--key-file", str(key))
            assert (code, out) == (2, ""), how
            assert f"{damaged} was changed or damaged after it was written" in err, how
            assert "Nothing was changed" in err
        # A clear copy where an encrypted one is expected is not taken for one.
        code, out, err = _run(hub, capsys, "backup", "--to", str(tmp_path / "clear"))
        clear = Path(re.search(r"Backed up the hub to (.+) \(", out).group(1))
        code, out, err = _run(hub, capsys, command, str(clear), "--key-file", str(key))
        assert code == 2 and f"{clear} is not encrypted, yet a key was given" in err
    assert _pushed(hub.url) == pushed
    assert _clear_copies(hub) == []
    assert not list(Path(hub.data_dir).glob("*.partial"))


def test_backup_key_never_overwrites_a_key(hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    key = _key(hub, capsys, tmp_path / "backup.key")
    written = key.read_text()
    code, _out, err = _run(hub, capsys, "backup-key", str(key))
    assert code == 2 and "already exists; a key file is never overwritten" in err
    assert key.read_text() == written
