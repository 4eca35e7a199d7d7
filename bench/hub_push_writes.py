"""What one pushed event of each common kind makes the hub write and read: statements per
batch, rows, and the B-trees of each table written (issue 29, s10-hubwrite).

    python bench/hub_push_writes.py [--actions 20] [--hub sqlite|postgresql] [--database-url URL]

A real workstation (``tests.sync.hub_process``, as ``bench/sync.py`` makes one) does
``--actions`` of each kind of work with the window's own services (residents registered,
cases accepted, two steps of each case, the fees of cases of an item with a fee); after
each kind its outbox is pushed to a real hub database as the push route applies it
(``push_body.read_push_body``, ``apply_push``), and every statement the hub sends is
counted (SQLAlchemy's ``before_cursor_execute``): its kind and table, how many times, and
how many rows (an executemany's parameter sets; an ``INSERT ... SELECT`` counts one).
Every action at a window also writes an audit entry, pushed beside the action's event:
each kind's batch holds both. On PostgreSQL the rows of an INSERT go by COPY, on the
driver's cursor, so they do not show here (their statements are the same).

Then each table written, with its B-trees as the database's catalog names them (the
table itself; on SQLite a text key is an index of its own) and the parents its foreign
keys look up on every insert. The last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO_ROOT, ensure_importable, log

ensure_importable()
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # tests.sync.hub_process

ITEM = "MZ-002"  # as bench/sync.py: no fee
FEE_ITEM = "FC-001"  # a fee of its own (the demo catalog)


def _statement(sql: str) -> str:
    """'INSERT cases', 'SELECT residents', ... (a SELECT's tables in the order named)."""
    words = " ".join(sql.split())
    head = words.split(" ")[0].upper()
    if head in ("INSERT", "UPDATE", "DELETE"):
        found = re.search(r"(?:INTO|UPDATE|FROM) (\w+)", words)
        return f"{head} {found.group(1) if found else '?'}"
    if head in ("SELECT", "WITH"):
        tables = [t for t in dict.fromkeys(re.findall(r"(?:FROM|JOIN) (\w+)", words)) if t != "json_each"]
        return "SELECT " + ",".join(tables)
    return head


def _btrees(session, table: str) -> tuple[list[str], list[str]]:
    """The table's indexes (primary key and unique ones included) and its foreign keys' parents."""
    from sqlalchemy import text

    if session.get_bind().dialect.name == "sqlite":
        indexes = session.execute(text("SELECT name FROM pragma_index_list(:t)"), {"t": table}).scalars()
        parents = session.execute(text('SELECT "table" FROM pragma_foreign_key_list(:t)'), {"t": table}).scalars()
    else:
        indexes = session.execute(
            text(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = CAST(:t AS regclass)"
            ),
            {"t": table},
        ).scalars()
        parents = session.execute(
            text(
                "SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) AND contype = 'f'"
            ),
            {"t": table},
        ).scalars()
    return sorted(indexes), sorted(parents)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=20, help="actions of each kind (default 20)")
    parser.add_argument("--hub", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--database-url", default=None, help="PostgreSQL server (default $WINDOWDESK_TEST_POSTGRES_URL)"
    )
    args = parser.parse_args(argv)

    from sqlalchemy import delete, event, select
    from tests.sync.hub_process import _id_number

    from sync import enrolled_workstation, hub_database
    from windowdesk.domain.case_state import CaseAction
    from windowdesk.domain.fees import Tender
    from windowdesk.hub.api.push_body import read_push_body
    from windowdesk.hub.services import figure_catchup
    from windowdesk.hub.services.push import apply_push
    from windowdesk.hub.services.push_rules import Pusher
    from windowdesk.hub.storage.database import HubDatabase
    from windowdesk.i18n import set_locale
    from windowdesk.services import applicants, intake, payments
    from windowdesk.services import cases as case_service
    from windowdesk.services import catalog as catalog_service
    from windowdesk.services import sync as window_sync
    from windowdesk.storage import models as m
    from windowdesk.sync.protocol import PUSH_V2_CONTENT_TYPE

    set_locale("en")
    result: dict[str, object] = {"hub": args.hub, "actions": args.actions, "kinds": {}}
    written: set[str] = set()
    with (
        tempfile.TemporaryDirectory(prefix="wd-bench-hub-writes-") as tmp,
        hub_database(args.hub, args.database_url) as database_url,
    ):
        folder = Path(tmp)
        hub, station, identity = enrolled_workstation(folder, database_url)
        db = HubDatabase(hub.database_url)
        pusher = Pusher(identity["workstation_id"], "CH", "CH-01")
        sent: list[tuple[str, int]] = []

        def seen(_conn, _cursor, sql, parameters, _context, executemany) -> None:
            rows = len(parameters) if executemany and isinstance(parameters, list | tuple) else 1
            sent.append((_statement(sql), rows))

        from windowdesk.hub.services import push as push_service

        bulk_insert = push_service.execute_many

        def counted_bulk_insert(connection, statement, rows) -> None:
            # PostgreSQL's COPY goes by the driver's cursor, which SQLAlchemy's events do not see.
            if connection.dialect.name == "postgresql" and getattr(statement, "is_insert", False) and len(rows) > 1:
                sent.append((f"COPY {statement.table.name}", len(rows)))
            bulk_insert(connection, statement, rows)

        push_service.execute_many = counted_bulk_insert  # as push.py calls it

        def push(label: str) -> None:
            bodies, kinds = [], collections.Counter()
            with station.db.read() as session:
                kinds.update(str(kind) for kind in session.scalars(select(m.OutboxEvent.kind)))
                batch = window_sync._read_batch(
                    session, 0, window_sync.PUSH_BATCH, window_sync.PUSH_BYTES, protocol_version=2
                )
                while batch is not None:
                    bodies.append(batch.push.body)
                    batch = window_sync._read_batch(
                        session,
                        batch.last_seq,
                        window_sync.PUSH_BATCH,
                        window_sync.PUSH_BYTES,
                        batch.last_event_id,
                        protocol_version=2,
                    )
            with station.db.write() as session:
                session.execute(delete(m.OutboxEvent))
            sent.clear()
            event.listen(db.write_engine, "before_cursor_execute", seen)
            try:
                for body in bodies:
                    _after, events = read_push_body(body, PUSH_V2_CONTENT_TYPE)
                    with db.write() as session:
                        outcomes = apply_push(session, pusher=pusher, events=events, now=dt.datetime.now(dt.UTC))
                    refused = [o.reason for o in outcomes if o.status != "applied"]
                    if refused:
                        raise SystemExit(f"{label}: refused {refused[:3]}")
            finally:
                event.remove(db.write_engine, "before_cursor_execute", seen)
            statements: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
            for name, rows in sent:
                statements[name][0] += 1
                statements[name][1] += rows
                if name.split(" ")[0] in ("INSERT", "UPDATE", "COPY"):
                    written.add(name.split(" ")[1])
            log(f"{label}: {sum(kinds.values())} events {dict(kinds)} in {len(bodies)} batch(es)")
            for name, (count, rows) in sorted(statements.items()):
                log(f"    {name:48} {count:3} statement(s) {rows:5} row(s)")
            result["kinds"][label] = {  # type: ignore[index]
                "events": dict(kinds),
                "batches": len(bodies),
                "statements": {name: {"count": c, "rows": r} for name, (c, r) in sorted(statements.items())},
            }
            figure_catchup.catch_up(db, chunk=figure_catchup.CHUNK)  # as the hub's background

        try:
            push("enrollment")
            ctx = station.ctx
            residents = [
                applicants.register_resident(station.db, ctx, id_number=_id_number(n + 1), name=f"居民{n}").ref
                for n in range(args.actions)
            ]
            push("resident.registered")

            def accept(item: str) -> list[str]:
                guide = catalog_service.get_item_guide(station.db, item_code=item)
                checks = [intake.MaterialCheck(mat.code, intake.RECEIVED) for mat in guide.materials]
                return [
                    intake.accept_case(
                        station.db, ctx, item_code=item, applicant=r, checks=checks, shipped_calendar=station.calendar
                    ).id
                    for r in residents
                ]

            case_ids = accept(ITEM)
            push("case.accepted")
            for action in (CaseAction.SUSPEND, CaseAction.RESUME):
                for case_id in case_ids:
                    case_service.change_status(station.db, ctx, case_id=case_id, action=action, note="材料不全")
                push(f"case.status {action}")
            fee_cases = accept(FEE_ITEM)
            push(f"case.accepted {FEE_ITEM}")
            for case_id in fee_cases:
                payments.pay_case_fee(station.db, ctx, case_id=case_id, tender=Tender("cash", 100_000))
            push("payment.received")
            with db.read() as session:
                tables = {table: _btrees(session, table) for table in sorted(written)}
        finally:
            push_service.execute_many = bulk_insert
            db.dispose()
            station.close()
            hub.close()
    log("tables written: B-trees (the table and its indexes), foreign keys' parents looked up")
    for table, (indexes, parents) in tables.items():
        log(f"    {table:24} 1 + {len(indexes)}: {', '.join(indexes) or '-'}; parents: {', '.join(parents) or '-'}")
    result["tables"] = {t: {"indexes": i, "parents": p} for t, (i, p) in tables.items()}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
