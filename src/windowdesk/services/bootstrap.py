"""First start: the embedded catalog, and with --demo a ready workstation and residents."""

from __future__ import annotations

import json
from pathlib import Path

from windowdesk.domain.catalog import load_catalog
from windowdesk.domain.passwords import verify_password
from windowdesk.domain.shipped_search_keys import load_table, with_table_keys
from windowdesk.errors import StartupError, ValidationError, WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import applicants, catalog, form_files, workstation
from windowdesk.services.context import CounterContext
from windowdesk.storage import queries
from windowdesk.storage.db import Database

DEMO_CENTER = "CH"
DEMO_WINDOW = "01"
DEMO_OPERATOR = "王晓燕"
DEMO_LOGIN = "demo"
# Documented in the README: the demo workstation's supervisor account.
DEMO_PASSWORD = "Lantern-48Q"
DEMO_SEEDED = "demo.seeded"
# The stored marker of a demo data folder, written before anything else of the demo: a
# demo folder and a real one are told apart by it, not by how windowdesk was started.
# (A folder from before it has only DEMO_SEEDED, which marks it as well.)
FOLDER_KIND = "folder.kind"
DEMO_FOLDER = "demo"


def ensure_catalog(db: Database, resources: Path) -> bool:
    """Import the shipped catalog when the database has none. True if it imported."""
    if catalog.has_catalog(db):
        return False
    folder = resources / "catalog"
    # Its pinyin keys ship beside it: making them would load pypinyin at every first start.
    shipped = with_table_keys(load_catalog(folder), load_table(folder))
    catalog.import_catalog(db, shipped, form_files=form_files.read_folder_files(folder, shipped))
    return True


def is_demo_folder(db: Database) -> bool:
    with db.read() as session:
        return (
            queries.local_setting(session, FOLDER_KIND) == DEMO_FOLDER
            or queries.local_setting(session, DEMO_SEEDED) == "1"
        )


def refuse_real_folder_for_demo(db: Database) -> None:
    """--demo on a folder set up for real work (no demo marker): refused, nothing written."""
    if workstation.is_configured(db) and not is_demo_folder(db):
        raise StartupError(
            _("This data folder holds real work"),
            _(
                "--demo would write demo residents and cases into it and send them to the hub. Start windowdesk "
                "without --demo for this folder, or give --demo a folder of its own (--data-dir)."
            ),
        )


def refuse_demo_folder(db: Database) -> None:
    """A normal start on a demo folder: refused (it holds demo residents and the published
    demo login); such a folder is only ever started with --demo."""
    if is_demo_folder(db):
        raise StartupError(
            _("This is a demo data folder"),
            _(
                "It holds demo residents and the published demo login, and is only for trying windowdesk out. "
                "Start it with --demo, or start windowdesk with another data folder (--data-dir) for real work."
            ),
        )


def demo_password_in_use(db: Database) -> bool:
    """A demo folder whose demo login still has the published password."""
    if not is_demo_folder(db):
        return False
    with db.read() as session:
        demo = queries.operator_by_login(session, DEMO_LOGIN)
        stored = demo.password_hash if demo is not None and demo.active else None
    return stored is not None and verify_password(DEMO_PASSWORD, stored)


def refuse_sync_with_demo_password(db: Database) -> None:
    if demo_password_in_use(db):
        raise WindowdeskError(
            _("Change the demo password first"),
            _(
                "This window still uses the demo login with its published password. Nothing is sent to a hub "
                "until its password is changed (Account → Change password)."
            ),
        )


def ensure_demo(db: Database, resources: Path) -> CounterContext:
    """A configured demo workstation with a few registered residents and organisations.
    Refuses (StartupError) a folder that holds real work."""
    refuse_real_folder_for_demo(db)
    with db.write() as session:
        queries.set_local_setting(session, FOLDER_KIND, DEMO_FOLDER)
    ensure_catalog(db, resources)
    ctx = workstation.current_context(db)
    if ctx is not None and _demo_seeded(db):
        return ctx
    if ctx is None:
        ctx = workstation.configure_workstation(
            db,
            center_code=DEMO_CENTER,
            window_code=DEMO_WINDOW,
            operator_name=DEMO_OPERATOR,
            operator_login=DEMO_LOGIN,
            password=DEMO_PASSWORD,
            role="supervisor",
        )
    demo = json.loads((resources / "demo" / "residents.json").read_text(encoding="utf-8"))
    # One transaction for all of them; those registered on an earlier start are left out.
    applicants.register_residents(
        db,
        ctx,
        [
            applicants.NewResident(
                id_number=person["id_number"],
                name=person["name"],
                phone=person.get("phone", ""),
                address=person.get("address", ""),
                welfare_status=person.get("welfare"),
            )
            for person in demo.get("residents", [])
        ],
    )
    for org in demo.get("organisations", []):
        try:
            applicants.register_organisation(
                db,
                ctx,
                credit_code=org["credit_code"],
                name=org["name"],
                legal_representative=org.get("legal_representative", ""),
                phone=org.get("phone", ""),
                address=org.get("address", ""),
            )
        except ValidationError:
            continue
    with db.write() as session:
        queries.set_local_setting(session, DEMO_SEEDED, "1")
    return ctx


def _demo_seeded(db: Database) -> bool:
    with db.read() as session:
        return queries.local_setting(session, DEMO_SEEDED) == "1"
