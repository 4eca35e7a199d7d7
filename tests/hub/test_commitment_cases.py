"""告知承诺制 at the hub (SQLite and PostgreSQL): a case accepted on a commitment arrives
with its verification due date, the deciding department lists and records the
verification, a false one marks the case for revocation and flags the applicant (keyed by
an HMAC of the ID number under the city's key, published before the flag, the number in
no change), a supervisor lifts a flag, and the city report counts all of it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from windowdesk.domain.commitment import credit_key_hash
from windowdesk.hub.cli import main
from windowdesk.hub.errors import Conflict, Forbidden, InvalidInput, NotFound
from windowdesk.hub.services import commitments, hub_audit
from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.services.reports import city_report
from windowdesk.hub.storage.models import CaseCommitment, CreditFlag, CreditKey
from windowdesk.sync import protocol

from .conftest import EventFactory, Hub, Workstation

ACCEPTED_AT = dt.datetime(2025, 10, 9, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
ID_NUMBER = "230902196210010496"  # the factory's resident
LATER = dt.datetime(2025, 10, 20, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


@pytest.fixture
def events() -> EventFactory:
    return EventFactory(clock=ACCEPTED_AT)


def _committed_case(hub: Hub, window: Workstation, events: EventFactory, due: str = "2025-10-23") -> dict:
    resident = events.resident()
    case = events.case(resident["entity_id"], item="JD-001", commitment={"verify_due": due})
    assert [status for status, _reason in hub.push_results(window, [resident, case])] == ["applied"] * 2
    return case


def _verify(hub: Hub, case: dict, result: str, note: str = "", department: str = "JDB", now=LATER):
    return hub.db.run_write(
        lambda session: commitments.record_verification(
            session,
            case_number=case["payload"]["number"],
            department=department,
            result=result,
            note=note,
            by="console:jdb",
            now=now,
        ),
        feed=True,
    )


def test_a_committed_case_waits_for_its_departments_verification(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    case = _committed_case(hub, window, events)
    with current_figures(hub.db) as session:
        [due] = commitments.verifications_due(session, department="JDB", now=LATER)
        assert commitments.verifications_due(session, department="MZJ", now=LATER) == []
        assert session.get(CaseCommitment, case["entity_id"]).verify_due == dt.date(2025, 10, 23)
    assert (due.case_number, due.verify_due, due.overdue) == (case["payload"]["number"], dt.date(2025, 10, 23), False)
    with current_figures(hub.db) as session:
        [late] = commitments.verifications_due(
            session, department="JDB", now=dt.datetime(2025, 10, 24, 2, tzinfo=dt.UTC)
        )
    assert late.overdue

    recorded = _verify(hub, case, "true")

    assert recorded.flag_id is None
    with current_figures(hub.db) as session:
        assert commitments.verifications_due(session, department="JDB", now=LATER) == []
        assert session.scalars(select(CreditFlag)).all() == [] and session.get(CreditKey, 1) is None
    [change] = [c for c in hub.changes(window)["changes"] if c["kind"] == protocol.CHANGE_VERIFICATION]
    assert change["payload"]["result"] == "true" and change["payload"]["case_id"] == case["entity_id"]


def test_a_false_verification_marks_the_case_and_flags_the_applicant_without_their_number(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    case = _committed_case(hub, window, events)
    other_window = hub.enroll("JD01", "01")  # another center: sees the flag, not the case

    recorded = _verify(hub, case, "false", "经入户核查，收入情况与承诺不符")

    with current_figures(hub.db) as session:
        key = bytes.fromhex(session.get(CreditKey, 1).key)
        key_hash = session.get(CreditFlag, recorded.flag_id).key_hash
        assert session.get(CaseCommitment, case["entity_id"]).result == "false"
        audit = [e.action for e in hub_audit.entries_for(session, entity="case", entity_id=case["entity_id"])]
    assert key_hash == credit_key_hash(key, ID_NUMBER) and audit == ["case.verified"]
    kinds = [c["kind"] for c in hub.changes(window)["changes"]]
    assert kinds.index(protocol.CHANGE_CREDIT_KEY) < kinds.index(protocol.CHANGE_CREDIT_FLAG)
    elsewhere = hub.changes(other_window)["changes"]
    assert [c["kind"] for c in elsewhere if c["kind"].startswith("credit.")] == [
        protocol.CHANGE_CREDIT_KEY,
        protocol.CHANGE_CREDIT_FLAG,
    ]
    assert protocol.CHANGE_VERIFICATION not in [c["kind"] for c in elsewhere]
    assert ID_NUMBER not in str(hub.changes(window)["changes"])


@pytest.mark.parametrize(
    ("result", "note", "department", "error", "words"),
    [
        ("false", "", "JDB", InvalidInput, "Please write"),
        ("maybe", "", "JDB", InvalidInput, "true"),
        ("true", "", "MZJ", Forbidden, "does not decide item JD-001"),
    ],
)
def test_a_verification_the_rules_do_not_allow_is_refused(
    hub: Hub, window: Workstation, events: EventFactory, result, note, department, error, words
) -> None:
    case = _committed_case(hub, window, events)
    with pytest.raises(error) as refused:
        _verify(hub, case, result, note, department)
    assert words in refused.value.worded("en")[1]


def test_a_verification_is_recorded_once_and_a_plain_case_has_none(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    case = _committed_case(hub, window, events)
    _verify(hub, case, "true")
    with pytest.raises(Conflict):
        _verify(hub, case, "false", "不实")
    resident = events.resident()
    plain = events.case(resident["entity_id"], item="JD-001")
    hub.push_results(window, [resident, plain])
    with pytest.raises(NotFound) as refused:
        _verify(hub, plain, "true")
    assert "notify-and-commit" in refused.value.worded("en")[1]


def test_a_supervisor_lifts_a_flag_with_a_reason_once(hub: Hub, window: Workstation, events: EventFactory) -> None:
    case = _committed_case(hub, window, events)
    flag_id = _verify(hub, case, "false", "不实").flag_id

    with pytest.raises(InvalidInput):
        hub.db.run_write(
            lambda s: commitments.lift_flag(s, flag_id=flag_id, reason=" ", by="console:boss", now=LATER), feed=True
        )
    hub.db.run_write(
        lambda s: commitments.lift_flag(s, flag_id=flag_id, reason="已整改并重新核实", by="console:boss", now=LATER),
        feed=True,
    )
    with pytest.raises(Conflict):
        hub.db.run_write(
            lambda s: commitments.lift_flag(s, flag_id=flag_id, reason="again", by="console:boss", now=LATER), feed=True
        )

    flags = [c for c in hub.changes(window)["changes"] if c["kind"] == protocol.CHANGE_CREDIT_FLAG]
    assert [f["payload"]["lifted_at"] is not None for f in flags] == [False, True]
    assert flags[1]["payload"]["lift_reason"] == "已整改并重新核实"
    with current_figures(hub.db) as session:
        assert commitments.credit_flags(session) == []
        [lifted] = commitments.credit_flags(session, include_lifted=True)
        assert [e.action for e in hub_audit.entries_for(session, entity="credit_flag", entity_id=flag_id)] == [
            "credit_flag.lifted"
        ]
    assert lifted.lifted_by == "console:boss"


@pytest.mark.parametrize(
    ("commitment", "words"),
    [
        ({}, "verify_due is not an ISO date"),
        ({"verify_due": "2025-10-01"}, "due before the case was accepted"),
    ],
)
def test_a_commitment_no_window_may_send_is_refused(
    hub: Hub, window: Workstation, events: EventFactory, commitment, words
) -> None:
    resident = events.resident()
    results = hub.push_results(window, [resident, events.case(resident["entity_id"], commitment=commitment)])
    assert results[0][0] == "applied" and results[1][0] == "rejected"
    assert words in results[1][1]


def test_the_city_report_counts_commitments_and_their_verifications(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    false_one = _committed_case(hub, window, events)
    _committed_case(hub, window, events, due="2025-10-15")  # overdue at the end of October
    true_one = _committed_case(hub, window, events)
    _verify(hub, false_one, "false", "不实")
    _verify(hub, true_one, "true")
    with current_figures(hub.db) as session:
        report = city_report(session, start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 31))
    total = report.total
    assert (
        total.accepted,
        total.commitment_accepted,
        total.verifications_due,
        total.verifications_overdue,
        total.verifications_false,
    ) == (3, 3, 0, 1, 1)


def test_the_command_line_lists_records_and_lifts(
    hub: Hub, window: Workstation, events: EventFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _committed_case(hub, window, events, due="2099-01-01")
    number = case["payload"]["number"]

    assert main(hub.cli_args("verifications", "JDB")) == 0
    assert number in capsys.readouterr().out
    assert (
        main(
            hub.cli_args(
                "verify", number, "--department", "JDB", "--result", "false", "--note", "不实", "--by", "李科长"
            )
        )
        == 0
    )
    out = capsys.readouterr().out
    assert number in out
    with current_figures(hub.db) as session:
        [(flag_id, flagged_by)] = session.execute(select(CreditFlag.id, CreditFlag.flagged_by)).all()
    assert flagged_by == "cli:李科长"
    assert main(hub.cli_args("credit-flags")) == 0
    assert flag_id in capsys.readouterr().out
    assert main(hub.cli_args("lift-credit-flag", flag_id, "--reason", "复核无误", "--by", "王主任")) == 0
    capsys.readouterr()
    assert main(hub.cli_args("credit-flags")) == 0
    assert flag_id not in capsys.readouterr().out
