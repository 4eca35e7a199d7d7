"""告知承诺制 end to end with the real ``windowdesk-hub serve`` process on loopback: a case
accepted on a commitment at one window reaches the hub with its verification due date;
the department finds it false (the hub's command line); the case's window learns it is
marked for revocation, and another window, which never saw the case, refuses the same
applicant (the same ID number, registered there) both 告知承诺制 and 容缺受理 until a
supervisor lifts the flag at the hub."""

from __future__ import annotations

import pytest

from windowdesk.domain.commitment import CommitmentTerms
from windowdesk.domain.deferral import DeferralTerms
from windowdesk.errors import ValidationError
from windowdesk.services import catalog as catalog_service
from windowdesk.services import intake
from windowdesk.storage import models as m

from .test_sync_with_hub import blank_stations, enrolled, hub, new_station, resident, sync  # noqa: F401

ITEM = "JD-001"  # 居民家庭经济状况证明开具: verified within 10 working days


def _checks(station, item: str, missing: tuple[str, ...] = ()) -> list[intake.MaterialCheck]:
    guide = catalog_service.get_item_guide(station.db, item_code=item)
    return [
        intake.MaterialCheck(mat.code, intake.MISSING if mat.code in missing else intake.RECEIVED)
        for mat in guide.materials
    ]


def _commit(station, applicant):
    return intake.accept_case(
        station.db,
        station.ctx,
        item_code=ITEM,
        applicant=applicant,
        checks=_checks(station, ITEM),
        shipped_calendar=station.calendar,
        commitment=CommitmentTerms(),
    )


def _defer(station, applicant):
    return intake.accept_case(
        station.db,
        station.ctx,
        item_code="MZ-002",
        applicant=applicant,
        checks=_checks(station, "MZ-002", ("M05",)),
        shipped_calendar=station.calendar,
        deferral=DeferralTerms(station.ctx.local_today()),
    )


def test_a_false_verification_flags_the_applicant_at_every_window_until_lifted(hub, new_station) -> None:  # noqa: F811
    first = new_station("CH", "01")
    case = _commit(first, resident(first, 1))  # offline: no hub yet
    hub.start()
    assert sync(enrolled(first, hub)).ok
    with first.db.read() as session:
        due = session.get(m.CaseCommitment, case.id).verify_due
    assert hub.rows("SELECT verify_due FROM case_commitments WHERE case_id = :c", c=case.id)[0][0] in (
        due,
        due.isoformat(),
    )
    assert case.number in hub.cli("verifications", "JDB")

    hub.cli(
        "verify",
        case.number,
        "--department",
        "JDB",
        "--result",
        "false",
        "--note",
        "收入情况与承诺不符",
        "--by",
        "李科长",
    )

    second = enrolled(new_station("CH", "02"), hub)
    same_person = resident(second, 1)  # registered again here: the flag finds them by their number
    assert sync(second).ok and sync(first).ok
    with first.db.read() as session:
        assert session.get(m.CaseCommitment, case.id).marked_for_revocation
    for attempt in (_commit, _defer):
        with pytest.raises(ValidationError, match="credit flag"):
            attempt(second, same_person)
    assert _commit(second, resident(second, 2)).committed  # anyone else may

    [flag_line] = [line for line in hub.cli("credit-flags").splitlines() if case.number in line]
    hub.cli("lift-credit-flag", flag_line.split()[0], "--reason", "复核后确认已整改", "--by", "王主任")
    assert sync(second).ok
    assert _commit(second, same_person).committed and _defer(second, same_person).deferred
