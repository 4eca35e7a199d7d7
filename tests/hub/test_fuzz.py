"""Fuzzing the hub's API: no answer is a 5xx, and nothing malformed is ever stored.

Two fuzzers, both deterministic (derandomized) and bounded:

- schemathesis generates requests for every operation of the hub's OpenAPI description
  (as served at /openapi.json), valid and invalid ones, with a real workstation's (or
  staff) token and the protocol headers;
- a steered one sends near-valid events of every kind the hub projects, with fields
  swapped for odd values, so the rules behind /push are reached (a fuzzer that knows
  only the schema rarely names a real event kind, item or window).

Afterwards every row of the hub's projections must be one a real window could have made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from sqlalchemy import select

from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.ids import parse_resident_id, parse_uscc
from windowdesk.domain.numbering import DocumentSeries, parse_number
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.app import create_app
from windowdesk.hub.services.audit_chain import HASH
from windowdesk.hub.settings import HubSettings
from windowdesk.hub.storage.models import (
    AuditRecord,
    Case,
    CaseEvent,
    CatalogItem,
    Change,
    Notification,
    Organisation,
    PushedEvent,
    Refusal,
    Resident,
    Window,
)
from windowdesk.sync.protocol import API_PREFIX, CHANGE_KINDS, PUSH_STATUSES

from .conftest import EventFactory, Hub, Workstation, push_encoded_by_python

# Small and fixed: the whole file stays well under a minute on both databases.
EXAMPLES_PER_OPERATION = 20
STEERED_BATCHES = 40
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
STATUSES = {status.value for status in CaseStatus}


@pytest.fixture
def fuzzed(hub: Hub, tmp_path) -> dict[str, Any]:
    """The hub with limits high enough that the fuzzer reaches the endpoints, a window
    of CH with a resident and a case, and a staff token of the case's department."""
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    factory = EventFactory(center="CH", window="CH-01")
    resident = factory.resident()
    case = factory.case(resident["entity_id"], item="MZ-002")
    assert [s for s, _ in hub.push_results(window, [resident, case])] == ["applied", "applied"]
    # A fuzzed "after" names an event that never comes: answered (409) without the wait
    # a real workstation's batch gets for the one before it.
    settings_ = dataclasses.replace(
        HubSettings.resolve(
            data_dir=tmp_path, database_url=hub.url, enroll_limit="100000/minute", bad_token_limit="100000/minute"
        ),
        push_order_wait=0.0,
    )
    app = create_app(settings_, database=hub.db)
    return {
        "app": app,
        "window": window,
        "factory": factory,
        "resident_id": resident["entity_id"],
        "case_id": case["entity_id"],
        "staff": {**window.headers, "Authorization": f"Bearer {hub.staff_token('MZJ')}"},
    }


def _run_schemathesis(fuzzed: dict[str, Any]) -> list[str]:
    app = fuzzed["app"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the ASGI test client's own
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    labels = []
    for result in schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)
        is_decision = operation.path.endswith("/decisions")
        headers = fuzzed["staff"] if is_decision else fuzzed["window"].headers
        variants: list[dict[str, Any]] = [{}]
        if is_decision:  # also on the real case, so the decision rules run
            variants.append({"path_parameters": {"case_id": fuzzed["case_id"]}})
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for fixed in variants:
                strategy = operation.as_strategy(generation_mode=mode, headers=headers, **fixed)

                @FUZZ_SETTINGS
                @given(case=strategy)
                def call(case) -> None:
                    response = case.call()
                    case.validate_response(response, checks=[not_a_server_error])

                try:
                    call()
                except Unsatisfiable:
                    # Nothing left to make invalid once the headers are fixed (health, whoami).
                    assert mode is GenerationMode.NEGATIVE, operation.label
                    assert not (len(operation.query) or len(operation.path_parameters) or len(operation.body)), (
                        operation.label
                    )
    return labels


