"""``windowdesk-hub archive-case``: a finished case's record, timeline and pages, with a
manifest whose hashes check out; an unfinished case is refused; every page read is recorded."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import select

from windowdesk.hub.cli import main
from windowdesk.hub.storage.models import Case
from windowdesk.hub.storage.models_pages import PageReading

from .conftest import EventFactory, Hub
from .test_blob_upload import _sha, put
from .test_case_pages_push import accepted_case, page, pages_event


def _finished_case_with_pages(hub: Hub, *, finish: bool = True) -> tuple[str, list[bytes], dict]:
    hub.import_demo_catalog()
    window = hub.enroll()
    events = EventFactory()
    case_id = accepted_case(hub, window, events)
    datas = [os.urandom(1500), os.urandom(1700)]
    pages = [page(sha256=_sha(data), size=len(data)) for data in datas]
    waiting = page(mime="application/pdf")  # listed, its bytes never sent
    steps = [pages_event(events, case_id, "M01", pages), pages_event(events, case_id, "M02", [waiting])]
    if finish:
        steps += [events.status(case_id, action) for action in ("start_review", "approve", "complete")]
    assert {status for status, _ in hub.push_results(window, steps)} == {"applied"}
    for data in datas:
        put(hub, window, _sha(data), 0, data, len(data))
    with hub.db.read() as session:
        number = session.get(Case, case_id).case_number
    return number, datas, waiting


def _run(hub: Hub, capsys, *args: str) -> tuple[int, str, str]:
    code = main(hub.cli_args(*args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _check_manifest(files: dict[str, bytes]) -> dict:
    manifest = json.loads(files["manifest.json"])
    assert {entry["path"] for entry in manifest["files"]} == set(files) - {"manifest.json"}
    for entry in manifest["files"]:
        assert hashlib.sha256(files[entry["path"]]).hexdigest() == entry["sha256"]
        assert len(files[entry["path"]]) == entry["size"]
    return manifest


def test_a_finished_case_is_archived_with_its_pages_and_a_manifest_that_checks_out(
    hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    number, datas, waiting = _finished_case_with_pages(hub)

    code, out, err = _run(hub, capsys, "archive-case", number, "--out", str(tmp_path / "archive"))

    assert code == 0, err
    assert "2 pages" in out and "1 pages its window listed have not reached the hub" in out
    folder = tmp_path / "archive" / number
    files = {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    manifest = _check_manifest(files)
    pages = sorted(path for path in files if path.startswith("pages/M01/"))
    assert [files[path] for path in pages] == datas and pages[0].startswith("pages/M01/001-")
    assert manifest["pages_not_on_the_hub"][0]["sha256"] == waiting["sha256"]
    timeline = json.loads(files["timeline.json"])
    assert [step["to"] for step in timeline] == ["accepted", "in_progress", "approved", "completed"]
    record = json.loads(files["record.json"])
    assert record["case_number"] == number and record["departments"] == ["MZJ"]
    metadata = ET.fromstring(files["metadata.xml"])
    assert metadata.find("案卷/档号").text == number
    assert {f.get("哈希值") for f in metadata.iter("文件")} == {_sha(d) for d in datas} | {waiting["sha256"]}
    with hub.db.read() as session:
        assert [(r.actor_kind, r.sha256) for r in session.scalars(select(PageReading))] == [
            ("archive", _sha(d)) for d in datas
        ]


def test_an_archive_zip_holds_the_same_package(hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    number, datas, _waiting = _finished_case_with_pages(hub)

    code, _out, err = _run(hub, capsys, "archive-case", number, "--out", str(tmp_path / "case.zip"))

    assert code == 0, err
    with zipfile.ZipFile(tmp_path / "case.zip") as package:
        files = {name.split("/", 1)[1]: package.read(name) for name in package.namelist()}
    _check_manifest(files)
    assert sorted(data for path, data in files.items() if path.startswith("pages/")) == sorted(datas)
    assert _run(hub, capsys, "archive-case", number, "--out", str(tmp_path / "case.zip"))[0] == 2  # never overwritten


def test_an_unfinished_case_is_not_archived(hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    number, _datas, _waiting = _finished_case_with_pages(hub, finish=False)

    code, _out, err = _run(hub, capsys, "archive-case", number, "--out", str(tmp_path / "archive"))

    assert code == 2 and "is not finished" in err
    assert not (tmp_path / "archive").exists()
