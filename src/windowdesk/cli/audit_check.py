"""``windowdesk audit-check [--data-dir DIR]``: whether the audit log's hash chain is whole."""

from __future__ import annotations

import os
import sys
from argparse import Namespace

from windowdesk import i18n
from windowdesk.errors import WindowdeskError
from windowdesk.paths import resolve_data_paths
from windowdesk.storage.db import Database


def run_audit_check(args: Namespace) -> int:
    """``windowdesk audit-check``: 0 when the chain is whole, 1 with each break listed."""
    from windowdesk.services.audit import verify_chain
    from windowdesk.storage.keys import DEMO_KEY_FILE, database_key
    from windowdesk.storage.migrate import current_revision

    paths = resolve_data_paths(args.data_dir)
    i18n.set_locale(os.environ.get("WINDOWDESK_LOCALE") or i18n.DEFAULT_LOCALE)
    try:
        if not paths.database.exists():
            raise WindowdeskError(
                i18n._("No database"), i18n._("There is no database in {path}.").format(path=paths.root)
            )
        key = database_key(paths.database, demo=(paths.root / DEMO_KEY_FILE).exists())
        current_revision(paths.database, key)  # a wrong key or a damaged file, in plain words
        db = Database(paths.database, key=key)
        try:
            problems, count = verify_chain(db), audit_entry_count(db)
        finally:
            db.dispose()
    except WindowdeskError as error:
        print(error, file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    if problems:
        print(i18n._("The audit log has {count} break(s).").format(count=len(problems)))
        return 1
    print(i18n._("The audit log is whole: {count} entries checked.").format(count=count))
    return 0


def audit_entry_count(db: Database) -> int:
    from windowdesk.storage import queries

    with db.read() as session:
        return queries.audit_count(session)
