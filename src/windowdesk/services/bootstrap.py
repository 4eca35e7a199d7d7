"""First start: the embedded catalog, and with --demo a ready workstation and residents."""

from __future__ import annotations

import json
from pathlib import Path

from windowdesk.domain.catalog import load_catalog
from windowdesk.errors import ValidationError
from windowdesk.services import applicants, catalog, workstation
from windowdesk.services.context import CounterContext
from windowdesk.storage import queries
from windowdesk.storage.db import Database

DEMO_CENTER = "CH"
DEMO_WINDOW = "01"
DEMO_OPERATOR = "王晓燕"
DEMO_LOGIN = "demo"
# Documented in the README: the demo workstation's supervisor account.
DEMO_PASSWORD = "Counter2026"
DEMO_SEEDED = "demo.seeded"


def ensure_catalog(db: Database, resources: Path) -> bool:
    """Import the shipped catalog when the database has none. True if it imported."""
    if catalog.has_catalog(db):
        return False
    catalog.import_catalog(db, load_catalog(resources / "catalog"))
    return True


def ensure_demo(db: Database, resources: Path) -> CounterContext:
    """A configured demo workstation with a few registered residents and organisations."""
    ensure_catalog(db, resources)
    ctx = workstation.current_context(db)
    if ctx is not None and _demo_seeded(db):
        return ctx
    if ctx is None:
        ctx = workstation.configure_workstation(
            db, center_code=DEMO_CENTER, window_code=DEMO_WINDOW,
            operator_name=DEMO_OPERATOR, operator_login=DEMO_LOGIN,
            password=DEMO_PASSWORD, role="supervisor",
        )
    demo = json.loads((resources / "demo" / "residents.json").read_text(encoding="utf-8"))
    for person in demo.get("residents", []):
        try:
            applicants.register_resident(
                db, ctx, id_number=person["id_number"], name=person["name"],
                phone=person.get("phone", ""), address=person.get("address", ""),
                welfare_status=person.get("welfare"),
            )
        except ValidationError:
            continue  # already registered on an earlier start
    for org in demo.get("organisations", []):
        try:
            applicants.register_organisation(
                db, ctx, credit_code=org["credit_code"], name=org["name"],
                legal_representative=org.get("legal_representative", ""),
                phone=org.get("phone", ""), address=org.get("address", ""),
            )
        except ValidationError:
            continue
    with db.write() as session:
        queries.set_local_setting(session, DEMO_SEEDED, "1")
    return ctx


def _demo_seeded(db: Database) -> bool:
    with db.read() as session:
        return queries.local_setting(session, DEMO_SEEDED) == "1"
