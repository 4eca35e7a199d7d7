"""The scanned pages in the hub's backups, on both databases: copied beside the backup
(once for all the backups of a folder, encrypted with the backup's key), every page's
hash checked by ``check-backup``, put back by ``restore``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from windowdesk.hub.cli import main

from .conftest import EventFactory, Hub
from .test_blob_upload import _sha, put
from .test_case_pages_push import accepted_case, page, pages_event


def _run(hub: Hub, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(hub.cli_args(*args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _pages(hub: Hub, count: int) -> list[bytes]:
    hub.import_demo_catalog()
    window = hub.enroll()
    case_id = accepted_case(hub, window, EventFactory())
    datas = [os.urandom(2000 + n) for n in range(count)]
    listed = [page(sha256=_sha(data), size=len(data)) for data in datas]
    assert hub.push_results(window, [pages_event(EventFactory(), case_id, "M01", listed)]) == [("applied", "")]
    for data in datas:
        assert put(hub, window, _sha(data), 0, data, len(data)).json()["status"] == "complete"
    return datas


def _backup(hub: Hub, capsys, folder: Path, *more: str) -> tuple[Path, str]:
    code, out, err = _run(hub, capsys, "backup", "--to", str(folder), *more)
    assert code == 0, err
    return Path(re.search(r"Backed up the hub to (.+) \(", out).group(1)), out


def test_pages_are_backed_up_once_per_folder_checked_by_hash_and_restored(
    hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    datas = _pages(hub, 3)
    _first, out = _backup(hub, capsys, tmp_path / "copies")
    assert "3 copied now" in out
    second, out = _backup(hub, capsys, tmp_path / "copies")
    assert "0 copied now" in out  # the folder had them all
    assert len(list((tmp_path / "copies" / "pages").glob("??/*"))) == 3

    code, out, err = _run(hub, capsys, "check-backup", str(second))
    assert code == 0 and "Its 3 scanned pages are there and match their hashes." in out, err

    store = hub.data_dir / "pages"
    for data in datas:  # the hub's disk is lost
        (store / _sha(data)[:2] / _sha(data)).unlink()
    hub.db.dispose()
    code, out, err = _run(hub, capsys, "restore", str(second))
    assert code == 0 and "3 scanned pages were put back" in out, err
    for data in datas:
        assert (store / _sha(data)[:2] / _sha(data)).read_bytes() == data


def test_check_backup_finds_a_damaged_or_missing_page(
    hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    datas = _pages(hub, 2)
    copy, _out = _backup(hub, capsys, tmp_path / "copies")
    damaged = tmp_path / "copies" / "pages" / _sha(datas[0])[:2] / _sha(datas[0])
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"\x00")

    code, _out, err = _run(hub, capsys, "check-backup", str(copy))
    assert code == 2 and "does not match its hash" in err

    damaged.unlink()
    code, _out, err = _run(hub, capsys, "check-backup", str(copy))
    assert code == 2 and "is missing from" in err


def test_encrypted_backups_keep_their_pages_encrypted_and_keep_drops_unneeded_pages(
    hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    datas = _pages(hub, 2)
    key = tmp_path / "backup.key"
    assert _run(hub, capsys, "backup-key", str(key))[0] == 0
    copy, _out = _backup(hub, capsys, tmp_path / "sealed", "--key-file", str(key))
    for path in (tmp_path / "sealed" / "pages").glob("??/*"):
        assert path.name.endswith(".enc") and not any(data in path.read_bytes() for data in datas)
    code, out, err = _run(hub, capsys, "check-backup", str(copy), "--key-file", str(key))
    assert code == 0 and "Its 2 scanned pages" in out, err

    plain_first, _out = _backup(hub, capsys, tmp_path / "plain")
    (hub.data_dir / "pages" / _sha(datas[0])[:2] / _sha(datas[0])).unlink()  # gone from the hub since
    _backup(hub, capsys, tmp_path / "plain", "--keep", "1")
    assert not plain_first.exists()
    assert len(list((tmp_path / "plain" / "pages").glob("??/*"))) == 1


def test_check_backup_refuses_a_list_of_pages_that_lacks_a_page_the_database_counts(
    hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    datas = _pages(hub, 2)
    copy, _out = _backup(hub, capsys, tmp_path / "copies")
    manifest = copy.with_name(copy.name + ".pages")
    manifest.write_text(
        "".join(line + "\n" for line in manifest.read_text().splitlines() if not line.startswith(_sha(datas[1])))
    )

    code, _out, err = _run(hub, capsys, "check-backup", str(copy))

    assert code == 2 and "counts 1 pages that its list of pages lacks" in err and _sha(datas[1]) in err
