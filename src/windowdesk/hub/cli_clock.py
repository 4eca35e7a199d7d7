"""``windowdesk-hub suspend`` and ``resume``: the back office stops a case's clock for a
hearing, an inspection (testing, appraisal) or an expert review, and starts it again
(hub/services/clock_stops.py; the console's case page calls the same services)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from windowdesk.domain.case_state import status_label
from windowdesk.hub.cli_common import utc_now
from windowdesk.hub.services import backoffice, clock_stops
from windowdesk.i18n import _


def cmd_suspend(args, settings, db) -> None:  # noqa: ANN001
    recorded = db.run_write(
        lambda session: clock_stops.suspend_case(
            session,
            case=backoffice.find_case(session, case_number=args.case_number),
            department=args.department,
            kind=args.kind,
            reason=args.reason,
            now=utc_now(),
            by=f"cli:{args.by}",
        ),
        feed=True,
    )
    print(
        _(
            "Case {number}: its clock stops, status now \u201c{status}\u201d (change {seq}, reaches the window at its "
            "next sync)."
        ).format(number=recorded.case_number, status=status_label(recorded.status), seq=recorded.seq)
    )


def cmd_resume(args, settings, db) -> None:  # noqa: ANN001
    recorded = db.run_write(
        lambda session: clock_stops.resume_case(
            session,
            case=backoffice.find_case(session, case_number=args.case_number),
            department=args.department,
            outcome=args.outcome,
            now=utc_now(),
            by=f"cli:{args.by}",
        ),
        feed=True,
    )
    print(
        _("Case {number}: its clock runs again, status now \u201c{status}\u201d (change {seq}).").format(
            number=recorded.case_number, status=status_label(recorded.status), seq=recorded.seq
        )
    )


def add_commands(command: Callable[[str, Callable, str], argparse.ArgumentParser]) -> None:
    sub = command(
        "suspend",
        cmd_suspend,
        _("stop a case's clock for a hearing, an inspection (testing, appraisal) or an expert review"),
    )
    sub.add_argument("case_number", help=_("the case number, as on the receipt"))
    sub.add_argument("--department", required=True, help=_("the code of the deciding department"))
    sub.add_argument(
        "--kind",
        required=True,
        choices=clock_stops.BACK_OFFICE_KINDS,
        help=_("hearing, inspection (testing, appraisal) or expert_review"),
    )
    sub.add_argument("--reason", required=True, help=_("why, and until when: the applicant is told it in writing"))
    sub.add_argument("--by", required=True, help=_("the name of the person recording it"))
    sub = command("resume", cmd_resume, _("start a suspended case's clock again, with the outcome"))
    sub.add_argument("case_number", help=_("the case number, as on the receipt"))
    sub.add_argument("--department", required=True, help=_("the code of the deciding department"))
    sub.add_argument(
        "--outcome", default="", help=_("how the hearing, inspection or review ended (required for those)")
    )
    sub.add_argument("--by", required=True, help=_("the name of the person recording it"))
