"""The online applications in the hub's backups, on both databases: the page files copied
beside the backup (once per folder, checked by hash), the personal-data key carried only
by an encrypted backup, ``check-backup`` refusing a cut or changed page file and a key
that does not open the sealed rows, and ``restore`` on another machine (an empty data
folder) after which a department reads the application's values and pages. A different
personal key already in the data folder is never overwritten."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from windowdesk.hub.app import create_app
from windowdesk.hub.cli import main
from windowdesk.hub.services import backup_status, enrollment
from windowdesk.hub.services.console_rights import ADMINISTRATOR, ConsoleActor
from windowdesk.hub.services.online_uploads import Upload
from windowdesk.hub.settings import HubSettings
from windowdesk.hub.storage import application_backup, backup_crypt
from windowdesk.hub.storage.application_files import ApplicationFiles
from windowdesk.hub.storage.backup_crypt import BackupKey
from windowdesk.hub.storage.database import HubDatabase, sqlite_path
from windowdesk.hub.storage.sealing import sealer_for
from windowdesk.sync.protocol import API_PREFIX

from .conftest import VERSION_HEADERS, Hub
from .test_online_applications import _pdf, _photo, _submit

ENGLISH = {"LANGUAGE": "en"}


def _run(
    hub: Hub, capsys: pytest.CaptureFixture[str], *args: str, data_dir: Path | None = None, url: str | None = None
) -> tuple[int, str, str]:
    code = main([*args, "--data-dir", str(data_dir or hub.data_dir), "--database-url", url or hub.url], environ=ENGLISH)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _application(hub: Hub) -> str:
    """One application with three pages (a photo, a PDF of two pages); its id."""
    hub.import_demo_catalog()
    files = ApplicationFiles(hub.data_dir, sealer_for(hub.data_dir))
    sent = _submit(
        hub,
        files,
        uploads=[Upload("M01", "id.jpg", _photo()), Upload("M03", "form.pdf", _pdf(2))],
        now=dt.datetime.now(dt.UTC),
    )
    return sent.application_id


def _backup(hub: Hub, capsys, folder: Path, *more: str) -> tuple[Path, str]:
    code, out, err = _run(hub, capsys, "backup", "--to", str(folder), *more)
    assert code == 0, err
    return Path(re.search(r"Backed up the hub to (.+) \(", out).group(1)), out


def _key(hub: Hub, capsys, path: Path) -> Path:
    assert _run(hub, capsys, "backup-key", str(path))[0] == 0
    return path


def _department_reads(url: str, data_dir: Path, application_id: str) -> tuple[dict[str, str], list[str]]:
    """What the item's department reads over the staff API of the hub of ``data_dir``: the
    values, and each page's hash as its bytes give it (checked against the listed one)."""
    db = HubDatabase(url)
    try:
        with db.write() as session:
            token = enrollment.issue_staff_token(session, department_code="MZJ", now=dt.datetime.now(dt.UTC)).token
        headers = {**VERSION_HEADERS, "Authorization": f"Bearer {token}"}
        with TestClient(create_app(HubSettings.resolve(data_dir=data_dir, database_url=url), database=db)) as client:
            opened = client.get(f"{API_PREFIX}/applications/{application_id}", headers=headers)
            assert opened.status_code == 200, opened.text
            hashes = []
            for page in opened.json()["pages"]:
                read = client.get(
                    f"{API_PREFIX}/applications/{application_id}/pages/{page['page_id']}", headers=headers
                )
                assert read.status_code == 200, read.text
                assert hashlib.sha256(read.content).hexdigest() == page["sha256"]
                hashes.append(page["sha256"])
            return opened.json()["values"], hashes
    finally:
        db.dispose()


def _other_machine(hub: Hub, tmp_path: Path) -> tuple[Path, str]:
    """An empty data folder (and, on SQLite, no database yet); on PostgreSQL the same server."""
    data_dir = tmp_path / "other-machine"
    data_dir.mkdir()
    hub.db.dispose()
    url = f"sqlite:///{data_dir / 'hub.sqlite3'}" if sqlite_path(hub.url) is not None else hub.url
    return data_dir, url


def _everything_in(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in folder.rglob("*") if path.is_file())


