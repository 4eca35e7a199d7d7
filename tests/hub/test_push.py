"""Push: applied, duplicate, rejected; resends; dependencies; centers; client clocks."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.storage.models import Case, CaseEvent, PushedEvent, Resident
from windowdesk.sync.protocol import API_PREFIX, MAX_PUSH_BATCH, parse_push_reply

from .conftest import EventFactory, Hub, Workstation

APPLIED, DUPLICATE, REJECTED = "applied", "duplicate", "rejected"


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


def _statuses(results: list[tuple[str, str]]) -> list[str]:
    return [status for status, _reason in results]


def _count(hub: Hub, model: type) -> int:
    with hub.db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_batch_is_applied_and_a_resend_changes_nothing(hub: Hub, window: Workstation, events: EventFactory) -> None:
    resident = events.resident()
    case = events.case(resident["entity_id"])
    review = events.status(case["entity_id"], "start_review")
    batch = [resident, case, review]

    first = hub.push_results(window, batch)
    again = hub.push_results(window, batch)
    reply = hub.push(window, batch)

    assert _statuses(first) == [APPLIED] * 3
    assert _statuses(again) == [DUPLICATE] * 3
    # The client's own parser accepts the hub's reply.
    parsed = parse_push_reply(reply.json(), [event["event_id"] for event in batch])
    assert [result.status for result in parsed] == [DUPLICATE] * 3
    assert (_count(hub, PushedEvent), _count(hub, Case), _count(hub, CaseEvent)) == (3, 1, 2)
    with hub.db.read() as session:
        assert session.get(Case, case["entity_id"]).status == "in_progress"


def test_a_rejected_event_stays_rejected_and_does_not_block_independent_ones(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    resident = events.resident()
    good_case = events.case(resident["entity_id"])
    bad_case = events.case(resident["entity_id"], item="XX-999")  # not in any catalog
    depends_on_bad = events.status(bad_case["entity_id"], "start_review")
    independent = events.status(good_case["entity_id"], "start_review")
    batch = [resident, bad_case, good_case, depends_on_bad, independent]

    first = hub.push_results(window, batch)
    again = hub.push_results(window, batch)

    assert _statuses(first) == [APPLIED, REJECTED, APPLIED, REJECTED, APPLIED]
    assert "XX-999" in first[1][1] and "catalog" in first[1][1]
    # The dependent event has its own reason, naming why its case is missing.
    assert "acceptance was rejected" in first[3][1] and "XX-999" in first[3][1]
    # Resent: the rejected ones are rejected again with the same reasons, nothing applied twice.
    assert again[1] == first[1] and again[3] == first[3]
    assert _statuses(again) == [DUPLICATE, REJECTED, DUPLICATE, REJECTED, DUPLICATE]
    assert _count(hub, Case) == 1

    # In a later batch, an event about the rejected case is still explained.
    later = events.status(bad_case["entity_id"], "withdraw")
    [(status, reason)] = hub.push_results(window, [later])
    assert status == REJECTED and "acceptance was rejected" in reason


def test_events_the_hub_cannot_use_are_rejected_with_plain_reasons(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    resident = events.resident()
    case = events.case(resident["entity_id"], number="CH-20261125-01-0001")
    assert _statuses(hub.push_results(window, [resident, case])) == [APPLIED, APPLIED]

    unknown_kind = events.event("fee.collected", "receipt", "r1", {"amount_fen": 100})
    missing = events.resident()
    del missing["payload"]["name"], missing["payload"]["id_number"]
    wrong_type = events.case(resident["entity_id"])
    wrong_type["payload"]["accepted_at"] = "yesterday"
    stranger = events.case("01a00000-0000-7000-8000-000000000000")
    other_window = events.case(resident["entity_id"], window="JD01-01")
    taken_number = events.case(resident["entity_id"], number="CH-20261125-01-0001")
    mismatched = events.resident()
    mismatched["entity_id"] = "01a00000-0000-7000-8000-000000000001"
    never_seen = events.status("01a00000-0000-7000-8000-000000000002", "start_review")
    impossible = events.status(case["entity_id"], "approve")  # still "accepted": needs review first
    bad_action = events.status(case["entity_id"], "teleport")
    batch = [
        unknown_kind,
        missing,
        wrong_type,
        stranger,
        other_window,
        taken_number,
        mismatched,
        never_seen,
        impossible,
        bad_action,
    ]

    results = hub.push_results(window, batch)

    assert _statuses(results) == [REJECTED] * len(batch)
    reasons = [reason for _status, reason in results]
    assert "does not know events of kind 'fee.collected'" in reasons[0]
    assert "missing: id_number, name" in reasons[1]
    assert "'accepted_at' is not an ISO date and time" in reasons[2]
    assert "not registered on the hub" in reasons[3]
    assert "JD01-01 is not a window of center CH" in reasons[4]
    assert "CH-20261125-01-0001 is already used" in reasons[5]
    assert "does not match its entity id" in reasons[6]
    assert "acceptance never arrived" in reasons[7]
    assert "is not possible while the case is" in reasons[8] and "CH-20261125-01-0001" in reasons[8]
    assert "'teleport' is not one of" in reasons[9]
    # Personal data never appears in a reason.
    assert not any("230902196210010496" in r or "王建国" in r for r in reasons)
    with hub.db.read() as session:
        assert session.get(Case, case["entity_id"]).status == "accepted"
        assert session.scalar(select(func.count()).select_from(Resident)) == 1


def test_the_case_state_machine_decides_what_a_window_may_do(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    resident = events.resident()
    case = events.case(resident["entity_id"])
    steps = [events.status(case["entity_id"], action) for action in ("start_review", "approve", "complete", "deliver")]
    too_late = events.status(case["entity_id"], "withdraw")

    results = hub.push_results(window, [resident, case, *steps, too_late])

    assert _statuses(results) == [APPLIED] * 6 + [REJECTED]
    assert "cannot be changed any more" in results[-1][1]
    with hub.db.read() as session:
        timeline = session.scalars(
            select(CaseEvent.to_status).where(CaseEvent.case_id == case["entity_id"]).order_by(CaseEvent.seq)
        ).all()
    assert timeline == ["accepted", "in_progress", "approved", "completed", "delivered"]


def test_work_for_another_center_is_refused_whole_with_403(hub: Hub, window: Workstation, events: EventFactory) -> None:
    street = hub.enroll("JD01", "01")
    street_events = EventFactory(center="JD01", window="JD01-01")
    street_resident = street_events.resident()
    street_case = street_events.case(street_resident["entity_id"])
    assert _statuses(hub.push_results(street, [street_resident, street_case])) == [APPLIED, APPLIED]
    before = _count(hub, PushedEvent)

    # The city-hall window sends a batch with one event of center JD01 in it.
    reply = hub.push(window, [events.resident(), street_events.resident()])

    assert reply.status_code == 403
    error = reply.json()["error"]
    assert error["code"] == "wrong_center"
    assert "enrolled for center CH" in error["message"] and "JD01" in error["message"]
    assert _count(hub, PushedEvent) == before  # nothing stored: the same events may go through later
    # A status change for the other center's case names no center itself: rejected on its own,
    # as a case the hub does not have (issue 21, finding 10: nothing about another center).
    [(status, reason)] = hub.push_results(window, [events.status(street_case["entity_id"], "start_review")])
    assert status == REJECTED and "acceptance never arrived" in reason and "JD01" not in reason


def test_errors_that_quote_what_a_window_sent_are_answered_even_when_it_is_not_unicode(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    """Found by fuzzing: a batch naming a center that is half an emoji (a lone surrogate,
    which Python's JSON reader lets through) was refused with 403 as it should be, but its
    message quotes the center, and a JSON reply must be UTF-8: the hub answered 500."""
    # Since issue 21 (finding 5) such a center is no center code, so it names no other
    # center: its event alone is rejected, and the answer is still UTF-8.
    wrong_center = hub.push_encoded_by_python(window, [events.resident(center="\ud83d")])

    assert wrong_center.status_code == 200, wrong_center.text
    [result] = wrong_center.json()["results"]
    assert result["status"] == REJECTED and "cannot store" in result["reason"]

    odd_key = events.resident()
    odd_key["payload"]["\ud83d"] = 1  # in a key, not a value
    answer = hub.push_encoded_by_python(window, [odd_key])

    assert answer.status_code == 200, answer.text
    [result] = answer.json()["results"]
    assert result["status"] == REJECTED and "cannot store" in result["reason"]


def test_client_clocks_are_kept_but_the_hub_orders_by_receipt(hub: Hub, window: Workstation) -> None:
    # This workstation's clock runs 9 hours fast; its second event even carries an
    # earlier time than its first (the clock was corrected in between).
    fast = EventFactory(clock=dt.datetime.now(dt.UTC) + dt.timedelta(hours=9))
    resident = fast.resident()
    case = fast.case(resident["entity_id"])
    review = fast.status(case["entity_id"], "start_review")
    approve = fast.status(case["entity_id"], "approve")
    approve["created_at"] = (fast.clock - dt.timedelta(hours=12)).isoformat()

    assert _statuses(hub.push_results(window, [resident, case, review, approve])) == [APPLIED] * 4
    with hub.db.read() as session:
        stored = session.get(PushedEvent, approve["event_id"])
        assert stored.created_at == dt.datetime.fromisoformat(approve["created_at"])
        assert stored.received_at < fast.clock
        assert session.get(Case, case["entity_id"]).status == "approved"


def test_the_same_event_twice_in_one_batch_is_applied_once(hub: Hub, window: Workstation, events: EventFactory) -> None:
    resident = events.resident()
    assert _statuses(hub.push_results(window, [resident, resident])) == [APPLIED, DUPLICATE]
    assert _count(hub, Resident) == 1


def test_a_batch_over_the_limit_or_malformed_is_refused_whole(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    too_many = [events.resident() for _ in range(MAX_PUSH_BATCH + 1)]
    not_an_event = {"events": [{"event_id": "not-a-uuid", "seq": 1}]}

    over = hub.push(window, too_many)
    malformed = hub.client.post(f"{API_PREFIX}/push", json=not_an_event, headers=window.headers)

    assert over.status_code == 422 and over.json()["error"]["code"] == "invalid_request"
    assert malformed.status_code == 422
    assert "events.0.event_id" in malformed.json()["error"]["message"]
    assert _count(hub, PushedEvent) == 0


def test_parallel_resends_of_one_batch_apply_each_event_once(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    """A client that timed out resends while its first push is still running."""
    import threading

    resident = events.resident()
    cases = [events.case(resident["entity_id"]) for _ in range(20)]
    batch = [resident, *cases, *(events.status(c["entity_id"], "start_review") for c in cases)]
    answers: list[list[str]] = []
    start = threading.Barrier(4)

    def resend() -> None:
        start.wait()
        answers.append(_statuses(hub.push_results(window, batch)))

    threads = [threading.Thread(target=resend) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 4
    for position in range(len(batch)):
        assert sorted(answer[position] for answer in answers) == [APPLIED] + [DUPLICATE] * 3
    assert _count(hub, Case) == 20 and _count(hub, CaseEvent) == 40


def test_a_number_taken_meanwhile_by_another_workstation_rejects_only_that_event(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    """Two machines enrolled for the same window number their cases alike. While one
    push is still open, the other takes the number: only the clashing event is rejected.
    (On PostgreSQL the second push's grouped write fails and it is applied again event by
    event; on SQLite it waits for the first and sees the number taken.)"""
    import threading

    from windowdesk.hub.services.push import apply_push
    from windowdesk.hub.services.push_rules import IncomingEvent, Pusher

    twin = hub.enroll("CH", "01")
    first, second = EventFactory(), EventFactory()
    first_resident = first.resident()
    first_case = first.case(first_resident["entity_id"], number="CH-20261125-01-0001")
    second_resident = second.resident()
    clash = second.case(second_resident["entity_id"], number="CH-20261125-01-0001")
    fine = second.case(second_resident["entity_id"], number="CH-20261125-01-0002")
    answers: list[list[tuple[str, str]]] = []

    def incoming(event: dict) -> IncomingEvent:
        return IncomingEvent(
            event["event_id"],
            event["seq"],
            event["entity"],
            event["entity_id"],
            event["kind"],
            event["payload"],
            dt.datetime.fromisoformat(event["created_at"]),
        )

    with hub.db.write() as session:
        apply_push(
            session,
            pusher=Pusher(twin.id, "CH", "CH-01"),
            events=[incoming(first_resident), incoming(first_case)],
            now=dt.datetime.now(dt.UTC),
        )
        pusher_thread = threading.Thread(
            target=lambda: answers.append(hub.push_results(window, [second_resident, clash, fine]))
        )
        pusher_thread.start()
        pusher_thread.join(timeout=0.5)  # the second push is now waiting on the first
    pusher_thread.join()

    [results] = answers
    assert _statuses(results) == [APPLIED, REJECTED, APPLIED]
    assert "CH-20261125-01-0001 is already used" in results[1][1]
    assert _count(hub, Case) == 2


def test_an_event_with_a_nul_character_is_rejected_the_same_on_both_databases(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    resident = events.resident(address="third floor\u0000")
    fine = events.resident()
    results = hub.push_results(window, [resident, fine])
    assert _statuses(results) == [REJECTED, APPLIED]
    assert "NUL character" in results[0][1]
    assert _statuses(hub.push_results(window, [resident])) == [REJECTED]


def test_what_no_database_can_store_is_rejected_and_the_rejection_is_kept(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    """Found by fuzzing: a NUL in the event's entity made PostgreSQL refuse even the
    rejection's row (a 500). Lone surrogates and infinities are refused the same way."""
    nul_entity = events.resident()
    nul_entity["entity"] = "resi\u0000dent"
    surrogate = events.resident(address="\ud83d")  # half an emoji: not UTF-8
    infinite = events.resident(welfare_status=float("inf"))
    batch = [nul_entity, surrogate, infinite]

    def push() -> list[tuple[str, str]]:
        reply = hub.push_encoded_by_python(window, batch)
        assert reply.status_code == 200, reply.text
        return [(r["status"], r["reason"]) for r in reply.json()["results"]]

    first, again = push(), push()

    assert _statuses(first) == [REJECTED] * 3 and again == first
    assert all("cannot store" in reason for _, reason in first)
    with hub.db.read() as session:
        stored = session.get(PushedEvent, nul_entity["event_id"])
        assert (stored.status, stored.entity, stored.payload) == (REJECTED, "resi\ufffddent", nul_entity["payload"])
        assert session.get(PushedEvent, surrogate["event_id"]).payload == {}
    assert _count(hub, Resident) == 0


@pytest.mark.parametrize("unstorable", ["A\u0000B", "\ud83d"], ids=["nul", "lone-surrogate"])
def test_unstorable_text_where_the_hub_looks_records_up_is_rejected_not_a_500(
    hub: Hub, window: Workstation, events: EventFactory, unstorable: str
) -> None:
    """Found by fuzzing (PostgreSQL): the hub looks up the records a batch names before the
    rules run; a case id with a NUL character in it reached that query, which PostgreSQL
    refused, and the push was answered 500. No record can have such an id or number, so
    the event is rejected like any unstorable one, and the rest of the batch applied.
    (An entity id that is not Unicode text at all makes the whole request unreadable: 422.)"""
    resident = events.resident()
    applicant = resident["entity_id"]
    entity_id = unstorable if "\u0000" in unstorable else new_uuid()
    status = events.status(entity_id, "withdraw", note=unstorable)
    case_number = events.case(applicant, number=unstorable)
    item = events.case(applicant, item=unstorable)
    window_id = events.case(applicant, window=unstorable)
    stranger = events.case(applicant, applicant={"kind": "resident", "id": unstorable})
    rating = events.event("rating.given", "rating", entity_id, {"id": entity_id, "complaint_id": unstorable})
    fine = events.case(applicant)
    batch = [resident, status, case_number, item, window_id, stranger, rating, fine]

    reply = hub.push_encoded_by_python(window, batch)

    assert reply.status_code == 200, reply.text
    assert [r["status"] for r in reply.json()["results"]] == [APPLIED] + [REJECTED] * 6 + [APPLIED]
    assert _count(hub, Case) == 1


def test_kinds_the_hub_has_no_projection_for_are_kept_as_received(
    hub: Hub, window: Workstation, events: EventFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kind the protocol names but the hub has no rule for yet (a client released
    first) is checked (required fields, own center and window) and kept; a kind the
    protocol does not name stays rejected."""
    from windowdesk.hub.services import push_rules

    kind = "survey.given"
    monkeypatch.setattr(push_rules, "EVENT_KINDS", (*push_rules.EVENT_KINDS, kind))
    monkeypatch.setitem(push_rules.EVENT_REQUIRED_FIELDS, kind, ("id", "center", "window", "score"))

    def survey(**changes: object) -> dict:
        record_id = new_uuid()
        payload = {"id": record_id, "center": "CH", "window": "CH-01", "score": 5, **changes}
        return events.event(kind, "survey", record_id, payload)

    good, missing, other_window = survey(), survey(score=None), survey(window="JD01-01")
    unknown = events.event("survey.taken", "survey", "s1", {"id": "s1"})

    results = hub.push_results(window, [good, missing, other_window, unknown])

    assert _statuses(results) == [APPLIED, REJECTED, REJECTED, REJECTED]
    assert "missing: score" in results[1][1]
    assert "JD01-01 is not a window of center CH" in results[2][1]
    assert "does not know events of kind 'survey.taken'" in results[3][1]
    assert hub.push(window, [survey(center="JD01")]).status_code == 403
    with hub.db.read() as session:
        assert session.get(PushedEvent, good["event_id"]).payload["score"] == 5
