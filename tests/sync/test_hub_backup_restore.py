"""The hub's backup, taken while it serves, and its restore after a loss: the window sends
again what the restored copy lacks, and a change made after the restore reaches a window
whose cursor had gone past everything the copy holds. Real hub process, real window."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from windowdesk.domain.case_state import CaseAction
from windowdesk.hub.storage.database import SERVING_LOCK_KEY
from windowdesk.hub.storage.serving_lock import LOCK_CHECK_SECONDS
from windowdesk.services import cases, worklist
from windowdesk.services import sync as sync_service

from .hub_process import HubProcess, Station, fresh_postgres_database, postgres_admin_url
from .test_sync_with_hub import accept, resident, sync


def _outbox_seqs(station: Station) -> list[int]:
    from windowdesk.storage import models as m

    with station.db.read() as session:
        return list(session.scalars(m.OutboxEvent.__table__.select().with_only_columns(m.OutboxEvent.seq)))


def _decide(hub: HubProcess, case, decision: str, note: str) -> None:
    department = hub.scalar(
        "SELECT i.department_code FROM cases c JOIN catalog_items i ON i.code = c.item_code WHERE c.id = :c", c=case.id
    )
    hub.cli("decide", case.number, "--decision", decision, "--department", department, "--note", note)


def _state(station, case) -> str:
    return worklist.get_record_detail(station.db, station.ctx, kind=worklist.CASE, record_id=case.id).state


def test_a_backup_taken_while_serving_restores_and_new_changes_reach_every_window(
    serving_hub: HubProcess, enrolled_station: Station, tmp_path: Path
) -> None:
    hub, station = serving_hub, enrolled_station
    before_backup = [accept(station, resident(station, n)) for n in (1, 2, 3)]
    first = sync(station)
    assert first.ok and first.sent_again == 0
    pushed_at_backup = hub.scalar("SELECT count(*) FROM pushed_events")
    pushed_at_backup_by_window = hub.scalar(
        "SELECT count(*) FROM pushed_events WHERE workstation_id = :w", w=station.workstation_id
    )

    out = hub.cli("backup", "--to", str(tmp_path / "copies"))
    copy = Path(re.search(r"Backed up the hub to (.+) \(", out).group(1))
    assert copy.parent == tmp_path / "copies" and copy.is_file()
    assert f"It holds {pushed_at_backup} pushed events" in out, out
    assert not list(copy.parent.glob("*.partial"))

    # After the backup: more work pushed, and a decision the window receives.
    after_backup = accept(station, resident(station, 4))
    _decide(hub, before_backup[0], "request_materials", "缺户口簿")
    assert sync(station).ok
    assert _state(station, before_backup[0]) == "Waiting for supplementary materials"
    cursor = sync_service.sync_status(station.db).cursor
    pushed_before_loss = hub.scalar("SELECT count(*) FROM pushed_events")

    with pytest.raises(AssertionError, match="Stop it before restoring"):
        hub.cli("restore", str(copy))  # while it serves
    assert hub.scalar("SELECT count(*) FROM pushed_events") == pushed_before_loss

    hub.stop()
    out = hub.cli("restore", str(copy))
    assert f"Restored the hub from {copy}" in out
    assert "kept as" in out and "send again what they sent in the last 30 days" in out
    hub.drop_inspection()
    assert pushed_at_backup == hub.scalar("SELECT count(*) FROM pushed_events") < pushed_before_loss
    assert hub.scalar("SELECT count(*) FROM cases WHERE id = :c", c=after_backup.id) == 0
    replaced = Path(re.search(r"kept as (.+)\.\n", out).group(1))
    assert replaced.is_file()

    hub.start(port=hub.port)  # where the window knows it
    # Done offline while the hub was down: a step on the case the restored hub lacks. It
    # is sent after that case is sent again, not refused for want of it.
    cases.change_status(station.db, station.ctx, case_id=after_backup.id, action=CaseAction.WITHDRAW, note="申请人撤回")
    made_offline = len(station.outbox())  # the step and its audit entry
    # A decision made on the restored hub: numbered past the window's cursor, which had
    # gone beyond every change the restored database holds.
    assert hub.scalar("SELECT max(seq) FROM changes") < cursor
    _decide(hub, before_backup[1], "approve", "同意")
    assert hub.scalar("SELECT max(seq) FROM changes") > cursor
    report = sync(station)
    assert report.ok, report.error
    assert report.pulled == 1
    assert _state(station, before_backup[1]) == "Approved", _state(station, before_backup[1])
    # What the copy lacked was sent again; what it had was answered as a duplicate.
    assert report.sent_again > 0 and report.rejected == []
    assert report.duplicates == pushed_at_backup_by_window
    assert report.applied == report.sent_again - report.duplicates + made_offline
    assert station.outbox() == {}
    assert hub.scalar("SELECT count(*) FROM pushed_events") == pushed_before_loss + made_offline
    assert hub.scalar("SELECT status FROM cases WHERE id = :c", c=after_backup.id) == "withdrawn"

    # The next sync sends nothing again.
    report = sync(station)
    assert report.ok and (report.sent_again, report.applied, report.duplicates) == (0, 0, 0)


def _whole_batches_in(copy: Path, workstation_id: str) -> list[int]:
    """The window's events a copy holds, by their seq on the window; the copy is checked."""
    connection = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        orphans = connection.execute(
            "SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM pushed_events e WHERE e.entity_id = c.id)"
        ).fetchone()[0]
        assert orphans == 0
        return [
            seq
            for (seq,) in connection.execute(
                "SELECT client_seq FROM pushed_events WHERE workstation_id = ? ORDER BY client_seq", (workstation_id,)
            )
        ]
    finally:
        connection.close()


