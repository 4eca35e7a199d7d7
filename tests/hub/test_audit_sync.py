"""The workstation's audit log travels to the hub, which keeps each chain and checks it."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import select, update

from windowdesk.domain.ids import resident_id_check_char
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.cli import main
from windowdesk.hub.services.audit_chain import GENESIS_HASH, AuditFields, entry_hash
from windowdesk.hub.storage.models import AuditRecord
from windowdesk.services import audit
from windowdesk.storage import models as m

from .conftest import Hub, Workstation


def _id_number(n: int) -> str:
    first17 = f"1101051988{n + 1:02d}15{n:03d}"
    return first17 + resident_id_check_char(first17)


ID_NUMBERS = tuple(_id_number(n) for n in range(3))


def _outbox_audit_events(db) -> list[dict[str, Any]]:
    """The audit events exactly as the workstation's sync sends them."""
    with db.read() as session:
        rows = session.scalars(
            select(m.OutboxEvent).where(m.OutboxEvent.kind == "audit.entry").order_by(m.OutboxEvent.seq)
        ).all()
        return [
            {
                "event_id": r.event_id,
                "seq": r.seq,
                "entity": r.entity,
                "entity_id": r.entity_id,
                "kind": r.kind,
                "payload": r.payload,
                "created_at": r.created_at.isoformat(),
            }
            for r in rows
        ]


def _audit_events(window_id: str, count: int) -> list[dict[str, Any]]:
    """``count`` entries of one chain made at ``window_id``, as a window pushes them."""
    events, prev = [], GENESIS_HASH
    for seq in range(1, count + 1):
        fields = AuditFields(
            id=new_uuid(),
            at=f"2026-12-08T08:{seq:02d}:00+00:00",
            operator_id=None,
            workstation=window_id,
            action="resident.register",
            entity="resident",
            entity_id=new_uuid(),
            detail={},
        )
        hash_ = entry_hash(prev, fields.hashed())
        payload = {**fields.hashed(), "seq": seq, "prev_hash": prev, "hash": hash_}
        events.append(
            {
                "event_id": new_uuid(),
                "seq": seq,
                "entity": "audit",
                "entity_id": fields.id,
                "kind": "audit.entry",
                "payload": payload,
                "created_at": fields.at,
            }
        )
        prev = hash_
    return events


@pytest.fixture
def logged(demo) -> list[dict[str, Any]]:
    """A few real audit entries: residents registered and one ID number viewed whole."""
    from windowdesk.services import applicants

    for number, name in zip(ID_NUMBERS, ("张伟", "李娜", "王建国"), strict=True):
        applicants.register_resident(demo.db, demo.ctx, id_number=number, name=name)
    with demo.db.read() as session:
        resident_id = session.scalars(select(m.Resident.id).where(m.Resident.id_number == ID_NUMBERS[0])).one()
    applicants.reveal_id_number(demo.db, demo.ctx, applicant=applicants.ApplicantRef("resident", resident_id))
    events = _outbox_audit_events(demo.db)
    assert len(events) >= 4
    return events


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


def _stored(hub: Hub) -> list[AuditRecord]:
    with hub.db.read() as session:
        records = list(session.scalars(select(AuditRecord).order_by(AuditRecord.seq)))
        session.expunge_all()  # readable after the read transaction ends
        return records


