"""``windowdesk-hub backup`` and ``restore`` on both databases: the copy holds what was
there, a restore brings exactly that back, keeps what it replaced, and numbers the next
change far past every change given out before; a file that is no backup changes nothing."""

from __future__ import annotations

import re
import resource
import signal
import subprocess
from pathlib import Path

import pytest

from windowdesk.hub.cli import main
from windowdesk.hub.storage.backup import FEED_GAP_AFTER_RESTORE, PARTIAL_SUFFIX
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.generation import current_generation
from windowdesk.hub.storage.models import Change, PushedEvent
from windowdesk.sync.protocol import APPLIED

from ..sync.hub_process import child_env, hub_command
from .conftest import EventFactory, Hub


def _run(hub: Hub, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(hub.cli_args(*args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _pushed(url: str) -> set[str]:
    db = HubDatabase(url)
    try:
        with db.read() as session:
            return {event_id for (event_id,) in session.query(PushedEvent.event_id)}
    finally:
        db.dispose()


def _generation(url: str) -> str | None:
    db = HubDatabase(url)
    try:
        with db.read() as session:
            return current_generation(session)
    finally:
        db.dispose()


def _last_change(url: str) -> int:
    db = HubDatabase(url)
    try:
        with db.read() as session:
            return max((seq for (seq,) in session.query(Change.seq)), default=0)
    finally:
        db.dispose()


def test_a_restore_brings_back_the_backup_keeps_what_it_replaced_and_moves_the_feed_on(
    hub: Hub, events: EventFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    hub.import_demo_catalog()
    workstation = hub.enroll()
    first = events.resident()
    assert hub.push_results(workstation, [first]) == [(APPLIED, "")]
    feed_at_backup = _last_change(hub.url)

    code, out, err = _run(hub, capsys, "backup", "--to", str(tmp_path / "copies"))
    assert code == 0, err
    copy = Path(re.search(r"Backed up the hub to (.+) \(", out).group(1))
    assert copy.is_file() and copy.parent == tmp_path / "copies"
    assert [path.name for path in copy.parent.iterdir()] == [copy.name]  # no partial file left

    later = events.resident(id_number="11010519491231002X", name="李秀英")
    assert hub.push_results(workstation, [later]) == [(APPLIED, "")]
    assert _run(hub, capsys, "calendar-override", "2027-02-06", "--working")[0] == 0
    feed_before_loss = _last_change(hub.url)
    assert feed_before_loss > feed_at_backup
    generation_before_loss = _generation(hub.url)

    hub.db.dispose()  # the in-process hub lets go of the database, as a stopped hub would
    code, out, err = _run(hub, capsys, "restore", str(copy))
    assert code == 0, err
    assert f"Restored the hub from {copy}." in out

    assert _pushed(hub.url) == {first["event_id"]}
    assert _last_change(hub.url) == feed_at_backup
    # A new generation: the windows will send again what they had sent lately.
    assert _generation(hub.url) not in (None, generation_before_loss)
    replaced = Path(re.search(r"kept as (.+)\.\n", out).group(1))
    assert replaced.is_file()
    # The next change comes after every cursor a window may hold from before the loss.
    assert _run(hub, capsys, "calendar-override", "2027-02-07", "--working")[0] == 0
    assert _last_change(hub.url) == feed_at_backup + FEED_GAP_AFTER_RESTORE + 1 > feed_before_loss
    # The pushes go on as before.
    assert hub.push_results(workstation, [events.resident(name="张伟")]) == [(APPLIED, "")]


def test_a_file_that_is_not_a_whole_backup_is_refused_and_nothing_changes(
    hub: Hub, events: EventFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    hub.import_demo_catalog()
    workstation = hub.enroll()
    assert hub.push_results(workstation, [events.resident()]) == [(APPLIED, "")]
    code, out, _err = _run(hub, capsys, "backup", "--to", str(tmp_path))
    copy = Path(re.search(r"Backed up the hub to (.+) \(", out).group(1))
    truncated = tmp_path / f"truncated{copy.suffix}"
    truncated.write_bytes(copy.read_bytes()[: copy.stat().st_size // 2])
    pushed = _pushed(hub.url)

    for damaged in (truncated, Path(__file__)):
        code, out, err = _run(hub, capsys, "restore", str(damaged))
        assert code == 2 and out == ""
        assert "is not a readable backup of a hub" in err and "Nothing was changed" in err
    assert _pushed(hub.url) == pushed
    assert not list(Path(hub.data_dir).glob(f"*{PARTIAL_SUFFIX}"))


def test_a_backup_asked_into_a_file_instead_of_a_folder_is_refused_in_words(
    hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x")
    code, out, err = _run(hub, capsys, "backup", "--to", str(not_a_folder))
    assert code == 2 and out == ""
    assert "is a file, not a folder" in err


def test_keep_deletes_all_but_the_newest_copies_and_nothing_else(
    hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "nightly"
    folder.mkdir()
    (folder / "notes.txt").write_text("the administrator's own file")
    made = []
    for _night in range(3):
        code, out, err = _run(hub, capsys, "backup", "--to", str(folder), "--keep", "2")
        assert code == 0, err
        made.append(Path(re.search(r"Backed up the hub to (.+) \(", out).group(1)))
    assert "Deleted 1 older backup; the newest 2 are kept." in out
    assert sorted(path.name for path in folder.iterdir()) == sorted([made[1].name, made[2].name, "notes.txt"])

    with pytest.raises(SystemExit) as refused:
        main(hub.cli_args("backup", "--to", str(folder), "--keep", "0"))
    assert refused.value.code == 2 and "'0' is not a whole number of at least 1" in capsys.readouterr().err
    assert len(list(folder.iterdir())) == 3


def test_a_backup_onto_a_full_disk_says_so_and_leaves_no_partial_copy(hub: Hub, tmp_path: Path, backend: str) -> None:
    hub.import_demo_catalog()
    folder = tmp_path / "small-disk"

    def small_disk() -> None:
        # Files may not grow past 64 KB: what a full disk looks like to the copy.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    finished = subprocess.run(
        [*hub_command(), *hub.cli_args("backup", "--to", str(folder))],
        capture_output=True,
        text=True,
        env=child_env(LANGUAGE="en"),
        preexec_fn=small_disk,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 1, finished.stderr
    assert "Traceback" not in finished.stderr
    if backend == "sqlite":
        assert "The copy did not succeed: The backup could not be written in" in finished.stderr
        assert "no partial copy was left behind" in finished.stderr
    else:
        assert "The copy did not succeed: pg_dump did not succeed: stopped by SIGXFSZ" in finished.stderr
    assert list(folder.iterdir()) == []


def test_check_backup_says_whether_a_copy_can_be_restored_and_changes_nothing(
    hub: Hub, events: EventFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    hub.import_demo_catalog()
    workstation = hub.enroll()
    assert hub.push_results(workstation, [events.resident()]) == [(APPLIED, "")]
    out = _run(hub, capsys, "backup", "--to", str(tmp_path))[1]
    copy = Path(re.search(r"Backed up the hub to (.+) \(", out).group(1))
    pushed, generation = _pushed(hub.url), _generation(hub.url)

    code, out, err = _run(hub, capsys, "check-backup", str(copy))
    assert code == 0, err
    assert f"{copy} is a whole backup of a hub; restore can use it." in out
    damaged = tmp_path / f"damaged{copy.suffix}"
    damaged.write_bytes(copy.read_bytes()[:4096])
    code, out, err = _run(hub, capsys, "check-backup", str(damaged))
    assert code == 2 and "is not a readable backup of a hub" in err
    assert (_pushed(hub.url), _generation(hub.url)) == (pushed, generation)