# --- the steered fuzzer -----------------------------------------------------------------

ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=60),
    st.text(alphabet="0123456789X-", min_size=1, max_size=50),
    st.sampled_from(
        [
            "",
            " ",
            "CH",
            "JD01",
            "CH-01",
            "JD01-01",
            "MZ-002",
            "XX-999",
            "2026-02-30T10:00:00",
            "2026-11-25T10:00:00+08:00",
            "0" * 64,
            "f" * 65,
            "CH-20261125-01-0000",
            "GZ-CH-20261125-01-0001",
            "BY-JD01-20261125-01-0001",
            "230902196210010496",
            "230902196210010495",
            "91350100M000100Y43",
            "approve",
            "start_review",
            "王建国",
            # What neither database can compare: a NUL (PostgreSQL), a lone surrogate.
            "CH\x00",
            "\ud83d",
        ]
    ),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _templates(factory: EventFactory, resident_id: str, case_id: str) -> dict[str, Callable[[], dict[str, Any]]]:
    """Valid events of every kind the hub projects, made fresh for each draw."""

    def window_record(kind: str, entity: str, series: str) -> dict[str, Any]:
        record_id = new_uuid()
        return factory.event(
            kind,
            entity,
            record_id,
            {
                "id": record_id,
                "number": f"{series}-CH-20261125-01-{factory.seq + 1:04d}",
                "center": "CH",
                "window": "CH-01",
                "item": "MZ-002",
                "applicant": {"kind": "resident", "id": resident_id},
                "created_at": factory.clock.isoformat(),
                "reason": "不属于本机关职权范围",
                "legal_basis": "第三十二条",
            },
        )

    def organisation() -> dict[str, Any]:
        org_id = new_uuid()
        return factory.event(
            "organisation.registered",
            "organisation",
            org_id,
            {
                "id": org_id,
                "credit_code": "91350100M000100Y43",
                "name": "某某公司",
                "center": "CH",
            },
        )

    def audit() -> dict[str, Any]:
        entry_id = new_uuid()
        return factory.event(
            "audit.entry",
            "audit",
            entry_id,
            {
                "id": entry_id,
                "seq": factory.seq + 1,
                "at": factory.clock.isoformat(),
                "operator_id": None,
                "workstation": "CH-01",
                "action": "case.view",
                "entity": "case",
                "entity_id": case_id,
                "detail": {"number": "CH-20261125-01-0001"},
                "prev_hash": "0" * 64,
                "hash": "a" * 64,
            },
        )

    return {
        "resident.registered": factory.resident,
        "organisation.registered": organisation,
        "case.accepted": lambda: factory.case(resident_id, number=f"CH-20261125-01-{factory.seq + 1:04d}"),
        "notification.given": lambda: window_record("notification.given", "notification", "GZ"),
        "refusal.given": lambda: window_record("refusal.given", "refusal", "BY"),
        "case.status": lambda: factory.status(case_id, "start_review"),
        "audit.entry": audit,
    }


def _steered_events(templates: dict[str, Callable[[], dict[str, Any]]]) -> st.SearchStrategy[list[dict[str, Any]]]:
    @st.composite
    def event(draw) -> dict[str, Any]:
        made = templates[draw(st.sampled_from(sorted(templates)))]()
        fields = sorted(made["payload"])
        for name in draw(st.lists(st.sampled_from([*fields, "entity", "entity_id", "extra"]), max_size=3, unique=True)):
            value = draw(ODD_VALUES)
            if name in ("entity", "entity_id"):
                made[name] = value if isinstance(value, str) and 1 <= len(value) <= 40 else made[name]
            else:
                made["payload"][name] = value
        if draw(st.booleans()):  # an id shared with an earlier draw: duplicates and conflicts
            made["event_id"] = "01a00000-0000-7000-8000-00000000000" + draw(st.sampled_from("0123"))
        return made

    return st.lists(event(), min_size=1, max_size=6)


def _run_steered(hub: Hub, fuzzed: dict[str, Any]) -> None:
    from .conftest import TestClient

    client = TestClient(fuzzed["app"])
    window: Workstation = fuzzed["window"]
    templates = _templates(fuzzed["factory"], fuzzed["resident_id"], fuzzed["case_id"])

    @settings(FUZZ_SETTINGS, max_examples=STEERED_BATCHES)
    @given(batch=_steered_events(templates))
    def push(batch: list[dict[str, Any]]) -> None:
        reply = push_encoded_by_python(client, window, batch)
        assert reply.status_code < 500, reply.text
        if reply.status_code == 200:
            assert {r["status"] for r in reply.json()["results"]} <= set(PUSH_STATUSES)

    push()


