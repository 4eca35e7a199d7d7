"""The slow suites: marked ``slow`` at collection (tests/conftest.py), so that the fast
loop, ``pytest -m "not slow" -n auto``, leaves them out. CI runs everything.

Slow means one of: a real hub process (start-up, migration and catalog import cost
seconds each), a fault proxy or a killed process, fuzzing (hypothesis state machines,
schemathesis), or thousands of events. Kept in one list so that a reader sees the whole
split at once; chosen from ``--durations`` runs of the slow folders (docs/development.md).
A test marked ``@pytest.mark.slow`` in its own module is slow as well, and so is every
hub test's PostgreSQL run (the ``backend`` fixture of tests/hub/conftest.py): the fast
loop runs the hub's tests on SQLite only, CI on both; and every test using one of
SLOW_FIXTURES, directly or through another fixture (a browser, a hub or a hall process).

A test that starts a process is slow, whatever the process: in the fast loop, a test not
marked slow that starts one fails and names this file (tests/process_guard.py).
"""

from __future__ import annotations

# Whole modules, by path from the repository's root.
SLOW_MODULES = frozenset(
    {
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
        # The app started as a command, its imports logged (6 s).
        "tests/integration/test_start_imports.py",
        # A window pushing to a real hub process in each of its tests.
        "tests/sync/test_push_protocol_versions.py",
        # The pages dialog looks for scanners with SANE's scanimage in each of its tests.
        "tests/ui/test_material_pages_screen.py",
    }
)

# Single tests, as "path::name": a process killed half way through its work.
SLOW_TESTS = frozenset(
    {
        "tests/fees/test_receipt_ledger.py::test_receipt_numbers_are_never_skipped_or_reused_after_a_kill",
        "tests/integration/test_intake_service.py::test_case_numbers_are_never_reused_after_a_crash",
        "tests/migrations/test_migrations.py::test_migration_killed_half_way_leaves_the_old_schema",
        # Fuzzing: a hypothesis state machine over the parallel parts of a case.
        "tests/unit/domain/test_case_parts.py::test_parallel_case_state_machine",
        # A real hub process (or two) started in the test itself.
        "tests/sync/test_enrollment_is_an_administrators.py::test_a_supervisor_cannot_enroll_even_with_their_own_password_and_nothing_is_stored",
        "tests/sync/test_enrollment_is_an_administrators.py::test_an_administrator_enrolls_with_their_password_and_it_is_audited",
        "tests/sync/test_enrollment_is_an_administrators.py::test_another_hub_is_refused_until_an_administrator_confirms_the_old_one_is_gone",
        "tests/sync/test_enrollment_is_an_administrators.py::test_a_different_hub_at_the_pinned_address_stops_sync_and_changes_nothing",
        "tests/sync/test_accounts_from_the_hub.py::test_a_hub_sending_the_local_supervisor_s_login_does_not_reset_its_password",
        "tests/sync/test_accounts_from_the_hub.py::test_the_hub_s_first_administrator_disables_the_first_run_administrator",
        "tests/sync/test_queue_days_reach_the_hub.py::test_a_finished_day_reaches_the_hub_after_one_sync_and_twice_sent_stays_one_row",
        # Found by tests/process_guard.py: each starts a process itself.
        # `windowdesk-hub` commands and spawned interpreters sharing a data folder.
        "tests/hub/test_private_files.py::test_a_new_hub_and_its_backups_are_private_to_its_user_whatever_the_umask",
        "tests/hub/test_private_files.py::test_an_older_hubs_files_lose_the_rights_of_the_group_and_of_others",
        "tests/hub/test_web_common.py::test_the_web_key_is_made_once_private_and_shared_by_processes",
        # A fresh interpreter, to see what a start or an import loads (or hashes).
        "tests/integration/test_stored_search_keys.py::test_a_first_start_and_a_later_one_do_not_load_pypinyin",
        "tests/integration/test_stored_search_keys.py::test_searching_as_you_type_finds_the_same_items_without_loading_pypinyin",
        "tests/integration/test_command_line_help.py::test_help_lists_print_samples_and_audit_check",
        "tests/migrations/test_head_schema.py::test_a_new_database_is_made_without_importing_alembic",
        "tests/printing/test_documents_service.py::test_layers_printing_has_no_qt_and_services_no_reportlab",
        "tests/devices/test_layers.py::test_the_card_reader_and_its_service_import_no_qt",
        "tests/unit/domain/test_passwords.py::test_a_program_hashes_at_production_cost",
        # A C compiler building a library the reader must refuse.
        "tests/devices/test_sdtapi_reader.py::test_a_missing_or_foreign_library_is_said_in_plain_words",
        # SANE's scanimage, CUPS' commands, the hall's voice clips made by a speech program.
        "tests/devices/test_sane_scanner.py::test_a_device_that_is_not_there_is_named_in_plain_words",
        "tests/devices/test_sane_scanner.py::test_a_scanned_page_is_stored_grey_at_300_dpi_in_the_material",
        "tests/devices/test_sane_scanner.py::test_the_test_device_is_listed",
        "tests/printing/test_cups_print.py::test_an_offline_queue_is_reported_before_anything_is_sent",
        "tests/hall/test_voice.py::test_clips_are_made_once_and_only_the_missing_again",
        "tests/hall/test_voice.py::test_the_voice_command_makes_the_clips_into_the_data_folder",
    }
)

# Fixtures that start a process taking seconds, as "module.name" (a name alone is not
# enough: tests/hub's `hub` is in process, tests/sync/test_sync_with_hub's a subprocess).
SLOW_FIXTURES = frozenset(
    {
        "tests.web.browser.chromium",  # Chromium, under every browser test's page
        "tests.sync.conftest.serving_hub",  # `windowdesk-hub serve` on loopback
        "tests.sync.test_sync_with_hub.hub",  # the same, shared by the online hall's tests
        "tests.ui.test_kiosk_booking.hub",  # the same, for the kiosk's bookings
        "tests.hall.conftest.hall_process",  # `windowdesk-hall serve`
        "tests.ui.test_kiosk.hall",  # the same, for the kiosk and the hall's screens
        "tests.ui.test_queue_panel.hall",
        "tests.ui.test_hall_display.hall",
        "tests.ui.test_kiosk_cups.hall",
        # The stand-in ID card reader, a C library built with the compiler (once per process).
        "tests.devices.conftest.standin_library",
        "tests.ui.test_card_reader.standin_library",
        "tests.ui.test_keystrokes_card.standin_library",
    }
)