def test_backups_taken_during_a_push_hold_whole_batches_in_the_windows_order(
    serving_hub: HubProcess, enrolled_station: Station, tmp_path: Path
) -> None:
    hub, station = serving_hub, enrolled_station
    for n in range(1, 121):
        accept(station, resident(station, n))
    sent = sorted(int(seq) for seq in _outbox_seqs(station))
    batch = 5

    def push() -> None:
        client = station.hub_client()
        try:
            reports.append(station.runner(client, retries=0, push_batch=batch).run())
        finally:
            client.close()

    reports: list = []
    pushing = threading.Thread(target=push)
    pushing.start()
    copies = []
    while pushing.is_alive() or not copies:
        out = hub.cli("backup", "--to", str(tmp_path / "copies"))
        copies.append(Path(re.search(r"Backed up the hub to (.+) \(", out).group(1)))
    pushing.join()
    assert reports[0].ok, reports[0].error

    held = [_whole_batches_in(copy, station.workstation_id) for copy in copies]
    for seqs in held:
        # A prefix of what the window sent, ending with a whole batch.
        assert seqs == sent[: len(seqs)]
        assert len(seqs) % batch == 0 or len(seqs) == len(sent)
    assert any(0 < len(seqs) < len(sent) for seqs in held), [len(seqs) for seqs in held]  # taken mid-push


def test_on_postgresql_restore_is_refused_while_a_hub_on_another_machine_serves_the_database(tmp_path: Path) -> None:
    with fresh_postgres_database(postgres_admin_url(), "restore") as url:
        serving = HubProcess(tmp_path / "server-1", url)  # its data folder is not the restoring one's
        restoring = HubProcess(tmp_path / "server-2", url)
        try:
            serving.import_catalog()
            serving.start()
            out = restoring.cli("backup", "--to", str(tmp_path / "copies"))
            copy = Path(re.search(r"Backed up the hub to (.+) \(", out).group(1))

            with pytest.raises(AssertionError, match="Stop it before restoring"):
                restoring.cli("restore", str(copy))

            # The serving hub's lock connection is cut (a database restart would do it): the
            # hub takes the lock again, and a restore is still refused.
            holders = (
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND mode = 'ShareLock' "
                "AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = :key"
            )
            (cut,) = [pid for (pid,) in serving.rows(holders, key=SERVING_LOCK_KEY)]
            serving.scalar("SELECT pg_terminate_backend(:pid)", pid=cut)
            deadline = time.monotonic() + 4 * LOCK_CHECK_SECONDS
            while [pid for (pid,) in serving.rows(holders, key=SERVING_LOCK_KEY)] in ([], [cut]):
                assert time.monotonic() < deadline, "the serving hub did not take its lock again"
                time.sleep(0.2)
            with pytest.raises(AssertionError, match="Stop it before restoring"):
                restoring.cli("restore", str(copy))
            serving.stop()
            assert f"Restored the hub from {copy}." in restoring.cli("restore", str(copy))
            serving.start()  # and it serves the restored database
            assert serving.scalar("SELECT count(*) FROM catalog_items") > 0
        finally:
            serving.close()
            restoring.close()
