"""The slow suites: marked ``slow`` at collection (tests/conftest.py), so that the fast
loop, ``pytest -m "not slow" -n auto``, leaves them out. CI runs everything.

Slow means one of: a real hub process (start-up, migration and catalog import cost
seconds each), a fault proxy or a killed process, fuzzing (hypothesis state machines,
schemathesis), or thousands of events. Kept in one list so that a reader sees the whole
split at once; chosen from ``--durations`` runs of the slow folders (docs/development.md).
A test marked ``@pytest.mark.slow`` in its own module is slow as well, and so is every
hub test's PostgreSQL run (the ``backend`` fixture of tests/hub/conftest.py): the fast
loop runs the hub's tests on SQLite only, CI on both.
"""

from __future__ import annotations

# Whole modules, by path from the repository's root.
SLOW_MODULES = frozenset({
    # A real `windowdesk-hub serve` process on loopback, faults, kills, 10,000 events.
    "tests/sync/test_client_disk_full.py",
    "tests/sync/test_hub_backup_restore.py",
    "tests/sync/test_hub_speaks_the_windows_language.py",
    "tests/sync/test_hub_trouble.py",
    "tests/sync/test_hub_turns.py",
    "tests/sync/test_outbox_counts.py",
    "tests/sync/test_outbox_state_machine.py",
    "tests/sync/test_page_upload_faults.py",
    "tests/sync/test_parallel_and_voice_sync.py",
    "tests/sync/test_pull_pages.py",
    "tests/sync/test_push_batches.py",
    "tests/sync/test_sent_events.py",
    "tests/sync/test_stop.py",
    "tests/sync/test_sync_faults.py",
    "tests/sync/test_sync_log.py",
    "tests/sync/test_sync_with_hub.py",
    "tests/sync/test_proxy_case_sync.py",
    "tests/sync/test_deferred_case_sync.py",
    # The hub as subprocesses (TLS, several workers, backups while serving), API fuzzing.
    "tests/hub/test_backup.py",
    "tests/hub/test_backup_pages.py",
    "tests/hub/test_fuzz.py",
    "tests/hub/test_server.py",
    "tests/hub/test_tls.py",
    "tests/hub/test_writer_lock.py",
    # The UI against a real hub process; the app started as a command.
    "tests/ui/test_enroll_dialog.py",
    "tests/ui/test_smoke_command.py",
    "tests/ui/test_sync_status.py",
})

# Single tests, as "path::name": a process killed half way through its work.
SLOW_TESTS = frozenset({
    "tests/fees/test_receipt_ledger.py::test_receipt_numbers_are_never_skipped_or_reused_after_a_kill",
    "tests/integration/test_intake_service.py::test_case_numbers_are_never_reused_after_a_crash",
    "tests/migrations/test_migrations.py::test_migration_killed_half_way_leaves_the_old_schema",
})
