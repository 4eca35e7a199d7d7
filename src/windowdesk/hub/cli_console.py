"""``windowdesk-hub`` commands for the console's accounts: the first administrator is made
here, at the hub's terminal; administrators make the others in the console."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from windowdesk.hub.cli_common import clock_text, typed_password, utc_now
from windowdesk.hub.cli_language import table_lines
from windowdesk.hub.services import console_accounts
from windowdesk.hub.services.console_rights import ROLE_LABELS, ROLES
from windowdesk.hub.settings import HubSettings
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models_console import ConsoleUser
from windowdesk.i18n import _


def cmd_create_console_user(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    password = args.password if args.password is not None else typed_password(args.login)
    with db.write() as session:
        user = console_accounts.create_user(
            session,
            by=None,
            login=args.login,
            display_name=args.name,
            role=args.role,
            department_code=args.department,
            password=password,
            now=utc_now(),
        )
        login = user.login
    print(
        _(
            "Made the console account {login} ({role}). Its holder signs in at <hub address>/console/ and chooses "
            "their own password at the first sign-in."
        ).format(login=login, role=_(ROLE_LABELS[args.role]))
    )


def cmd_console_users(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    from sqlalchemy import select

    with db.read() as session:
        users = list(session.scalars(select(ConsoleUser).order_by(ConsoleUser.role, ConsoleUser.login)))
        lines = [
            [
                u.login,
                u.display_name,
                _(ROLE_LABELS[u.role]),
                u.department_code or "",
                _("disabled {at}").format(at=clock_text(u.disabled_at)) if u.disabled_at else _("active"),
            ]
            for u in users
        ]
    if not lines:
        print(_("No console account exists yet; make the first administrator with create-console-user."))
        return
    for line in table_lines([[_("LOGIN"), _("NAME"), _("ROLE"), _("DEPARTMENT"), _("STATE")], *lines]):
        print(line)


def cmd_console_password(args, settings: HubSettings, db: HubDatabase) -> None:  # noqa: ANN001
    password = args.password if args.password is not None else typed_password(args.login)
    with db.write() as session:
        console_accounts.reset_password(session, by=None, login=args.login, password=password, now=utc_now())
    print(
        _(
            "Gave {login} a new first password; their sessions are ended and they choose their own password at "
            "the next sign-in."
        ).format(login=args.login)
    )


def add_commands(command: Callable[[str, Callable, str], argparse.ArgumentParser]) -> None:
    sub = command(
        "create-console-user",
        cmd_create_console_user,
        _("make a web console account (the first administrator, or anyone)"),
    )
    sub.add_argument("login", help=_("the account's login name"))
    sub.add_argument("--name", required=True, help=_("the person's full name"))
    sub.add_argument(
        "--role",
        choices=ROLES,
        required=True,
        help=_("department (staff of one department), supervisor or administrator"),
    )
    sub.add_argument("--department", default=None, help=_("the department's code (department staff only)"))
    sub.add_argument(
        "--password",
        default=None,
        help=_(
            "a first password, changed at the first sign-in (else asked at the terminal or read from standard input)"
        ),
    )
    command("console-users", cmd_console_users, _("list the web console's accounts"))
    sub = command(
        "console-password",
        cmd_console_password,
        _("give a console account a new first password (and end its sessions)"),
    )
    sub.add_argument("login", help=_("the account's login name"))
    sub.add_argument("--password", default=None, help=_("else asked at the terminal or read from standard input"))
