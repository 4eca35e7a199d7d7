"""``windowdesk-hub``: serve the hub, and the administrator's commands.

Every command takes ``--data-dir`` (else WINDOWDESK_HUB_DATA_DIR, else ./hub-data) and
``--database-url`` (else WINDOWDESK_HUB_DATABASE_URL, else SQLite in the data folder),
and migrates the database to the current schema before anything else. Output is plain
text for a person, in the terminal's language (cli_language); bad input ends with a plain
message and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from windowdesk import __version__
from windowdesk.domain.case_state import status_label
from windowdesk.domain.catalog_model import CENTER_KINDS, CenterKind
from windowdesk.hub import (
    cli_applications,
    cli_backup,
    cli_clock,
    cli_commitments,
    cli_console,
    cli_quality,
    cli_refused,
)
from windowdesk.hub.cli_common import clock_text, utc_now
from windowdesk.hub.cli_common import parse_day as _day
from windowdesk.hub.cli_common import typed_password as _typed_password
from windowdesk.hub.cli_language import HelpFormatter, speaking, table_lines, terminal_language
from windowdesk.hub.errors import HubError, InvalidInput, StartupFailed
from windowdesk.hub.language import Text, translate
from windowdesk.hub.services import (
    admin,
    audit_chain,
    backoffice,
    booking_purge,
    calendar_years,
    case_figures,
    catalog_import,
    enrollment,
    figure_days,
    hall_link,
)
from windowdesk.hub.services.clocks import center_time
from windowdesk.hub.services.status_page import publish_status_page
from windowdesk.hub.settings import HubSettings
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.migrate import migrate_to_head, shown_url
from windowdesk.hub.storage.private_files import private_data_dir, private_umask
from windowdesk.i18n import N_, _
from windowdesk.sync.protocol import DECISIONS
from windowdesk.terminal import guarded_output
from windowdesk.text import is_unicode_text

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1


def _positive_hours(text: str) -> float:
    try:
        hours = float(text)
    except ValueError:
        hours = 0
    if hours <= 0:
        raise argparse.ArgumentTypeError(_("{text!r} is not a positive number of hours").format(text=text))
    return hours


# --- the commands; each gets the parsed arguments, the settings and the open database ---


def cmd_migrate(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    print(_("The database at {url} is up to date.").format(url=shown_url(settings.database_url)))


def cmd_import_catalog(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write(feed=True) as session:
        result = catalog_import.import_catalog(session, folder=Path(args.folder), now=utc_now())
    if not result.published:
        print(
            _("Catalog version {version} is already published with this content; nothing changed.").format(
                version=result.version
            )
        )
        return
    print(
        _(
            "Published catalog version {version} (change {seq}): {centers} centers, {windows} windows, "
            "{departments} departments, {items} items."
        ).format(
            version=result.version,
            seq=result.seq,
            centers=result.centers,
            windows=result.windows,
            departments=result.departments,
            items=result.items,
        )
    )


def cmd_create_center(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write() as session:
        saved = admin.save_center(session, code=args.code, name=args.name, kind=args.kind, timezone=args.timezone)
    print(_("{verb} center {code} ({name}).").format(verb=_(saved.verb), code=args.code, name=args.name))


def cmd_create_window(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write() as session:
        saved = admin.save_window(session, center_code=args.center, code=args.code, name=args.name)
    print(
        _("{verb} window {window} ({name}).").format(
            verb=_(saved.verb), window=f"{args.center}-{args.code}", name=args.name
        )
    )


def cmd_create_department(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write() as session:
        saved = admin.save_department(session, code=args.code, name=args.name)
    print(_("{verb} department {code} ({name}).").format(verb=_(saved.verb), code=args.code, name=args.name))


def cmd_calendar_override(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write(feed=True) as session:
        saved = admin.publish_calendar_override(
            session, day=args.day, is_working_day=args.working, note=args.note, now=utc_now()
        )
    published = (
        _("Published: {day} is a working day (change {seq}).")
        if args.working
        else _("Published: {day} is a holiday (change {seq}).")
    )
    print(published.format(day=args.day.isoformat(), seq=saved.seq))


def cmd_status_page(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write(feed=True) as session:
        seq = publish_status_page(session, url=args.url, now=utc_now())
    if args.url.strip():
        print(
            _(
                "Published the status page address {url} (change {seq}): from their next sync, the windows "
                "print the QR code of a receipt as {url}/<case number>."
            ).format(url=args.url.strip().rstrip("/"), seq=seq)
        )
    else:
        print(
            _(
                "Withdrew the status page address (change {seq}): from their next sync, the windows print the "
                "case number alone in the QR code."
            ).format(seq=seq)
        )


def cmd_calendar_year(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    published = calendar_years.year_from_file(args.file, args.year)
    with db.write(feed=True) as session:
        saved = calendar_years.publish_year(session, year=published, now=utc_now())
    template = (
        _(
            "Published the calendar of {year}: {holidays} holidays, {makeup} make-up working days (change {seq}). "
            "Every window counts its dates in {year} by it from its next sync."
        )
        if saved.created
        else _(
            "Published the calendar of {year} again (it replaces the earlier one): {holidays} holidays, {makeup} "
            "make-up working days (change {seq}). Every window counts its dates in {year} by it from its next sync."
        )
    )
    print(
        template.format(
            year=published.year, holidays=len(published.holidays), makeup=len(published.makeup_workdays), seq=saved.seq
        )
    )


def cmd_create_operator(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write(feed=True) as session:
        operator, saved = admin.publish_operator(
            session,
            login=args.login,
            display_name=args.name,
            center_code=args.center,
            role=args.role,
            active=not args.inactive,
            password=args.password,
            now=utc_now(),
        )
        operator_id = operator.id
    template = (
        _("{verb} operator {login} ({role}, inactive) at center {center}: id {id}, published as change {seq}.")
        if args.inactive
        else _("{verb} operator {login} ({role}, active) at center {center}: id {id}, published as change {seq}.")
    )
    print(
        template.format(
            verb=_(saved.verb), login=args.login, role=args.role, center=args.center, id=operator_id, seq=saved.seq
        )
    )
    if args.password is not None:
        print(_("A first password is set; the operator must change it at the first login."))


def cmd_set_password(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    password = args.password if args.password is not None else _typed_password(args.login)
    with db.write(feed=True) as session:
        _operator, seq = admin.set_operator_password(session, login=args.login, password=password, now=utc_now())
    print(
        _("New first password for {login} published (change {seq}); it must be changed at the next login.").format(
            login=args.login, seq=seq
        )
    )


def cmd_audit_check(args, settings: HubSettings, db: HubDatabase) -> int:  # noqa: ANN001
    with db.read() as session:
        report = audit_chain.check_chains(session, workstation=args.workstation)
    scope = args.workstation
    if not report.breaks:
        template = (
            _("The audit log of {scope} is intact: {checked} entries checked.")
            if scope
            else _("The audit log is intact: {checked} entries checked.")
        )
        print(template.format(scope=scope, checked=report.checked))
        return 0
    template = (
        _("The audit log of {scope} has {count} problem(s) in {checked} entries:")
        if scope
        else _("The audit log has {count} problem(s) in {checked} entries:")
    )
    print(template.format(scope=scope, count=len(report.breaks), checked=report.checked))
    for found in report.breaks:
        print(
            "  "
            + _("{window} (workstation {workstation}) entry {seq} [{entry}]: {problem}").format(
                window=found.window_id,
                workstation=found.workstation_id,
                seq=found.client_seq,
                entry=found.entry_id,
                problem=found.problem,
            )
        )
    return EXIT_FAILURE


def cmd_enroll_code(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write() as session:
        issued = enrollment.issue_enrollment_code(
            session,
            center_code=args.center,
            window=args.window,
            now=utc_now(),
            valid_for=dt.timedelta(hours=args.valid_hours),
        )
        until = clock_text(center_time(session, issued.center_code, issued.expires_at))
    print(_("Enrollment code for window {window}: {code}").format(window=issued.window_id, code=issued.code))
    print(
        _("It works once, until {until} (the center's time). Type it in the workstation's sync settings.").format(
            until=until
        )
    )


def cmd_revoke(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write() as session:
        now = utc_now()
        workstation = enrollment.revoke_workstation(session, workstation_id=args.workstation_id, now=now)
        # Revoked now, or earlier (kept): revoke_workstation sets it.
        revoked_at = clock_text(center_time(session, workstation.center_code, workstation.revoked_at or now))
    print(
        _("Workstation {workstation} is revoked since {at} (the center's time); its token is refused.").format(
            workstation=args.workstation_id, at=revoked_at
        )
    )


def cmd_list_workstations(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.read() as session:
        rows = enrollment.list_workstations(session, center_code=args.center)

        def clock(w, at: dt.datetime) -> str:  # noqa: ANN001 - a Workstation row
            return clock_text(center_time(session, w.center_code, at))

        lines = [
            [
                w.id,
                w.window_id,
                clock(w, w.enrolled_at),
                clock(w, w.last_push_at) if w.last_push_at else _("never"),
                _("revoked {at}").format(at=clock(w, w.revoked_at)) if w.revoked_at else _("active"),
                w.client_version or "?",
            ]
            for w in rows
        ]
    if not lines:
        print(
            _("No workstation is enrolled at center {center}.").format(center=args.center)
            if args.center
            else _("No workstation is enrolled.")
        )
        return
    header = [
        _("WORKSTATION"),
        _("WINDOW"),
        _("ENROLLED (CENTER'S TIME)"),
        _("LAST PUSH (CENTER'S TIME)"),
        _("STATE"),
        _("VERSION"),
    ]
    for line in table_lines([header, *lines]):
        print(line)


def cmd_staff_token(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write() as session:
        issued = enrollment.issue_staff_token(
            session, department_code=args.department, now=utc_now(), valid_for=dt.timedelta(days=args.days)
        )
    print(
        _(
            "Staff token {token_id} for department {department}, valid until {at} (UTC); shown once, the hub keeps "
            "only its hash:"
        ).format(token_id=issued.token_id, department=args.department, at=clock_text(issued.expires_at))
    )
    print(issued.token)


def cmd_hall_token(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write() as session:
        token = hall_link.issue_hall_token(session, center_code=args.center, now=utc_now())
    print(
        _(
            "Hall token for center {center}; it replaces the one before, is shown once, and the hub keeps only "
            "its hash:"
        ).format(center=args.center)
    )
    print(token)


def cmd_purge_bookings(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    keep = booking_purge.keep_days(args.keep_days)
    with db.write() as session:
        purged = booking_purge.purge_bookings(session, keep=keep, now=utc_now())
    print(
        _(
            "Deleted {count} bookings of days before {day} ({cancelled} of them cancelled); the half-days keep "
            "their counts."
        ).format(count=purged.bookings, day=purged.before.isoformat(), cancelled=purged.cancelled)
    )


def cmd_staff_tokens(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    now = utc_now()
    with db.read() as session:
        rows = enrollment.list_staff_tokens(session, department_code=args.department)
        lines = [
            [
                t.id,
                t.department_code,
                clock_text(t.created_at),
                clock_text(t.expires_at),
                _("revoked {at}").format(at=clock_text(t.revoked_at))
                if t.revoked_at
                else (_("expired") if t.expires_at <= now else _("active")),
            ]
            for t in rows
        ]
    if not lines:
        print(_("No staff token was issued."))
        return
    header = [_("STAFF TOKEN"), _("DEPARTMENT"), _("ISSUED (UTC)"), _("EXPIRES (UTC)"), _("STATE")]
    for line in table_lines([header, *lines]):
        print(line)


def cmd_revoke_staff_token(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    with db.write() as session:
        now = utc_now()
        row = enrollment.revoke_staff_token(session, token_id=args.token_id, now=now)
        revoked_at = clock_text(row.revoked_at or now)  # revoked now, or earlier (kept)
    print(
        _("Staff token {token_id} is revoked since {at} (UTC); it is refused.").format(
            token_id=args.token_id, at=revoked_at
        )
    )


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_STAFF_TOKEN_DAYS:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a number of days from 1 to {most}").format(text=text, most=MAX_STAFF_TOKEN_DAYS)
        )
    return days


MAX_STAFF_TOKEN_DAYS = 366


DECISION_WORDS = {
    "approve": N_("approved"),
    "reject": N_("not approved"),
    "request_materials": N_("more materials requested"),
}


def cmd_archive_case(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    from windowdesk.hub.services.case_archive import export_case_archive
    from windowdesk.hub.storage.page_store import PageStore

    made = export_case_archive(
        db,
        PageStore(settings.data_dir),
        case_number=args.case_number,
        out=Path(args.out),
        by="windowdesk-hub archive-case",
        now=utc_now(),
    )
    print(
        _(
            "Archived case {number} to {path}: {files} files, {pages} pages (manifest.json lists every file's SHA-256)."
        ).format(number=args.case_number, path=made.path, files=made.files, pages=made.pages)
    )
    if made.missing_pages:
        print(
            _(
                "{count} pages its window listed have not reached the hub yet; the manifest names them. Archive "
                "the case again once they have."
            ).format(count=made.missing_pages)
        )


def cmd_decide(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    def work(session):  # noqa: ANN001, ANN202
        case = backoffice.find_case(session, case_number=args.case_number)
        return backoffice.record_decision(
            session, case=case, decision=args.decision, department=args.department, note=args.note, now=utc_now()
        )

    recorded = db.run_write(work, feed=True)
    print(
        _(
            "Case {number}: {decision} by {department}; status now \u201c{status}\u201d (change {seq}, reaches the "
            "window at its next sync)."
        ).format(
            number=recorded.case_number,
            decision=_(DECISION_WORDS[recorded.decision]),
            department=recorded.department,
            status=status_label(recorded.status),
            seq=recorded.seq,
        )
    )


def cmd_note(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    def work(session):  # noqa: ANN001, ANN202
        case = backoffice.find_case(session, case_number=args.case_number)
        return backoffice.record_note(session, case=case, department=args.department, note=args.text, now=utc_now())

    seq = db.run_write(work, feed=True)
    print(_("Note on case {number} published (change {seq}).").format(number=args.case_number, seq=seq))


# --- parsing ------------------------------------------------------------------------------


def _common_options() -> argparse.ArgumentParser:
    # SUPPRESS: given before or after the command name, either works.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        help=_("the hub's data folder (default ./hub-data or WINDOWDESK_HUB_DATA_DIR)"),
    )
    common.add_argument(
        "--database-url",
        default=argparse.SUPPRESS,
        help=_("postgresql+psycopg://user:password@host/db (default: SQLite in the data folder)"),
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="windowdesk-hub",
        parents=[common],
        formatter_class=HelpFormatter,
        description=_("The windowdesk hub: the server every workstation syncs with, and its administration."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"windowdesk-hub {__version__}",
        help=_("show the version of windowdesk-hub and exit"),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Callable[..., object] | None, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, parents=[common], help=help_text, description=help_text, formatter_class=HelpFormatter
        )
        sub.set_defaults(handler=handler)
        return sub

    serve = command("serve", None, _("serve the HTTP API until stopped (Ctrl+C / SIGTERM)"))
    serve.add_argument(
        "--host", default="127.0.0.1", help=_("the address to listen on (default 127.0.0.1: this computer only)")
    )
    serve.add_argument("--port", type=int, default=8765, help=_("0 picks a free port (the ready line names it)"))
    serve.add_argument("--min-client-version", default=None, help=_("refuse older windowdesk clients (default 0.1.0)"))
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help=_("processes serving requests (default 1; two keep both cores busy for one workstation's push)"),
    )
    serve.add_argument("--access-log", action="store_true", help=_("log every request"))
    serve.add_argument(
        "--public-only",
        action="store_true",
        help=_(
            "serve only the public pages (service guides, following and rating a case), without "
            "the sync API and the console: for a process behind the city's public proxy"
        ),
    )
    serve.add_argument("--certfile", default=None, help=_("serve HTTPS with this PEM certificate (chain) file"))
    serve.add_argument("--keyfile", default=None, help=_("the certificate's PEM private key (unencrypted)"))
    serve.add_argument(
        "--allow-plain-http",
        action="store_true",
        help=_(
            "serve plain HTTP on an address other than this computer's own (refused otherwise: "
            "ID numbers and tokens would cross the network in clear)"
        ),
    )
    serve.add_argument(
        "--enroll-limit",
        default=None,
        help=_("refused attempts with one enrollment code before it must wait (default 10/minute)"),
    )
    serve.add_argument(
        "--bad-token-limit", default=None, help=_("refusals of one token before it must wait (default 30/minute)")
    )
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        default=None,
        metavar="ADDRESS",
        help=_(
            "a reverse proxy whose X-Forwarded-For the hub believes (an address or network; "
            "may be given again; default: none)"
        ),
    )
    serve.add_argument(
        "--push-in-flight",
        type=int,
        choices=(1, 2),
        default=None,
        help=_(
            "batches a workstation may send before the hub answers the first (default 1 with one "
            "process, 2 with several; 2 also helps one process whose PostgreSQL is on another machine)"
        ),
    )
    serve.add_argument(
        "--push-room",
        type=float,
        default=None,
        metavar="SECONDS",
        help=_(
            "seconds of pushes the hub takes in at once (its processes share them); the windows "
            "beyond are told when their turn comes (default 0.3; 0: take every push at once)"
        ),
    )
    serve.add_argument(
        "--pages-min-free",
        type=int,
        default=None,
        metavar="BYTES",
        help=_(
            "bytes of the disk the scanned pages leave free for the database; a page that would "
            "leave less is refused until there is room (default 268435456, 256 MB)"
        ),
    )
    serve.add_argument(
        "--log-to",
        choices=("stderr", "file"),
        default=None,
        help=_(
            "where the hub logs: stderr (the default; systemd's journal keeps it) or a rotating file "
            "in the data folder, logs/windowdesk-hub.log"
        ),
    )
    command("migrate", cmd_migrate, _("bring the database to the current schema (every command does this first)"))
    sub = command(
        "import-catalog",
        cmd_import_catalog,
        _("validate and publish a service catalog folder (centers.json, departments.json, items.json)"),
    )
    sub.add_argument("folder", help=_("the catalog folder"))
    sub = command("create-center", cmd_create_center, _("create or rename a center"))
    sub.add_argument("code", help=_("the center's code, e.g. JD01"))
    sub.add_argument("--name", required=True, help=_("the center's name"))
    sub.add_argument(
        "--kind", choices=CENTER_KINDS, default=CenterKind.STREET.value, help=_("the city hall or a street center")
    )
    sub.add_argument(
        "--timezone",
        default="Asia/Shanghai",
        help=_("the center's time zone, for the times it is shown (default Asia/Shanghai)"),
    )
    sub = command("create-window", cmd_create_window, _("create or rename a window of a center"))
    sub.add_argument("center", help=_("the center's code"))
    sub.add_argument("code", help=_("two digits, e.g. 01"))
    sub.add_argument("--name", required=True, help=_("the window's name"))
    sub = command("create-department", cmd_create_department, _("create or rename a department"))
    sub.add_argument("code", help=_("the department's code, e.g. MZJ"))
    sub.add_argument("--name", required=True, help=_("the department's name"))
    sub = command("calendar-override", cmd_calendar_override, _("publish a working day or a holiday for every center"))
    sub.add_argument("day", type=_day, metavar="DATE", help=_("the day, e.g. 2027-02-06"))
    kind = sub.add_mutually_exclusive_group(required=True)
    kind.add_argument(
        "--working", dest="working", action="store_true", help=_("a working day (e.g. a make-up weekend)")
    )
    kind.add_argument("--holiday", dest="working", action="store_false", help=_("a day off"))
    sub.add_argument("--note", default="", help=_("why, e.g. the holiday's name"))
    sub = command(
        "calendar-year",
        cmd_calendar_year,
        _("publish a whole year of holidays and make-up working days to every center"),
    )
    sub.add_argument("file", type=Path, help=_("a calendar file in the shipped format (cn_working_calendar.json)"))
    sub.add_argument("--year", type=int, help=_("the year to publish (default: the file's last year)"))
    sub = command(
        "status-page",
        cmd_status_page,
        _("publish where the public status page of a case is, for the QR code on receipts"),
    )
    sub.add_argument(
        "url",
        nargs="?",
        default="",
        help=_(
            "e.g. https://hub.example/status (a case's page is <url>/<case number>); "
            "without it, the address is withdrawn"
        ),
    )
    sub = command(
        "create-operator",
        cmd_create_operator,
        _("create or update an operator (by login) and publish it to the center"),
    )
    sub.add_argument("login", help=_("the operator's login name"))
    sub.add_argument("--name", required=True, help=_("the operator's full name"))
    sub.add_argument("--center", required=True, help=_("the code of the operator's center"))
    sub.add_argument(
        "--role",
        choices=admin.OPERATOR_ROLES,
        default="operator",
        help=_("what the operator may do (default operator)"),
    )
    sub.add_argument("--inactive", action="store_true", help=_("publish the operator as no longer active"))
    sub.add_argument(
        "--password",
        default=None,
        help=_("a first password (only its slow salted hash is kept; set-password asks for it without showing it)"),
    )
    sub = command(
        "set-password", cmd_set_password, _("give an operator a new first password and publish it to the center")
    )
    sub.add_argument("login", help=_("the operator's login name"))
    sub.add_argument("--password", default=None, help=_("else asked at the terminal (or read from standard input)"))
    sub = command(
        "audit-check", cmd_audit_check, _("verify the workstations' audit log chains; exit code 1 on a break")
    )
    sub.add_argument("--workstation", default=None, help=_("a workstation id or a window id such as CH-01"))
    sub = command("enroll-code", cmd_enroll_code, _("issue a one-time enrollment code for a window's workstation"))
    sub.add_argument("center", help=_("the center's code, e.g. CH"))
    sub.add_argument("window", help=_("the window code (01) or id (CH-01)"))
    sub.add_argument(
        "--valid-hours", type=_positive_hours, default=72, help=_("how long the code works (default 72 hours)")
    )
    sub = command("revoke", cmd_revoke, _("refuse a workstation's token from now on"))
    sub.add_argument("workstation_id", help=_("the workstation's id, as list-workstations shows it"))
    sub = command("list-workstations", cmd_list_workstations, _("list enrolled workstations"))
    sub.add_argument("--center", default=None, help=_("one center only (default: all)"))
    sub = command("staff-token", cmd_staff_token, _("issue a back-office token for a department"))
    sub.add_argument("department", help=_("the department's code"))
    sub.add_argument(
        "--days",
        type=_days,
        default=enrollment.DEFAULT_STAFF_TOKEN_LIFETIME.days,
        help=_("how many days it stays valid (default 90)"),
    )
    sub = command("hall-token", cmd_hall_token, _("issue the token a center's hall service reads its bookings with"))
    sub.add_argument("center", help=_("the center's code, e.g. JD01"))
    sub = command(
        "purge-bookings",
        cmd_purge_bookings,
        _("delete the bookings of days long past (their names and phones); the half-days keep the counts"),
    )
    sub.add_argument(
        "--keep-days",
        default=None,
        metavar="DAYS",
        help=_(
            "how many days after its day a booking is kept (default: the environment's "
            "WINDOWDESK_HUB_BOOKINGS_KEEP_DAYS, else 90)"
        ),
    )
    sub = command("staff-tokens", cmd_staff_tokens, _("list the staff tokens issued, with their expiry and state"))
    sub.add_argument("--department", default=None, help=_("one department only (default: all)"))
    sub = command("revoke-staff-token", cmd_revoke_staff_token, _("refuse a staff token from now on"))
    sub.add_argument("token_id", help=_("the token's id, as staff-tokens shows it"))
    sub = command("decide", cmd_decide, _("record a department's decision on a case"))
    sub.add_argument("case_number", help=_("the case number, as on the receipt"))
    sub.add_argument(
        "--decision", required=True, choices=DECISIONS, help=_("approve, reject or ask for more materials")
    )
    sub.add_argument("--department", required=True, help=_("the code of the deciding department"))
    sub.add_argument("--note", default="", help=_("the reason, or the materials missing: shown at the window"))
    sub = command(
        "archive-case",
        cmd_archive_case,
        _("export a finished case (its record, timeline and pages, with a manifest of hashes) for the archive"),
    )
    sub.add_argument("case_number", help=_("the case number, as on the receipt"))
    sub.add_argument(
        "--out", required=True, help=_("a folder (the case goes into a folder of its own in it) or a .zip file")
    )
    sub = command("note", cmd_note, _("publish a hub-side note on a case to its center"))
    sub.add_argument("case_number", help=_("the case number, as on the receipt"))
    sub.add_argument("--department", required=True, help=_("the code of the department writing it"))
    sub.add_argument("--text", required=True, help=_("the note, shown at the window"))
    cli_quality.add_commands(
        command
    )  # report, rebuild-case-figures, export-province, complaint-reply, followup-outcome
    cli_commitments.add_commands(command)  # verifications, verify, credit-flags, lift-credit-flag
    cli_clock.add_commands(command)  # suspend, resume (a hearing, an inspection, an expert review)
    cli_backup.add_commands(command)  # backup, restore, check-backup
    cli_refused.add_commands(command)  # refused
    cli_console.add_commands(command)  # create-console-user, console-users, console-password
    cli_applications.add_commands(command)  # purge-applications
    return parser


# Arguments that name files, folders or the database: on Linux these may be any bytes.
PATH_ARGUMENTS = frozenset(
    {"data_dir", "database_url", "certfile", "keyfile", "folder", "file", "key_file", "passphrase_file"}
)


def _check_text_is_utf8(args: argparse.Namespace) -> None:
    """Text the hub stores must be UTF-8. Typed in a terminal set to another encoding
    (GBK, say), its bytes reach Python as lone surrogates, which no database takes."""
    unreadable = [
        name.replace("_", "-")
        for name, value in vars(args).items()
        if isinstance(value, str) and name not in PATH_ARGUMENTS and not is_unicode_text(value)
    ]
    if unreadable:
        raise InvalidInput(
            Text(
                N_(
                    "The {names} given is not UTF-8 text. Is this terminal set to another encoding, such as GBK? Set it "
                    "to UTF-8 and type it again. Nothing was changed."
                ),
                names=", ".join(unreadable),
            )
        )


def _upgrade(url: str) -> None:
    """The database to the current schema, and then what a migration cannot make itself:
    the cases' report figures of a hub upgraded from before case_figures (they need the
    catalog and the calendar, the services' to read)."""
    if not migrate_to_head(url):  # current already, or a new database
        return
    db = HubDatabase(url)
    try:
        db.run_write(case_figures.fill_if_missing)
        db.run_write(figure_days.sum_if_missing)  # figures made before their day sums
    finally:
        db.dispose()