def _audit_check(hub: Hub, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    code = main(hub.cli_args("audit-check", *options))
    return code, capsys.readouterr().out


def test_every_audit_entry_goes_to_the_outbox_without_personal_data(demo, logged) -> None:
    with demo.db.read() as session:
        entries = session.scalars(select(m.AuditEntry).order_by(m.AuditEntry.seq)).all()
        assert [e["entity_id"] for e in logged] == [entry.id for entry in entries]
        last = entries[-1]
        payload = logged[-1]["payload"]
        assert payload == {
            "id": last.id,
            "seq": last.seq,
            "at": last.at.isoformat(),
            "operator_id": last.operator_id,
            "workstation": "CH-01",
            "action": last.action,
            "entity": last.entity,
            "entity_id": last.entity_id,
            "detail": last.detail,
            "prev_hash": last.prev_hash,
            "hash": last.hash,
        }
    assert payload["action"] == "resident.view_full_id"
    text = repr([event["payload"] for event in logged])
    assert not any(number in text for number in ID_NUMBERS) and "张伟" not in text
    # The hub computes the hash the way the workstation does.
    fields = AuditFields(**{k: payload[k] for k in AuditFields.__dataclass_fields__})
    assert entry_hash(payload["prev_hash"], fields.hashed()) == payload["hash"]
    assert audit.GENESIS_HASH == GENESIS_HASH == logged[0]["payload"]["prev_hash"]


def test_the_hub_keeps_the_chain_once_and_finds_it_intact(
    hub: Hub, window: Workstation, logged: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert {status for status, _ in hub.push_results(window, logged)} == {"applied"}
    assert {status for status, _ in hub.push_results(window, logged)} == {"duplicate"}
    # The same entry again under a new event id (an outbox restored from a backup): kept once.
    again = {**copy.deepcopy(logged[0]), "event_id": new_uuid()}
    assert hub.push_results(window, [again]) == [("applied", "")]

    stored = _stored(hub)
    assert [r.entry_id for r in stored] == [e["entity_id"] for e in logged]
    assert all(r.chain_ok and r.problem == "" for r in stored)
    assert {(r.workstation_id, r.window_id, r.center_code) for r in stored} == {(window.id, "CH-01", "CH")}
    code, out = _audit_check(hub, capsys)
    assert code == 0 and f"intact: {len(logged)} entries checked" in out


def test_a_changed_or_missing_entry_is_stored_flagged_and_reported(
    hub: Hub, window: Workstation, logged: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    changed = copy.deepcopy(logged[1])
    changed["payload"]["action"] = "resident.delete"  # rewritten after it was hashed
    batch = [logged[0], changed, *logged[3:]]  # logged[2] deleted before it was sent

    assert {status for status, _ in hub.push_results(window, batch)} == {"applied"}

    stored = {r.entry_id: r for r in _stored(hub)}
    assert stored[logged[0]["entity_id"]].chain_ok
    assert not stored[changed["entity_id"]].chain_ok
    assert "does not match its hash" in stored[changed["entity_id"]].problem
    after_gap = stored[logged[3]["entity_id"]]
    assert not after_gap.chain_ok and "chain is broken before it" in after_gap.problem
    assert all(stored[e["entity_id"]].chain_ok for e in logged[4:])
    code, out = _audit_check(hub, capsys)
    assert code == 1 and "2 problem(s)" in out
    assert f"CH-01 (workstation {window.id}) entry {logged[3]['payload']['seq']}" in out
    # A filter by window or by workstation; another window has nothing to report.
    assert _audit_check(hub, capsys, "--workstation", "CH-01")[0] == 1
    assert _audit_check(hub, capsys, "--workstation", window.id)[0] == 1
    code, out = _audit_check(hub, capsys, "--workstation", "CH-02")
    assert code == 0 and "0 entries checked" in out


def test_a_copy_changed_on_the_hub_no_longer_checks_out(
    hub: Hub, window: Workstation, logged: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    hub.push_results(window, logged)
    with hub.db.write() as session:
        session.execute(
            update(AuditRecord).where(AuditRecord.entry_id == logged[1]["entity_id"]).values(operator_id=None)
        )
    code, out = _audit_check(hub, capsys)
    assert code == 1
    assert "no longer checks out" in out and "does not match its hash" in out


def test_a_re_enrolled_workstation_continues_its_chain(
    hub: Hub, window: Workstation, logged: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    hub.push_results(window, logged[:2])
    again = hub.enroll("CH", "01")  # the same computer, a new token
    assert {status for status, _ in hub.push_results(again, logged[2:])} == {"applied"}
    assert all(r.chain_ok for r in _stored(hub))
    assert _audit_check(hub, capsys)[0] == 0


def test_entries_of_another_workstation_or_malformed_ones_are_rejected(
    hub: Hub, window: Workstation, logged: list[dict[str, Any]]
) -> None:
    other_window = copy.deepcopy(logged[0])
    other_window["payload"]["workstation"] = "JD01-01"
    bad_hash = copy.deepcopy(logged[0])
    bad_hash["event_id"], bad_hash["payload"]["hash"] = new_uuid(), "not-a-hash"
    bad_seq = copy.deepcopy(logged[0])
    bad_seq["event_id"], bad_seq["payload"]["seq"] = new_uuid(), "1"
    bad_detail = copy.deepcopy(logged[0])
    bad_detail["event_id"], bad_detail["payload"]["detail"] = new_uuid(), ["a list"]
    other_entity = copy.deepcopy(logged[0])
    other_entity["event_id"], other_entity["entity_id"] = new_uuid(), new_uuid()

    results = hub.push_results(window, [other_window, bad_hash, bad_seq, bad_detail, other_entity])

    assert [status for status, _ in results] == ["rejected"] * 5
    reasons = [reason for _, reason in results]
    assert "made at workstation JD01-01" in reasons[0]
    assert "'hash' is not a SHA-256 hash" in reasons[1]
    assert "'seq' must be a whole number" in reasons[2]
    assert "'detail' must be an object" in reasons[3]
    assert "does not match its entity id" in reasons[4]
    assert _stored(hub) == []


# --- the audit entries' indexes (migration 0022_s10hubwrite) ---------------------------------


def test_the_audit_entries_carry_only_the_indexes_a_query_reads(hub: Hub) -> None:
    """About half of a real push's events are audit entries: each index is an entry more
    (a WAL record on PostgreSQL). The one by workstation went; its readers use the window's."""
    from .test_push_index_entries import _indexes

    with hub.db.read() as session:
        assert _indexes(session, "audit_entries") == {"ix_audit_entries_window", "ix_audit_entries_refusal_resolved"}


def _chain_ends(hub: Hub, workstation: Workstation) -> tuple[tuple[str | None, str | None], list[str]]:
    """Where the push's view finds ``workstation``'s chain ending (its own last hash, else its
    window's), and the plans of the statements reading audit_entries."""
    from windowdesk.hub.services.push_rules import Pusher
    from windowdesk.hub.services.push_view import load_view

    from .test_push_index_entries import _plans_reading

    pusher = Pusher(workstation.id, workstation.center_code, workstation.window_id)
    with hub.db.write() as session:  # SET LOCAL on PostgreSQL: this transaction only
        views = []
        plans = _plans_reading(session, "audit_entries", lambda s: views.append(load_view(s, [], pusher)))
        session.rollback()
    return (views[0].audit_last, views[0].audit_window_last), plans


def test_a_pusher_s_chain_end_is_read_by_its_window(
    hub: Hub, window: Workstation, logged: list[dict[str, Any]]
) -> None:
    from .test_push_index_entries import _assert_searched

    hub.push_results(window, logged[:2])
    again = hub.enroll("CH", "01")  # the same computer, a new token: no entry of its own yet
    other = hub.enroll("CH", "02")
    first_hash = logged[1]["payload"]["hash"]
    (own, window_last), plans = _chain_ends(hub, again)
    assert (own, window_last) == (None, first_hash)
    assert _chain_ends(hub, other)[0] == (None, None)
    assert _chain_ends(hub, window)[0] == (first_hash, None)
    hub.push_results(again, logged[2:])
    (own, _), plans = _chain_ends(hub, again)
    assert own == logged[-1]["payload"]["hash"]
    assert _chain_ends(hub, window)[0] == (first_hash, None)  # the earlier enrollment's own end
    with hub.db.read() as session:
        _assert_searched(session, "audit_entries", plans, "ix_audit_entries_window")


def test_audit_check_of_a_workstation_reads_its_window_s_entries(
    hub: Hub, window: Workstation, logged: list[dict[str, Any]]
) -> None:
    from windowdesk.hub.services.audit_chain import ChainReport, check_chains

    from .test_push_index_entries import _assert_searched, _plans_reading

    hub.push_results(window, logged[:2])
    again = hub.enroll("CH", "01")
    hub.push_results(again, logged[2:])
    for name, expected in ((window.id, 2), (again.id, len(logged) - 2), ("CH-01", len(logged)), ("CH-02", 0)):
        with hub.db.write() as session:  # SET LOCAL on PostgreSQL: this transaction only
            reports: list[ChainReport] = []
            plans = _plans_reading(
                session,
                "audit_entries",
                lambda s, name=name, reports=reports: reports.append(check_chains(s, workstation=name)),
            )
            assert (reports[0].checked, reports[0].breaks) == (expected, [])
            if session.get_bind().dialect.name == "sqlite":
                _assert_searched(session, "audit_entries", plans, "ix_audit_entries_window")
            else:  # the windows' entries by the index, a bitmap scan or not, then sorted
                for plan in plans:
                    assert "Seq Scan" not in plan and "ix_audit_entries_window" in plan, plan
                    assert "Index Cond: ((window_id)" in plan, plan
            session.rollback()
