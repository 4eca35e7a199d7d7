"""``windowdesk-hub``: serve the hub, and the administrator's commands.

Every command takes ``--data-dir`` (else WINDOWDESK_HUB_DATA_DIR, else ./hub-data) and
``--database-url`` (else WINDOWDESK_HUB_DATABASE_URL, else SQLite in the data folder),
and migrates the database to the current schema before anything else. Output is plain
text for a person; bad input ends with a plain message and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from windowdesk.hub import cli_service
from windowdesk.hub.cli_common import parse_day as _day
from windowdesk.hub.cli_common import utc_now
from windowdesk.hub.errors import HubError, InvalidInput, StartupFailed
from windowdesk.hub.services import admin, audit_chain, backoffice, calendar_years, catalog_import, enrollment
from windowdesk.hub.settings import HubSettings
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.migrate import migrate_to_head, shown_url
from windowdesk.sync.protocol import DECISIONS
from windowdesk.text import is_unicode_text

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1


def _positive_hours(text: str) -> float:
    try:
        hours = float(text)
    except ValueError:
        hours = 0
    if hours <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of hours")
    return hours


# --- the commands; each gets the parsed arguments, the settings and the open database ---


def cmd_migrate(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    print(f"The database at {shown_url(settings.database_url)} is up to date.")


def cmd_import_catalog(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write(feed=True) as session:
        result = catalog_import.import_catalog(session, folder=Path(args.folder), now=utc_now())
    if not result.published:
        print(f"Catalog version {result.version} is already published with this content; nothing changed.")
        return
    print(
        f"Published catalog version {result.version} (change {result.seq}): {result.centers} centers, "
        f"{result.windows} windows, {result.departments} departments, {result.items} items."
    )


def cmd_create_center(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write() as session:
        saved = admin.save_center(session, code=args.code, name=args.name, kind=args.kind, timezone=args.timezone)
    print(f"{saved.verb} center {args.code} ({args.name}).")


def cmd_create_window(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write() as session:
        saved = admin.save_window(session, center_code=args.center, code=args.code, name=args.name)
    print(f"{saved.verb} window {args.center}-{args.code} ({args.name}).")


def cmd_create_department(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write() as session:
        saved = admin.save_department(session, code=args.code, name=args.name)
    print(f"{saved.verb} department {args.code} ({args.name}).")


def cmd_calendar_override(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write(feed=True) as session:
        saved = admin.publish_calendar_override(
            session, day=args.day, is_working_day=args.working, note=args.note, now=utc_now()
        )
    what = "a working day" if args.working else "a holiday"
    print(f"Published: {args.day.isoformat()} is {what} (change {saved.seq}).")


def cmd_calendar_year(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    published = calendar_years.year_from_file(args.file, args.year)
    with db.write(feed=True) as session:
        saved = calendar_years.publish_year(session, year=published, now=utc_now())
    again = "" if saved.created else " again (it replaces the earlier one)"
    print(f"Published the calendar of {published.year}{again}: {len(published.holidays)} holidays, "
          f"{len(published.makeup_workdays)} make-up working days (change {saved.seq}). Every window counts "
          f"its dates in {published.year} by it from its next sync.")


def _typed_password(login: str) -> str:
    """Asked twice without echo at a terminal; one line of standard input otherwise (a
    script), so the password need not appear in the shell history or the process list."""
    if sys.stdin.isatty():
        first = getpass.getpass(f"New password for {login}: ")
        if getpass.getpass("Once more: ") != first:
            raise InvalidInput("The two passwords differ; nothing was changed.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_create_operator(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write(feed=True) as session:
        operator, saved = admin.publish_operator(
            session, login=args.login, display_name=args.name, center_code=args.center, role=args.role,
            active=not args.inactive, password=args.password, now=utc_now(),
        )
        operator_id = operator.id
    state = "inactive" if args.inactive else "active"
    print(f"{saved.verb} operator {args.login} ({args.role}, {state}) at center {args.center}: "
          f"id {operator_id}, published as change {saved.seq}.")
    if args.password is not None:
        print("A first password is set; the operator must change it at the first login.")


def cmd_set_password(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    password = args.password if args.password is not None else _typed_password(args.login)
    with db.write(feed=True) as session:
        _operator, seq = admin.set_operator_password(session, login=args.login, password=password, now=utc_now())
    print(f"New first password for {args.login} published (change {seq}); it must be changed at the next login.")


def cmd_audit_check(args, settings: HubSettings, db: HubDatabase) -> int:  # noqa: ANN001
    with db.read() as session:
        report = audit_chain.check_chains(session, workstation=args.workstation)
    scope = f" of {args.workstation}" if args.workstation else ""
    if not report.breaks:
        print(f"The audit log{scope} is intact: {report.checked} entries checked.")
        return 0
    print(f"The audit log{scope} has {len(report.breaks)} problem(s) in {report.checked} entries:")
    for found in report.breaks:
        print(f"  {found.window_id} (workstation {found.workstation_id}) entry {found.client_seq} "
              f"[{found.entry_id}]: {found.problem}")
    return EXIT_FAILURE


def cmd_enroll_code(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write() as session:
        issued = enrollment.issue_enrollment_code(
            session, center_code=args.center, window=args.window, now=utc_now(),
            valid_for=dt.timedelta(hours=args.valid_hours),
        )
    print(f"Enrollment code for window {issued.window_id}: {issued.code}")
    print(f"It works once, until {issued.expires_at:%Y-%m-%d %H:%M} UTC. Type it in the workstation's sync settings.")


def cmd_revoke(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write() as session:
        workstation = enrollment.revoke_workstation(session, workstation_id=args.workstation_id, now=utc_now())
        revoked_at = workstation.revoked_at
    print(f"Workstation {args.workstation_id} is revoked since {revoked_at:%Y-%m-%d %H:%M} UTC; its token is refused.")


def cmd_list_workstations(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.read() as session:
        rows = enrollment.list_workstations(session, center_code=args.center)
        lines = [
            (w.id, w.window_id, f"{w.enrolled_at:%Y-%m-%d %H:%M}",
             f"{w.last_push_at:%Y-%m-%d %H:%M}" if w.last_push_at else "never",
             f"revoked {w.revoked_at:%Y-%m-%d %H:%M}" if w.revoked_at else "active", w.client_version or "?")
            for w in rows
        ]
    if not lines:
        print("No workstation is enrolled" + (f" at center {args.center}." if args.center else "."))
        return
    header = ("WORKSTATION", "WINDOW", "ENROLLED (UTC)", "LAST PUSH (UTC)", "STATE", "VERSION")
    widths = [max(len(str(row[i])) for row in [header, *lines]) for i in range(len(header))]
    for row in [header, *lines]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


def cmd_staff_token(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write() as session:
        token = enrollment.issue_staff_token(session, department_code=args.department, now=utc_now())
    print(f"Staff token for department {args.department} (shown once; the hub keeps only its hash):")
    print(token)


def cmd_decide(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    def work(session):  # noqa: ANN001, ANN202
        case = backoffice.find_case(session, case_number=args.case_number)
        return backoffice.record_decision(
            session, case=case, decision=args.decision, department=args.department, note=args.note, now=utc_now()
        )

    recorded = db.run_write(work, feed=True)
    print(f"Case {recorded.case_number}: {recorded.decision} by {recorded.department}; status now "
          f"{recorded.status} (change {recorded.seq}, reaches the window at its next sync).")


def cmd_note(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    def work(session):  # noqa: ANN001, ANN202
        case = backoffice.find_case(session, case_number=args.case_number)
        return backoffice.record_note(session, case=case, department=args.department, note=args.text, now=utc_now())

    seq = db.run_write(work, feed=True)
    print(f"Note on case {args.case_number} published (change {seq}).")


# --- parsing ------------------------------------------------------------------------------


def _common_options() -> argparse.ArgumentParser:
    # SUPPRESS: given before or after the command name, either works.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help="the hub's data folder (default ./hub-data or WINDOWDESK_HUB_DATA_DIR)")
    common.add_argument("--database-url", default=argparse.SUPPRESS, help="postgresql+psycopg://user:password@host/db (default: SQLite in the data folder)")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = argparse.ArgumentParser(prog="windowdesk-hub", parents=[common], description="The windowdesk hub: the server every workstation syncs with, and its administration.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Callable, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    serve = command("serve", None, "serve the HTTP API until stopped (Ctrl+C / SIGTERM)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765, help="0 picks a free port (the ready line names it)")
    serve.add_argument("--min-client-version", default=None, help="refuse older windowdesk clients (default 0.1.0)")
    serve.add_argument("--workers", type=int, default=1, help="processes serving requests (default 1; two keep both cores busy for one workstation's push)")
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.add_argument("--certfile", default=None, help="serve HTTPS with this PEM certificate (chain) file")
    serve.add_argument("--keyfile", default=None, help="the certificate's PEM private key (unencrypted)")
    serve.add_argument("--enroll-limit", default=None, help="enrollment attempts per client address (default 10/minute)")
    serve.add_argument("--bad-token-limit", default=None, help="refused tokens per client address (default 30/minute)")
    command("migrate", cmd_migrate, "bring the database to the current schema (every command does this first)")
    sub = command("import-catalog", cmd_import_catalog, "validate and publish a service catalog folder (centers.json, departments.json, items.json)")
    sub.add_argument("folder")
    sub = command("create-center", cmd_create_center, "create or rename a center")
    sub.add_argument("code")
    sub.add_argument("--name", required=True)
    sub.add_argument("--kind", choices=("city_hall", "street"), default="street")
    sub.add_argument("--timezone", default="Asia/Shanghai")
    sub = command("create-window", cmd_create_window, "create or rename a window of a center")
    sub.add_argument("center")
    sub.add_argument("code", help="two digits, e.g. 01")
    sub.add_argument("--name", required=True)
    sub = command("create-department", cmd_create_department, "create or rename a department")
    sub.add_argument("code")
    sub.add_argument("--name", required=True)
    sub = command("calendar-override", cmd_calendar_override, "publish a working day or a holiday for every center")
    sub.add_argument("day", type=_day, metavar="DATE")
    kind = sub.add_mutually_exclusive_group(required=True)
    kind.add_argument("--working", dest="working", action="store_true", help="a working day (e.g. a make-up weekend)")
    kind.add_argument("--holiday", dest="working", action="store_false", help="a day off")
    sub.add_argument("--note", default="")
    sub = command("calendar-year", cmd_calendar_year,
                  "publish a whole year of holidays and make-up working days to every center")
    sub.add_argument("file", type=Path, help="a calendar file in the shipped format (cn_working_calendar.json)")
    sub.add_argument("--year", type=int, help="the year to publish (default: the file's last year)")
    sub = command("create-operator", cmd_create_operator, "create or update an operator (by login) and publish it to the center")
    sub.add_argument("login")
    sub.add_argument("--name", required=True)
    sub.add_argument("--center", required=True)
    sub.add_argument("--role", choices=admin.OPERATOR_ROLES, default="operator")
    sub.add_argument("--inactive", action="store_true", help="publish the operator as no longer active")
    sub.add_argument("--password", default=None, help="a first password (only its slow salted hash is kept; "
                     "set-password asks for it without showing it)")
    sub = command("set-password", cmd_set_password, "give an operator a new first password and publish it to the center")
    sub.add_argument("login")
    sub.add_argument("--password", default=None, help="else asked at the terminal (or read from standard input)")
    sub = command("audit-check", cmd_audit_check, "verify the workstations' audit log chains; exit code 1 on a break")
    sub.add_argument("--workstation", default=None, help="a workstation id or a window id such as CH-01")
    sub = command("enroll-code", cmd_enroll_code, "issue a one-time enrollment code for a window's workstation")
    sub.add_argument("center")
    sub.add_argument("window", help="the window code (01) or id (CH-01)")
    sub.add_argument("--valid-hours", type=_positive_hours, default=72)
    sub = command("revoke", cmd_revoke, "refuse a workstation's token from now on")
    sub.add_argument("workstation_id")
    sub = command("list-workstations", cmd_list_workstations, "list enrolled workstations")
    sub.add_argument("--center", default=None)
    sub = command("staff-token", cmd_staff_token, "issue a back-office token for a department")
    sub.add_argument("department")
    sub = command("decide", cmd_decide, "record a department's decision on a case")
    sub.add_argument("case_number")
    sub.add_argument("--decision", required=True, choices=DECISIONS)
    sub.add_argument("--department", required=True)
    sub.add_argument("--note", default="")
    sub = command("note", cmd_note, "publish a hub-side note on a case to its center")
    sub.add_argument("case_number")
    sub.add_argument("--department", required=True)
    sub.add_argument("--text", required=True)
    cli_service.add_commands(command)  # report, complaint-reply, followup-outcome
    return parser


# Arguments that name files, folders or the database: on Linux these may be any bytes.
PATH_ARGUMENTS = frozenset({"data_dir", "database_url", "certfile", "keyfile", "folder", "file"})


def _check_text_is_utf8(args: argparse.Namespace) -> None:
    """Text the hub stores must be UTF-8. Typed in a terminal set to another encoding
    (GBK, say), its bytes reach Python as lone surrogates, which no database takes."""
    unreadable = [
        name.replace("_", "-") for name, value in vars(args).items()
        if isinstance(value, str) and name not in PATH_ARGUMENTS and not is_unicode_text(value)
    ]
    if unreadable:
        raise InvalidInput(
            f"The {' and '.join(unreadable)} given is not UTF-8 text. Is this terminal set to another "
            "encoding, such as GBK? Set it to UTF-8 and type it again. Nothing was changed."
        )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        _check_text_is_utf8(args)
        settings = HubSettings.resolve(
            data_dir=getattr(args, "data_dir", None),
            database_url=getattr(args, "database_url", None),
            min_client_version=getattr(args, "min_client_version", None),
            enroll_limit=getattr(args, "enroll_limit", None),
            bad_token_limit=getattr(args, "bad_token_limit", None),
        )
        if args.command == "serve":
            from windowdesk.hub.server import TlsFiles, serve

            tls = TlsFiles.checked(args.certfile, args.keyfile)
            migrate_to_head(settings.database_url)
            return serve(settings, host=args.host, port=args.port, workers=args.workers, access_log=args.access_log,
                         tls=tls)
        migrate_to_head(settings.database_url)
        db = HubDatabase(settings.database_url)
        try:
            exit_code = args.handler(args, settings, db)
        finally:
            db.dispose()
    except StartupFailed as error:
        print(f"windowdesk-hub: {error.title}: {error.message}", file=sys.stderr)
        return EXIT_FAILURE
    except HubError as error:
        print(f"windowdesk-hub: {error.title}: {error.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return exit_code or 0


if __name__ == "__main__":
    sys.exit(main())