def test_an_encrypted_backup_carries_the_applications_and_another_machine_reads_them_after_a_restore(
    hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    application_id = _application(hub)
    before = _department_reads(hub.url, hub.data_dir, application_id)
    personal = (hub.data_dir / "personal.key").read_bytes()
    key = _key(hub, capsys, tmp_path / "backup.key")

    _first, out = _backup(hub, capsys, tmp_path / "copies", "--key-file", str(key))
    assert "The page files of its online applications are in" in out and "3 copied now" in out
    assert "It carries the key that opens its online applications" in out
    copies = tmp_path / "copies"
    assert len(list((copies / "applications").glob("??/*.enc"))) == 3
    assert personal not in _everything_in(copies)  # the key travels encrypted only
    again, out = _backup(hub, capsys, copies, "--key-file", str(key))
    assert "0 copied now" in out  # the folder had them all

    code, out, err = _run(hub, capsys, "check-backup", str(again), "--key-file", str(key))
    assert code == 0, err
    assert "Its 3 page files of online applications are there and match their hashes." in out
    assert "The key it carries opens its 1 online applications and their pages." in out

    data_dir, url = _other_machine(hub, tmp_path)
    code, out, err = _run(hub, capsys, "restore", str(again), "--key-file", str(key), data_dir=data_dir, url=url)
    assert code == 0, err
    assert "3 page files of online applications were put back" in out
    assert f"The key that opens the online applications was put back as {data_dir / 'personal.key'}." in out
    assert "Its 1 online applications open with" in out
    assert (data_dir / "personal.key").read_bytes() == personal
    assert (data_dir / "personal.key").stat().st_mode & 0o077 == 0
    assert _department_reads(url, data_dir, application_id) == before


def test_check_backup_refuses_a_cut_changed_or_missing_application_page_file(
    hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    application_id = _application(hub)
    copy, _out = _backup(hub, capsys, tmp_path / "plain")
    listed = application_backup.read_manifest(copy)
    first = tmp_path / "plain" / "applications" / listed[0].sha256[:2] / listed[0].sha256
    whole = first.read_bytes()

    first.write_bytes(whole[:-100])  # cut short
    code, _out, err = _run(hub, capsys, "check-backup", str(copy))
    assert code == 2 and f"Page {listed[0].page_id} of online application {application_id}" in err
    assert "does not match its hash" in err
    first.write_bytes(whole[:50] + bytes([whole[50] ^ 1]) + whole[51:])  # one bit changed
    assert _run(hub, capsys, "check-backup", str(copy))[0] == 2
    first.unlink()
    code, _out, err = _run(hub, capsys, "check-backup", str(copy))
    assert code == 2 and "which the backup needs, is missing from" in err
    first.write_bytes(whole)
    assert _run(hub, capsys, "check-backup", str(copy))[0] == 0

    # The list lacking a page the database copy counts.
    manifest = application_backup.manifest_path(copy)
    manifest.write_text("".join(line + "\n" for line in manifest.read_text().splitlines()[1:]))
    code, _out, err = _run(hub, capsys, "check-backup", str(copy))
    assert code == 2 and "holds 1 pages of online applications that its list of page files lacks" in err

    # Encrypted: a changed file does not verify.
    key = _key(hub, capsys, tmp_path / "backup.key")
    sealed_copy, _out = _backup(hub, capsys, tmp_path / "sealed", "--key-file", str(key))
    changed = next((tmp_path / "sealed" / "applications").glob("??/*.enc"))
    data = changed.read_bytes()
    changed.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    code, _out, err = _run(hub, capsys, "check-backup", str(sealed_copy), "--key-file", str(key))
    assert code == 2 and "was changed or damaged after it was written" in err


def test_check_backup_refuses_an_encrypted_backup_whose_key_is_missing_or_does_not_open_its_rows(
    hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    application_id = _application(hub)
    key = _key(hub, capsys, tmp_path / "backup.key")
    copy, _out = _backup(hub, capsys, tmp_path / "sealed", "--key-file", str(key))
    carried = application_backup.key_path(copy)

    with carried.open("wb") as target:  # another hub's key, encrypted with the same backup key
        backup_crypt.encrypt_stream(_Bytes(b"\x07" * 32), target, BackupKey.from_key_file(key))
    code, _out, err = _run(hub, capsys, "check-backup", str(copy), "--key-file", str(key))
    assert code == 2 and f"does not open its online application {application_id}" in err

    carried.unlink()
    code, _out, err = _run(hub, capsys, "check-backup", str(copy), "--key-file", str(key))
    assert code == 2 and "holds 1 online applications but not the key that opens them" in err


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        part, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return part


def test_a_restore_never_overwrites_another_personal_key_and_changes_nothing(
    hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _application(hub)
    key = _key(hub, capsys, tmp_path / "backup.key")
    copy, _out = _backup(hub, capsys, tmp_path / "sealed", "--key-file", str(key))
    data_dir, url = _other_machine(hub, tmp_path)
    other_key = b"\x05" * 32  # made by a hub started on this folder before the restore
    (data_dir / "personal.key").write_bytes(other_key)

    code, _out, err = _run(hub, capsys, "restore", str(copy), "--key-file", str(key), data_dir=data_dir, url=url)

    assert code == 2 and "holds another personal-data key than the backup's" in err
    assert "nothing was changed" in err and "move it out of the data folder and run restore again" in err
    assert (data_dir / "personal.key").read_bytes() == other_key
    # No page file and no database: only the lock a restore takes (beside a SQLite database).
    assert {path.name for path in data_dir.iterdir()} - {"hub.sqlite3-serving.lock", "hub-serving.lock"} == {
        "personal.key"
    }


def test_an_unencrypted_backup_holds_no_key_says_so_and_the_restored_hub_reads_with_the_key_kept_apart(
    hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    application_id = _application(hub)
    before = _department_reads(hub.url, hub.data_dir, application_id)
    personal = (hub.data_dir / "personal.key").read_bytes()

    copy, out = _backup(hub, capsys, tmp_path / "plain")
    assert "It is not encrypted, so the key that opens its online applications is not in it" in out
    assert not application_backup.key_path(copy).exists()
    assert personal not in _everything_in(tmp_path / "plain")
    code, out, err = _run(hub, capsys, "check-backup", str(copy))
    assert code == 0, err
    assert "It does not carry the key that opens its 1 online applications" in out

    data_dir, url = _other_machine(hub, tmp_path)
    code, out, err = _run(hub, capsys, "restore", str(copy), data_dir=data_dir, url=url)
    assert code == 0, err
    assert "3 page files of online applications were put back" in out
    assert "sealed under a key this backup does not carry: put your copy of personal.key at" in out
    assert not (data_dir / "personal.key").exists()  # the restore makes none

    (data_dir / "personal.key").write_bytes(personal)  # the administrator's copy, kept apart
    assert _department_reads(url, data_dir, application_id) == before


def test_keep_drops_the_application_files_and_keys_no_kept_backup_lists(
    hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    application_id = _application(hub)
    key = _key(hub, capsys, tmp_path / "backup.key")
    folder = tmp_path / "sealed"
    first, _out = _backup(hub, capsys, folder, "--key-file", str(key))
    ApplicationFiles(hub.data_dir, sealer_for(hub.data_dir)).delete_application(application_id)  # purged since

    second, _out = _backup(hub, capsys, folder, "--key-file", str(key), "--keep", "1")

    assert not first.exists() and second.exists()
    assert not application_backup.key_path(first).exists() and application_backup.key_path(second).exists()
    assert not application_backup.manifest_path(first).exists()
    assert list((folder / "applications").glob("??/*")) == []


def test_the_consoles_check_is_check_backups_own_and_refuses_a_missing_application_page_file(
    hub: Hub, capsys: pytest.CaptureFixture[str]
) -> None:
    _application(hub)
    folder = hub.data_dir / "backups"  # where the console looks
    copy, _out = _backup(hub, capsys, folder)
    listed = application_backup.read_manifest(copy)
    (folder / "applications" / listed[0].sha256[:2] / listed[0].sha256).unlink()
    admin = ConsoleActor("1", "admin", "Admin", ADMINISTRATOR)

    newest = backup_status.begin_check(hub.db, by=admin, folder=folder, now=dt.datetime.now(dt.UTC))
    result = backup_status.check_backup(
        hub.db, by=admin, database_url=hub.url, copy=newest, key=None, clock=lambda: dt.datetime.now(dt.UTC)
    )

    assert not result.whole and "which the backup needs, is missing from" in result.message["en"]
