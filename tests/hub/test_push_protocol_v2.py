"""Protocol 2's push body (sync/protocol.py): the payloads after a head that gives their
lengths, stored as the window sent them once the rules checked them. The hub must store
what protocol 1 stores, answer a resend across versions as a duplicate, refuse a body that
does not add up whole, and read a payload it would store differently the way protocol 1 does.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from windowdesk.domain.ids import resident_id_check_char
from windowdesk.hub.storage.models import Base, PushedEvent
from windowdesk.storage.db import compact_json
from windowdesk.sync.protocol import API_PREFIX, PUSH_V2_CONTENT_TYPE, push_body_v2

from .conftest import EventFactory, Hub, Workstation, open_hub, postgres_admin_url

APPLIED, DUPLICATE, REJECTED = "applied", "duplicate", "rejected"
# The events' own clock, well before the test: a time the hub made (received_at) is the test's.
SENT_CLOCK = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)


OTHER_ID_NUMBER = "23090219800101001" + resident_id_check_char("23090219800101001")


def _head(event: dict[str, Any], size: int) -> bytes:
    head = {key: value for key, value in event.items() if key != "payload"}
    return json.dumps({**head, "payload_bytes": size}, separators=(",", ":")).encode()


def body_v2(events: list[dict[str, Any]], encode=compact_json, after: str | None = None) -> bytes:
    """A protocol 2 body as the window builds it, each payload encoded by ``encode``."""
    payloads = [encode(event["payload"]).encode() for event in events]
    heads = [_head(event, len(payload)) for event, payload in zip(events, payloads, strict=True)]
    return push_body_v2(heads, payloads, after)


def post_v2(hub: Hub, workstation: Workstation, body: bytes):
    return hub.client.post(
        f"{API_PREFIX}/push", content=body, headers={**workstation.headers, "Content-Type": PUSH_V2_CONTENT_TYPE}
    )


def results_v2(hub: Hub, workstation: Workstation, events: list[dict[str, Any]], **options: Any) -> list[tuple]:
    reply = post_v2(hub, workstation, body_v2(events, **options))
    assert reply.status_code == 200, reply.text
    results = reply.json()["results"]
    assert [r["event_id"] for r in results] == [e["event_id"] for e in events]
    return [(r["status"], r["reason"]) for r in results]


def _stored(hub: Hub) -> dict[str, tuple]:
    with hub.db.read() as session:
        rows = session.execute(select(PushedEvent.event_id, PushedEvent.status, PushedEvent.payload)).all()
    return {event_id: (status, payload) for event_id, status, payload in rows}


def _scenario(events: EventFactory) -> list[dict[str, Any]]:
    """A window's day in small: people, cases with Chinese text, steps, a refused event."""
    resident = events.resident(address="黑龙江省齐齐哈尔市龙沙区 3 号楼 2 单元")
    other = events.resident(name="李秀英", id_number=OTHER_ID_NUMBER, phone="13800000000")
    materials = [{"code": "M01", "name": "居民身份证", "copies": 1, "original": True, "checked": True}]
    case = events.case(resident["entity_id"], note="申请人已提交身份证复印件，窗口核验无误。", materials=materials)
    second = events.case(other["entity_id"], item="MZ-002")
    review = events.status(case["entity_id"], "start_review", note="转入审查")
    orphan = events.case("01a00000-0000-7000-8000-000000000000")  # an applicant the hub never heard of
    return [resident, other, case, second, review, orphan]


