"""告知承诺制 at the window, on a real SQLite file: accepting on the applicant's signed
commitment (decided on the spot or not), the verification due date, the hub's credit
flags as the feed brings them (a flagged applicant may use neither 容缺受理 nor
告知承诺制, offline), and the verification's outcome in the reports.

JD-001 (居民家庭经济状况证明开具, verified within 10 working days, no certificate) and
WS-001 (公共场所卫生许可证核发, 20 working days, issues a certificate) are marked in the
demo catalog; MZ-002 allows 容缺受理.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from windowdesk.domain.commitment import CommitmentTerms, credit_key_hash
from windowdesk.domain.deferral import DeferralTerms
from windowdesk.errors import ValidationError
from windowdesk.services import intake, reports, worklist
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.credit_flags import CREDIT_KEY_SETTING
from windowdesk.services.intake import MISSING, RECEIVED, MaterialCheck
from windowdesk.services.sync_apply import apply_change
from windowdesk.storage import models as m
from windowdesk.storage.queries import local_setting
from windowdesk.sync import protocol

from .test_intake_service import DEMO_ID, at, resident

MONDAY = "2026-03-02 09:30"
OTHER_ID = "230902194403180126"  # 张秀英
KEY = "ab" * 32
SIGNED = CommitmentTerms()


def _checks(demo, item: str, marks: dict[str, tuple[str, str]] | None = None) -> list[MaterialCheck]:
    marks = marks or {}
    return [
        MaterialCheck(mat.code, *marks.get(mat.code, (RECEIVED, "")))
        for mat in get_item_guide(demo.db, item_code=item).materials
    ]


def _commit(demo, ctx, item: str = "JD-001", terms: CommitmentTerms | None = SIGNED, id_number=DEMO_ID):
    return intake.accept_case(
        demo.db,
        ctx,
        item_code=item,
        applicant=resident(demo.db, id_number),
        checks=_checks(demo, item),
        shipped_calendar=demo.calendar,
        commitment=terms,
    )


def _defer(demo, ctx, id_number=DEMO_ID):
    return intake.accept_case(
        demo.db,
        ctx,
        item_code="MZ-002",
        applicant=resident(demo.db, id_number),
        checks=_checks(demo, "MZ-002", {"M05": (MISSING, "")}),
        shipped_calendar=demo.calendar,
        deferral=DeferralTerms(dt.date(2026, 3, 9)),
    )


def _feed(demo, kind: str, payload: dict, seq: int = 1) -> None:
    with demo.db.write() as session:
        apply_change(
            session,
            protocol.Change(seq, kind, "x", str(payload.get("id") or payload.get("case_id") or "1"), payload),
            now=dt.datetime.now(dt.UTC),
        )


def _flag(demo, id_number: str = DEMO_ID, *, lifted: bool = False) -> None:
    _feed(demo, protocol.CHANGE_CREDIT_KEY, {"key": KEY})
    _feed(
        demo,
        protocol.CHANGE_CREDIT_FLAG,
        {
            "id": "0190a0a0-0000-7000-8000-000000000001",
            "key_hash": credit_key_hash(bytes.fromhex(KEY), id_number),
            "case_number": "CH-20260201-01-0001",
            "flagged_at": "2026-02-20T01:00:00+00:00",
            "reason": "经核查承诺不实",
            "lifted_at": "2026-02-25T01:00:00+00:00" if lifted else None,
            "lift_reason": "已整改" if lifted else "",
        },
    )


def _outbox(demo, case_id: str) -> list[tuple[str, dict]]:
    with demo.db.read() as session:
        return [
            (kind, payload)
            for kind, payload in session.execute(
                select(m.OutboxEvent.kind, m.OutboxEvent.payload)
                .where(m.OutboxEvent.entity_id == case_id)
                .order_by(m.OutboxEvent.seq)
            )
        ]


def test_a_case_under_notify_and_commit_is_decided_on_the_spot_with_its_verification_due(demo):
    result = _commit(demo, at(demo.ctx, MONDAY))

    assert result.kind == "case" and result.committed and not result.deferred
    with demo.db.read() as session:
        case = session.get(m.Case, result.id)
        assert case.status == "completed"
        assert case.commitment.verify_due == dt.date(2026, 3, 16)  # 10 working days after Monday 2 March
        assert case.commitment.verified_result is None and not case.commitment.marked_for_revocation
        assert [ev.to_status for ev in case.events] == ["accepted", "in_progress", "approved", "completed"]
    sent = _outbox(demo, result.id)
    assert sent[0][0] == "case.accepted" and sent[0][1]["commitment"] == {"verify_due": "2026-03-16"}
    assert [p["action"] for kind, p in sent[1:]] == ["start_review", "approve", "complete"]
    detail = worklist.get_record_detail(demo.db, at(demo.ctx, MONDAY), kind="case", record_id=result.id)
    assert detail.state.endswith("notify-and-commit, verification due 2026-03-16")


def test_without_deciding_on_the_spot_the_case_is_accepted_with_its_verification_due(demo):
    result = _commit(demo, at(demo.ctx, MONDAY), terms=CommitmentTerms(decide_on_the_spot=False))
    with demo.db.read() as session:
        case = session.get(m.Case, result.id)
        assert (case.status, case.commitment.verify_due) == ("accepted", dt.date(2026, 3, 16))


def test_an_item_that_issues_a_certificate_is_decided_on_the_spot_only_with_its_number(demo):
    ctx = at(demo.ctx, MONDAY)
    with pytest.raises(ValidationError) as refused:
        _commit(demo, ctx, "WS-001")
    assert "公共场所卫生许可证" in refused.value.message or "certificate" in refused.value.message
    with demo.db.read() as session:
        assert session.scalars(select(m.Case)).all() == []  # nothing half-done

    result = _commit(demo, ctx, "WS-001", CommitmentTerms(certificate_number="卫公证字〔2026〕第0001号"))
    with demo.db.read() as session:
        case = session.get(m.Case, result.id)
        assert (case.status, case.certificate_number) == ("completed", "卫公证字〔2026〕第0001号")
        assert case.commitment.verify_due == dt.date(2026, 3, 30)  # 20 working days


@pytest.mark.parametrize(
    ("item", "terms", "words"),
    [
        ("MZ-002", CommitmentTerms(), "does not allow it"),
        ("JD-001", CommitmentTerms(signed=False), "must sign the commitment"),
    ],
)
def test_a_commitment_the_rules_do_not_allow_is_refused_and_nothing_is_saved(demo, item, terms, words):
    with pytest.raises(ValidationError) as refused:
        _commit(demo, at(demo.ctx, MONDAY), item, terms)
    assert words in refused.value.message
    with demo.db.read() as session:
        assert session.scalars(select(m.Case)).all() == []


def test_a_flagged_applicant_may_use_neither_deferral_nor_commitment_but_may_still_apply(demo):
    ctx = at(demo.ctx, MONDAY)
    _flag(demo)

    for attempt in (_commit, _defer):
        with pytest.raises(ValidationError) as refused:
            attempt(demo, ctx)
        assert "credit flag" in refused.value.message and refused.value.field == "applicant"
    with demo.db.read() as session:
        assert session.scalars(select(m.Case)).all() == []
        assert local_setting(session, CREDIT_KEY_SETTING) == KEY  # kept here: the check holds offline
        assert DEMO_ID not in str(session.scalars(select(m.CreditFlag.key_hash)).all())

    # An ordinary acceptance stays open to them, and other applicants are not affected.
    ordinary = intake.accept_case(
        demo.db,
        ctx,
        item_code="JD-001",
        applicant=resident(demo.db),
        checks=_checks(demo, "JD-001"),
        shipped_calendar=demo.calendar,
    )
    assert ordinary.kind == "case" and not ordinary.committed
    assert _commit(demo, ctx, id_number=OTHER_ID).committed
    assert _defer(demo, ctx, id_number=OTHER_ID).deferred


def test_a_lifted_flag_bars_nothing_any_more(demo):
    ctx = at(demo.ctx, MONDAY)
    _flag(demo)
    _flag(demo, lifted=True)  # the same flag, as the hub publishes it once lifted
    assert _commit(demo, ctx).committed
    assert _defer(demo, ctx).deferred


def test_the_verification_reaches_the_case_and_the_report_counts_commitments_apart(demo):
    ctx = at(demo.ctx, MONDAY)
    false_one = _commit(demo, ctx)
    _commit(demo, ctx, id_number=OTHER_ID)  # not verified: due 2026-03-16
    _commit(demo, at(demo.ctx, "2026-03-02 10:00"), terms=CommitmentTerms(decide_on_the_spot=False))
    _defer(demo, ctx, id_number=OTHER_ID)

    _feed(
        demo,
        protocol.CHANGE_VERIFICATION,
        {
            "case_id": false_one.id,
            "case_number": false_one.number,
            "result": "false",
            "department": "JDB",
            "note": "收入情况不实",
            "at": "2026-03-05T02:00:00+00:00",
        },
    )
    with demo.db.read() as session:
        commitment = session.get(m.CaseCommitment, false_one.id)
        assert commitment.marked_for_revocation and commitment.verified_by == "JDB"
        assert commitment.verification_note == "收入情况不实"
    detail = worklist.get_record_detail(demo.db, ctx, kind="case", record_id=false_one.id)
    assert detail.state.endswith("commitment found false: marked for revocation")

    def figures(end: dt.date):
        total = reports.performance_report(
            demo.db, ctx, start=dt.date(2026, 3, 1), end=end, by="center", shipped_calendar=demo.calendar
        ).total
        return (
            total.accepted,
            total.deferred_accepted,
            total.commitment_accepted,
            total.verifications_due,
            total.verifications_overdue,
            total.verifications_false,
        )

    assert figures(dt.date(2026, 3, 16)) == (4, 1, 3, 2, 0, 1)
    assert figures(dt.date(2026, 3, 31)) == (4, 1, 3, 0, 2, 1)  # past the due day at the period's end
