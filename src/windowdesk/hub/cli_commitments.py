"""``windowdesk-hub`` commands of 告知承诺制: a department's verifications due, recording
one, the credit flags and lifting one. Added to the parser by hub.cli; the rules are in
hub/services/commitments.py (the console's pages call the same services)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from windowdesk.domain.commitment import VerificationResult
from windowdesk.hub.cli_common import utc_now
from windowdesk.hub.cli_language import table_lines
from windowdesk.hub.services import commitments
from windowdesk.i18n import _


def cmd_verifications(args, settings, db) -> None:  # noqa: ANN001
    with db.read() as session:
        rows = commitments.verifications_due(session, department=args.department, now=utc_now())
    if not rows:
        print(_("No verification is waiting for department {department}.").format(department=args.department))
        return
    header = [_("DUE"), _("CASE"), _("CENTER"), _("ITEM"), _("STATE")]
    lines = [
        [
            row.verify_due.isoformat(),
            row.case_number,
            row.center,
            f"{row.item_code} {row.item_name}",
            _("overdue") if row.overdue else _("due"),
        ]
        for row in rows
    ]
    for line in table_lines([header, *lines]):
        print(line)


def cmd_verify(args, settings, db) -> None:  # noqa: ANN001
    recorded = db.run_write(
        lambda session: commitments.record_verification(
            session,
            case_number=args.case_number,
            department=args.department,
            result=args.result,
            note=args.note,
            by=f"cli:{args.by}",
            now=utc_now(),
        ),
        feed=True,
    )
    if recorded.flag_id:
        print(
            _(
                "Case {number}: the commitment was found false. The case is marked for revocation and the applicant "
                "has credit flag {flag}; every window learns it at its next sync."
            ).format(number=recorded.case_number, flag=recorded.flag_id)
        )
    else:
        print(
            _("Case {number}: the commitment is verified (change {seq}).").format(
                number=recorded.case_number, seq=recorded.seq
            )
        )


def cmd_credit_flags(args, settings, db) -> None:  # noqa: ANN001
    with db.read() as session:
        rows = commitments.credit_flags(session, include_lifted=args.all)
    if not rows:
        print(_("No credit flag is in force.") if not args.all else _("No credit flag was ever put."))
        return
    header = [_("FLAG"), _("CASE"), _("SINCE"), _("REASON"), _("LIFTED")]
    lines = [
        [
            row.flag_id,
            row.case_number,
            row.flagged_at.date().isoformat(),
            row.reason,
            f"{row.lifted_at.date().isoformat()} {row.lift_reason}" if row.lifted_at else "-",
        ]
        for row in rows
    ]
    for line in table_lines([header, *lines]):
        print(line)


def cmd_lift_credit_flag(args, settings, db) -> None:  # noqa: ANN001
    seq = db.run_write(
        lambda session: commitments.lift_flag(
            session, flag_id=args.flag_id, reason=args.reason, by=f"cli:{args.by}", now=utc_now()
        ),
        feed=True,
    )
    print(
        _("Credit flag {flag} lifted (change {seq}); every window learns it at its next sync.").format(
            flag=args.flag_id, seq=seq
        )
    )


def add_commands(command: Callable[[str, Callable, str], argparse.ArgumentParser]) -> None:
    sub = command(
        "verifications",
        cmd_verifications,
        _("the verifications (核查) of notify-and-commit cases a department has not recorded yet"),
    )
    sub.add_argument("department", help=_("the department's code"))
    sub = command("verify", cmd_verify, _("record a department's verification of a notify-and-commit case"))
    sub.add_argument("case_number", help=_("the case number, as on the receipt"))
    sub.add_argument("--department", required=True, help=_("the code of the verifying department"))
    sub.add_argument(
        "--result",
        required=True,
        choices=[result.value for result in VerificationResult],
        help=_("true: the commitment holds; false: the case is marked for revocation and the applicant flagged"),
    )
    sub.add_argument("--note", default="", help=_("what the verification found (required when false)"))
    sub.add_argument("--by", required=True, help=_("the name of the person recording it"))
    sub = command("credit-flags", cmd_credit_flags, _("the credit flags in force"))
    sub.add_argument("--all", action="store_true", help=_("the lifted ones too"))
    sub = command("lift-credit-flag", cmd_lift_credit_flag, _("lift a credit flag, with the reason"))
    sub.add_argument("flag_id", help=_("the flag's id, as credit-flags shows it"))
    sub.add_argument("--reason", required=True, help=_("why the flag is lifted"))
    sub.add_argument("--by", required=True, help=_("the name of the supervisor lifting it"))