def main(argv: Sequence[str] | None = None, *, environ: Mapping[str, str] | None = None) -> int:
    """``environ``: where the terminal's language is read (default the process's).

    Everything printed, argparse's words and the server's log lines included, leaves
    through terminal.guarded_output: text from windows is shown, never obeyed. Every
    file made meanwhile is private to the hub's user (storage/private_files.py)."""
    with guarded_output(), private_umask():
        return _main(argv, environ)


def _main(argv: Sequence[str] | None, environ: Mapping[str, str] | None) -> int:
    language = terminal_language(environ)
    with speaking(language):
        args = build_parser().parse_args(argv)
    if args.command == "serve":
        # Not in the terminal's language: the server words each answer in its caller's.
        return _run(args, language)
    with speaking(language):
        return _run(args, language)


def _run(args: argparse.Namespace, language: str) -> int:
    try:
        _check_text_is_utf8(args)
        settings = HubSettings.resolve(
            data_dir=getattr(args, "data_dir", None),
            database_url=getattr(args, "database_url", None),
            min_client_version=getattr(args, "min_client_version", None),
            enroll_limit=getattr(args, "enroll_limit", None),
            bad_token_limit=getattr(args, "bad_token_limit", None),
            push_in_flight=getattr(args, "push_in_flight", None),
            push_room=getattr(args, "push_room", None),
            trusted_proxies=getattr(args, "trusted_proxy", None),
            serving_processes=getattr(args, "workers", 1),
            log_to=getattr(args, "log_to", None),
            pages_min_free=getattr(args, "pages_min_free", None),
        )
        private_data_dir(settings.data_dir)  # an older hub's files, made private
        if args.command == "serve":
            from windowdesk.hub.server import TlsFiles, refuse_plain_http_on_network, serve

            tls = TlsFiles.checked(args.certfile, args.keyfile)
            if tls is None and not args.allow_plain_http:
                refuse_plain_http_on_network(args.host)
            _upgrade(settings.database_url)
            return serve(
                settings,
                host=args.host,
                port=args.port,
                workers=args.workers,
                access_log=args.access_log,
                tls=tls,
                public_only=args.public_only,
            )
        if getattr(args, "handles_database", False):
            return args.handler(args, settings) or 0
        _upgrade(settings.database_url)
        db = HubDatabase(settings.database_url)
        try:
            exit_code = args.handler(args, settings, db)
        finally:
            db.dispose()
    except StartupFailed as error:
        _say_error(error, language)
        return EXIT_FAILURE
    except HubError as error:
        _say_error(error, language)
        return EXIT_BAD_INPUT
    return exit_code or 0


def _say_error(error: HubError, language: str) -> None:
    title, message = error.worded(language)
    print(
        "windowdesk-hub: " + translate(N_("{title}: {message}"), language).format(title=title, message=message),
        file=sys.stderr,
    )


if __name__ == "__main__":
    sys.exit(main())
