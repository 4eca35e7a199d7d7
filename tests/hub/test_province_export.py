"""The provincial record: ``windowdesk-hub export-province`` writes one JSON-lines file
per day, every line valid against docs/province-case-record.schema.json, with each case's
kind, source, stages, suspensions, result, certificate, delivery and rating; no personal
data beyond a masked ID number. On SQLite and PostgreSQL; October 2025 (National Day
1-8 October off, Sat 11 October a make-up working day)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from windowdesk.hub.cli import main

from .conftest import EventFactory, Hub, Workstation
from .test_service_quality import _rating

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "province-case-record.schema.json").read_text("utf-8"))
RESIDENT_ID = "230902196210010496"


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


def at(when: str) -> dt.datetime:  # "2025-10-09 09:00" in Shanghai
    return dt.datetime.fromisoformat(when).replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _export(hub: Hub, out: Path, start: str, end: str) -> dict[str, list[dict[str, Any]]]:
    assert main(hub.cli_args("export-province", "--from", start, "--to", end, "--out", str(out))) == 0
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    days: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(out.glob("province-*.jsonl")):
        text = path.read_text("utf-8")
        assert RESIDENT_ID not in text  # masked
        lines = [json.loads(line) for line in text.splitlines()]
        for line in lines:
            validator.validate(line)  # every line, against the documented schema
        days[path.stem.removeprefix("province-")] = lines
    return days


def test_every_case_that_moved_is_exported_per_day_with_its_whole_record(
    hub: Hub, window: Workstation, tmp_path: Path
) -> None:
    events = EventFactory(clock=at("2025-10-09 09:00"))
    resident = events.resident()
    batch = [resident]

    def case(item: str, number: str, **more: Any) -> dict[str, Any]:
        made = events.case(resident["entity_id"], item=item, number=number, **more)
        batch.append(made)
        return made

    def step(made: dict[str, Any], action: str, when: str, **more: Any) -> None:
        events.clock = at(when)
        batch.append(events.status(made["entity_id"], action, **more))

    # 老年证 (5 promised days, issues a certificate), sent by post: the whole life.
    elderly = case(
        "LL-001",
        "CH-20251009-01-0001",
        delivery={"mode": "post", "locker": "", "address": "黑龙江省七台河市桃山区学府街12号"},
    )
    step(elderly, "suspend", "2025-10-09 10:00", suspension_kind="expert_review", note="提交专家评审")
    step(elderly, "resume", "2025-10-10 09:00", note="评审通过")
    step(elderly, "approve", "2025-10-13 10:00", note="符合条件，准予办理")
    step(elderly, "complete", "2025-10-13 11:00", certificate_number="LN-2025-000123")
    step(
        elderly,
        "deliver",
        "2025-10-14 09:30",
        handover={
            "mode": "post",
            "collector_name": "",
            "collector_id_masked": "",
            "agent": False,
            "power_of_attorney": "",
            "read_from_card": False,
            "waybill": "EA123456789CN",
            "locker_code": "",
        },
    )
    events.clock = at("2025-10-14 10:00")
    batch.append(_rating(events, window, 5, case_id=elderly["entity_id"], item="LL-001"))
    # Four kinds, accepted on Monday 13 October.
    events.clock = at("2025-10-13 09:00")
    upward = case("GA-001", "CH-20251013-01-0001")  # the ID card is made by the province: 上报
    joint = case("GS-003", "CH-20251013-01-0002")  # 并联审批: 联办
    at_once = case("LB-002", "CH-20251013-01-0003")
    step(at_once, "start_review", "2025-10-13 09:20")
    step(at_once, "approve", "2025-10-13 09:30")  # decided the same day: 即办
    promised = case("MZ-001", "CH-20251013-01-0004")  # 承诺
    committed = case("JD-001", "CH-20251013-01-0005", commitment={"verify_due": "2025-10-27"})  # 告知承诺制
    assert {status for status, _reason in hub.push_results(window, batch)} == {"applied"}

    days = _export(hub, tmp_path / "out", "2025-10-09", "2025-10-14")

    assert sorted(days) == ["2025-10-09", "2025-10-10", "2025-10-11", "2025-10-12", "2025-10-13", "2025-10-14"]
    assert days["2025-10-11"] == [] and days["2025-10-12"] == []  # exported, nothing moved
    numbers = {day: [line["case_number"] for line in lines] for day, lines in days.items()}
    assert numbers["2025-10-09"] == numbers["2025-10-10"] == numbers["2025-10-14"] == ["CH-20251009-01-0001"]
    assert len(numbers["2025-10-13"]) == 6
    record = days["2025-10-14"][0]
    assert (record["kind"], record["source"], record["status"], record["result"]) == (
        "承诺",
        "window",
        "delivered",
        "approved",
    )
    assert [(s["stage"], s["at"], s["opinion"]) for s in record["stages"]] == [
        ("受理", "2025-10-09T09:00:00+08:00", ""),
        ("审查", "2025-10-10T09:00:00+08:00", "评审通过"),
        ("决定", "2025-10-13T10:00:00+08:00", "符合条件，准予办理"),
        ("办结", "2025-10-13T11:00:00+08:00", ""),
        ("送达", "2025-10-14T09:30:00+08:00", ""),
    ]
    assert record["suspensions"] == [
        {
            "kind": "expert_review",
            "from": "2025-10-09T10:00:00+08:00",
            "to": "2025-10-10T09:00:00+08:00",
            "reason": "提交专家评审",
        }
    ]
    assert record["certificate_number"] == "LN-2025-000123"
    assert (record["delivery"]["mode"], record["delivery"]["waybill"]) == ("post", "EA123456789CN")
    assert record["rating"]["level"] == 5 and record["applicant"]["id_masked"] == "230902********0496"
    kinds = {line["case_number"]: line["kind"] for line in days["2025-10-13"]}
    assert kinds == {
        "CH-20251009-01-0001": "承诺",
        upward["payload"]["number"]: "上报",
        joint["payload"]["number"]: "联办",
        at_once["payload"]["number"]: "即办",
        promised["payload"]["number"]: "承诺",
        committed["payload"]["number"]: "承诺",
    }
    commitments = {line["case_number"]: line["commitment"] for line in days["2025-10-13"]}
    assert commitments.pop(committed["payload"]["number"]) == {"verify_due": "2025-10-27", "verification": None}
    assert set(commitments.values()) == {None}  # the other ways of acceptance


def test_a_period_the_wrong_way_round_is_refused_in_words(hub: Hub, tmp_path: Path, capsys) -> None:
    assert (
        main(hub.cli_args("export-province", "--from", "2025-10-14", "--to", "2025-10-09", "--out", str(tmp_path))) != 0
    )
    assert "ends before it starts" in capsys.readouterr().err


def test_an_unwritable_folder_is_said_plainly(hub: Hub, tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert (
        main(
            hub.cli_args("export-province", "--from", "2025-10-09", "--to", "2025-10-09", "--out", str(blocker / "out"))
        )
        != 0
    )
    assert str(blocker) in capsys.readouterr().err


def test_only_the_complete_step_records_a_certificate_number(hub: Hub, window: Workstation) -> None:
    events = EventFactory()
    resident = events.resident()
    case = events.case(resident["entity_id"], item="LL-001")
    [(status, reason)] = hub.push_results(
        window, [resident, case, events.status(case["entity_id"], "start_review", certificate_number="LN-1")]
    )[2:]
    assert status == "rejected" and "certificate" in reason
