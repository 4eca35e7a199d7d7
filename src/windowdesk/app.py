"""Start-up: paths, locale, database (backup + migrate), catalog, then the main window."""

from __future__ import annotations

import logging
import os
import sys
from argparse import Namespace
from pathlib import Path
from typing import TYPE_CHECKING

from windowdesk import i18n
from windowdesk.errors import WindowdeskError
from windowdesk.logs import log_windowdesk_to, rotating_file
from windowdesk.paths import DataPaths, resolve_data_paths, resources_dir

# The storage layer (SQLAlchemy, the models) and the services of the login screen before
# PySide6: PySide6's import hook reads the source of every module imported after it
# (shibokensupport.feature, looking for `from __feature__ import`), ~0.2 s of CPU at every
# start for SQLAlchemy's ~300 modules alone (issue 29, aim 6;
# tests/integration/test_start_imports.py).
from windowdesk.services import auth, bootstrap, preferences, workstation  # noqa: F401 - imported for the order
from windowdesk.services.working_days import load_shipped_calendar
from windowdesk.storage.db import Database
from windowdesk.storage.keyring_choice import choose_keyring, remember_keyring
from windowdesk.storage.keys import database_key
from windowdesk.storage.migrate import migrate_to_head

if TYPE_CHECKING:
    from collections.abc import Callable

    from windowdesk.domain.calendar import WorkingCalendar

log = logging.getLogger("windowdesk")
LOG_FILE_NAME = "windowdesk.log"


def _setup_logging(paths: DataPaths) -> None:
    """A rotating file in the data folder: what support reads when a window's sync fails."""
    log_windowdesk_to(rotating_file(paths.logs / LOG_FILE_NAME))


def prepare_storage(
    paths: DataPaths,
    *,
    demo: bool,
    on_update: Callable[[], None] | None = None,
    key_text: str | None = None,
) -> tuple[Database, WorkingCalendar]:
    """Everything start-up does before a window appears; raises WindowdeskError.
    ``on_update``: called before an existing database is backed up and updated.
    ``key_text``: the database key as the keyring already gave it at this start."""
    key = database_key(paths.database, demo=demo, key_text=key_text)
    backup = migrate_to_head(paths.database, paths.backups, key=key, on_update=on_update)
    if backup is not None:
        log.info("database migrated; backup kept at %s", backup.name)
    db = Database(paths.database, key=key)
    resources = resources_dir()
    try:
        if demo:
            bootstrap.ensure_demo(db, resources)
        else:
            bootstrap.refuse_demo_folder(db)
            bootstrap.ensure_catalog(db, resources)
    except WindowdeskError:
        db.dispose()
        raise
    return db, load_shipped_calendar(resources)


def run(args: Namespace) -> int:
    if args.smoke_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    paths = resolve_data_paths(args.data_dir)
    requested_language = args.locale or os.environ.get("WINDOWDESK_LOCALE")
    i18n.set_locale(requested_language or i18n.DEFAULT_LOCALE)
    # Before PySide6 too: keyring and its backend's modules (for GNOME's keyring:
    # secretstorage, jeepney, cryptography) escape its import hook.
    choice = choose_keyring(paths.root, paths.database)

    from windowdesk.ui.application import (
        DatabaseUpdateNotice,
        apply_saved_language,
        create_application,
        show_startup_error,
    )

    app = create_application(sys.argv[:1])
    notice = DatabaseUpdateNotice(app)
    made_now = not paths.database.exists()
    try:
        paths.ensure()
        _setup_logging(paths)
        db, calendar = prepare_storage(paths, demo=args.demo, on_update=notice.show, key_text=choice.key_text)
        if choice.remember:
            remember_keyring(paths.root)
    except WindowdeskError as error:
        show_startup_error(error, quiet=bool(args.smoke_test))
        return 2
    except OSError as error:
        show_startup_error(
            WindowdeskError(
                i18n._("Cannot open the data folder"),
                i18n._("{path}: {detail}").format(path=paths.root, detail=error.strerror or error),
            ),
            quiet=bool(args.smoke_test),
        )
        return 2
    finally:
        notice.close()
    if not requested_language:  # --locale and WINDOWDESK_LOCALE win over the saved choice
        apply_saved_language(app, db)

    from windowdesk.ui.launch import launch

    return launch(
        app,
        db=db,
        shipped_calendar=calendar,
        demo=args.demo,
        smoke_test=Path(args.smoke_test) if args.smoke_test else None,
        demo_made_now=args.demo and made_now,
    )