# --- what may be stored -----------------------------------------------------------------


def _canonical_number(text: str, series: DocumentSeries, center: str) -> bool:
    try:
        parsed = parse_number(text, expected=series)
    except Exception:  # noqa: BLE001 - any failure to read it is garbage
        return False
    return str(parsed) == text and parsed.center_code == center


def _valid_id_number(text: str) -> bool:
    try:
        return parse_resident_id(text, today=dt.date.today()).number == text
    except Exception:  # noqa: BLE001
        return False


def _valid_credit_code(text: str) -> bool:
    try:
        return parse_uscc(text).code == text
    except Exception:  # noqa: BLE001
        return False


def garbage(hub: Hub) -> list[str]:
    """Every stored projection row a real window could not have made, in plain words."""
    found: list[str] = []
    with hub.db.read() as session:
        items = set(session.scalars(select(CatalogItem.code)))
        windows = dict(session.execute(select(Window.id, Window.center_code)).all())
        residents = dict(session.execute(select(Resident.id, Resident.center_code)).all())
        organisations = dict(session.execute(select(Organisation.id, Organisation.center_code)).all())
        applicants = {"resident": residents, "organisation": organisations}
        for r in session.scalars(select(Resident)):
            if not _valid_id_number(r.id_number) or not r.name.strip():
                found.append(f"resident {r.id}")
        for o in session.scalars(select(Organisation)):
            if not _valid_credit_code(o.credit_code) or not o.name.strip():
                found.append(f"organisation {o.id}")
        for series, model in (
            (DocumentSeries.CASE, Case),
            (DocumentSeries.NOTIFICATION, Notification),
            (DocumentSeries.REFUSAL, Refusal),
        ):
            for row in session.scalars(select(model)):
                number = row.case_number if model is Case else row.number
                if not (
                    _canonical_number(number, series, row.center_code)
                    and row.item_code in items
                    and windows.get(row.window_id) == row.center_code
                    and applicants.get(row.applicant_kind, {}).get(row.applicant_id) == row.center_code
                    and (model is not Case or row.status in STATUSES)
                ):
                    found.append(f"{model.__tablename__} {row.id} ({number!r})")
        for step in session.scalars(select(CaseEvent)):
            if step.to_status not in STATUSES or (step.from_status or "accepted") not in STATUSES:
                found.append(f"case event {step.seq}")
        for entry in session.scalars(select(AuditRecord)):
            if not (
                HASH.match(entry.hash)
                and HASH.match(entry.prev_hash)
                and entry.window_id in windows
                and isinstance(entry.detail, dict)
            ):
                found.append(f"audit entry {entry.entry_id}")
        for event in session.scalars(select(PushedEvent)):
            if event.status not in ("applied", "rejected") or (event.status == "rejected") != bool(event.reason):
                found.append(f"pushed event {event.event_id}")
        for change in session.scalars(select(Change)):
            if change.kind not in CHANGE_KINDS:
                found.append(f"change {change.seq}")
    return found


def test_no_fuzzed_request_gets_a_server_error_or_stores_garbage(hub: Hub, fuzzed: dict[str, Any]) -> None:
    labels = _run_schemathesis(fuzzed)
    _run_steered(hub, fuzzed)

    assert {
        f"POST {API_PREFIX}/push",
        f"GET {API_PREFIX}/changes",
        f"POST {API_PREFIX}/enroll",
        f"POST {API_PREFIX}/cases/{{case_id}}/decisions",
    } <= set(labels)
    assert garbage(hub) == []
    with hub.db.read() as session:  # the fuzzers did reach the rules, not only the validation
        assert session.scalar(select(PushedEvent.event_id).where(PushedEvent.status == "applied").offset(2).limit(1))


def test_the_garbage_check_can_fail(hub: Hub, fuzzed: dict[str, Any]) -> None:
    """A row slipped past the rules is found (so an empty list above means something)."""
    with hub.db.write() as session:
        case = session.get(Case, fuzzed["case_id"])
        case.case_number = "CH-01-0002-abcdef"
        session.add(
            Resident(id=new_uuid(), id_number="123", name="x", center_code="CH", received_at=dt.datetime.now(dt.UTC))
        )
    assert len(garbage(hub)) == 2