@pytest.fixture
def twin_url(backend: str, hub_sqlite_start: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A second hub database, as fresh as the ``hub`` fixture's."""
    if backend == "sqlite":
        path = tmp_path / "twin" / "hub.sqlite3"
        path.parent.mkdir()
        path.write_bytes(hub_sqlite_start.read_bytes())
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("postgres_template")
    admin_url = make_url(postgres_admin_url())
    name = f"wdhub_twin_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# What differs between two hubs whatever was pushed: their identity, keys, tokens, and the
# enrollment that made the workstation (random ids and secrets).
HUB_OWN_TABLES = {"hub_identity", "hub_key", "workstations", "enrollment_codes", "staff_tokens", "hub_audit"}


def _readable_rows(hub: Hub, workstation_id: str, since: dt.datetime) -> dict[str, list[tuple]]:
    """Every row of every table as a reader reads it back (JSON as values), with the
    workstation's id and the times the hub took from its own clock during the test named
    alike, in a stable order."""

    def plain(value: Any) -> Any:
        if value == workstation_id:
            return "<workstation>"
        if isinstance(value, dt.datetime) and (value if value.tzinfo else value.replace(tzinfo=dt.UTC)) >= since:
            return "<now>"
        return json.dumps(value, sort_keys=True, default=str) if isinstance(value, dict | list) else value

    tables: dict[str, list[tuple]] = {}
    with hub.db.read() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in HUB_OWN_TABLES:
                continue
            rows = session.execute(select(table)).all()
            tables[table.name] = sorted((tuple(plain(value) for value in row) for row in rows), key=repr)
        if hub.url.startswith("sqlite"):  # the payloads' very text, not only what it says
            tables["pushed_events.payload_text"] = sorted(
                session.execute(text("SELECT event_id, CAST(payload AS TEXT) FROM pushed_events")).all()
            )
    return tables


def test_both_versions_store_the_same_rows_and_every_reader_reads_the_same(
    hub: Hub, twin_url: str, tmp_path: Path
) -> None:
    since = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    factory = EventFactory(clock=SENT_CLOCK)
    sent = _scenario(factory)
    (tmp_path / "twin-data").mkdir()
    with open_hub(twin_url, tmp_path / "twin-data") as twin:
        answers, reads = [], []
        for this_hub, version in ((hub, 1), (twin, 2)):
            this_hub.import_demo_catalog()
            window = this_hub.enroll("CH", "01")
            if version == 1:
                answers.append(this_hub.push_results(window, sent))
            else:
                answers.append(results_v2(this_hub, window, sent))
            feed = this_hub.changes(window)["changes"]
            reads.append((_readable_rows(this_hub, window.id, since), [(c["kind"], c["entity_id"]) for c in feed]))

    assert answers[0] == answers[1]
    assert [status for status, _ in answers[1]] == [APPLIED] * 5 + [REJECTED]
    (rows_v1, feed_v1), (rows_v2, feed_v2) = reads
    assert feed_v1 == feed_v2
    assert rows_v1.keys() == rows_v2.keys()
    for table in rows_v1:
        assert rows_v1[table] == rows_v2[table], table
    assert len(rows_v2["pushed_events"]) == 6 and len(rows_v2["case_events"]) >= 3


def test_an_event_sent_in_one_version_and_again_in_the_other_is_a_duplicate(hub: Hub, demo_catalog: None) -> None:
    window = hub.enroll("CH", "01")
    first = _scenario(EventFactory())
    second = _scenario(EventFactory())
    expected = [DUPLICATE] * 5 + [REJECTED]

    assert [s for s, _ in hub.push_results(window, first)] == [APPLIED] * 5 + [REJECTED]
    again_v2 = results_v2(hub, window, first)
    assert [s for s, _ in again_v2] == expected

    assert [s for s, _ in results_v2(hub, window, second)] == [APPLIED] * 5 + [REJECTED]
    again_v1 = hub.push_results(window, second)
    assert [s for s, _ in again_v1] == expected
    # The refused one keeps its first reason, whichever version sent it again.
    assert again_v2[-1][1] and again_v1[-1][1]

    # A window that wrote its payloads otherwise (spaces, Chinese escaped: the outbox
    # before protocol 2) sends the same content: still a duplicate, not a conflict.
    assert [s for s, _ in results_v2(hub, window, first, encode=json.dumps)] == expected
    assert [s for s, _ in results_v2(hub, window, second, encode=json.dumps)] == expected

    # The same id with other content is refused, as in version 1.
    changed = [dict(first[0], payload={**first[0]["payload"], "name": "张三"})]
    ((status, reason),) = results_v2(hub, window, changed)
    assert status == REJECTED and "other content" in reason
    assert _stored(hub)[first[0]["event_id"]][1]["name"] == first[0]["payload"]["name"]


def _cut_short(body: bytes) -> bytes:
    return body[:-7]


def _lying_span(body: bytes) -> bytes:
    # The first event says its payload is 3 bytes longer, the second 3 shorter: the sum holds.
    head, _, payloads = body.partition(b"\n")
    decoded = json.loads(head)
    decoded["events"][0]["payload_bytes"] += 3
    decoded["events"][1]["payload_bytes"] -= 3
    return json.dumps(decoded, separators=(",", ":")).encode() + b"\n" + payloads


def _not_json(body: bytes) -> bytes:
    head, _, payloads = body.partition(b"\n")
    decoded = json.loads(head)
    size = decoded["events"][0]["payload_bytes"]
    return head + b"\n" + b"{" * size + payloads[size:]


def _not_an_object(body: bytes) -> bytes:
    head, _, payloads = body.partition(b"\n")
    decoded = json.loads(head)
    size = decoded["events"][0]["payload_bytes"]
    return head + b"\n" + b"[" + b" " * (size - 2) + b"]" + payloads[size:]


def _no_head_end(body: bytes) -> bytes:
    return body.replace(b"\n", b" ", 1)


def _bad_head(body: bytes) -> bytes:
    head, _, payloads = body.partition(b"\n")
    decoded = json.loads(head)
    decoded["events"][1]["event_id"] = "not-a-uuid"
    return json.dumps(decoded, separators=(",", ":")).encode() + b"\n" + payloads


@pytest.mark.parametrize(
    ("spoil", "said"),
    [
        (_cut_short, "bytes of payloads"),
        (_lying_span, "events.0.payload: its"),
        (_not_json, "events.0.payload: its"),
        (_not_an_object, "events.0.payload: it is not a JSON object"),
        (_no_head_end, "the head does not end"),
        (_bad_head, "events.1.event_id"),
    ],
    ids=["cut-short", "lying-span", "not-json", "not-an-object", "no-head-end", "bad-head"],
)
def test_a_version_2_body_that_does_not_add_up_is_refused_whole_with_its_reason(
    hub: Hub, demo_catalog: None, spoil, said: str, caplog: pytest.LogCaptureFixture
) -> None:
    window = hub.enroll("CH", "01")
    sent = _scenario(EventFactory())
    reply = post_v2(hub, window, spoil(body_v2(sent)))

    assert reply.status_code == 422, reply.text
    error = reply.json()["error"]
    assert error["code"] == "invalid_request" and said in error["message"]
    # Its reason names places and sizes, never what the payloads hold.
    for personal in ("230902196210010496", OTHER_ID_NUMBER, "王建国", "李秀英", "13800000000"):
        assert personal not in reply.text and personal not in caplog.text
    assert _stored(hub) == {}  # nothing of the batch
    # The same events, sent whole, are new to the hub.
    assert [s for s, _ in results_v2(hub, window, sent)] == [APPLIED] * 5 + [REJECTED]


def test_a_payload_the_hub_would_store_otherwise_is_read_and_answered_as_version_1_reads_it(
    hub: Hub, demo_catalog: None
) -> None:
    """A repeated key (SQLite's JSON functions read the first value, Python the last), NaN,
    a lone surrogate escape, an escaped NUL: each answered as version 1 answers it, and what
    is stored is what version 1 stores, not the bytes sent."""
    window = hub.enroll("CH", "01")
    factory = EventFactory()
    repeated = factory.resident()
    nan = factory.resident(welfare_status=float("nan"))
    surrogate = factory.resident(address="\ud83d")
    nul = factory.resident(address="A\u0000B")
    twins = [
        factory.resident(**{k: v for k, v in e["payload"].items() if k != "id"})
        for e in (repeated, nan, surrogate, nul)
    ]

    def encode(payload: dict[str, Any]) -> str:
        text_ = json.dumps(payload, separators=(",", ":"))
        if payload["id"] in (
            repeated["entity_id"],
            twins[0]["entity_id"],
        ):  # the center said twice, the last the real one
            return text_.replace('{"id"', '{"center":"XX","id"', 1)
        return text_

    v1_body = (
        "{"
        + '"events":['
        + ",".join(
            json.dumps({k: v for k, v in e.items() if k != "payload"})[:-1] + ',"payload":' + encode(e["payload"]) + "}"
            for e in twins
        )
        + "]}"
    )
    reply_v1 = hub.client.post(
        f"{API_PREFIX}/push", content=v1_body.encode(), headers={**window.headers, "Content-Type": "application/json"}
    )
    assert reply_v1.status_code == 200, reply_v1.text
    answers_v1 = [(r["status"], r["reason"]) for r in reply_v1.json()["results"]]

    answers_v2 = results_v2(hub, window, [repeated, nan, surrogate, nul], encode=encode)

    assert answers_v2 == answers_v1
    assert [s for s, _ in answers_v2] == [APPLIED, REJECTED, REJECTED, REJECTED]
    stored = _stored(hub)
    assert stored[repeated["event_id"]][1] == repeated["payload"]  # the key once, its last value
    assert stored[repeated["event_id"]][1]["center"] == "CH"
    if hub.url.startswith("sqlite"):
        with hub.db.read() as session:
            center = session.scalar(
                text("SELECT json_extract(payload, '$.center') FROM pushed_events WHERE event_id = :id"),
                {"id": repeated["event_id"]},
            )
        assert center == "CH"  # the text stored holds the key once: every reader reads CH
