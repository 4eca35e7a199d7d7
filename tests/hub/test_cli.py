"""The administrator's commands, run in-process as ``windowdesk-hub`` would run them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from windowdesk.hub.cli import main
from windowdesk.hub.storage.models import Change
from windowdesk.paths import resources_dir
from windowdesk.sync.protocol import API_PREFIX

from .conftest import VERSION_HEADERS, EventFactory, Hub


def _run(hub: Hub, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(hub.cli_args(*args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_setting_up_a_center_by_hand_and_enrolling_its_window(hub: Hub, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(hub, capsys, "migrate")[0] == 0
    assert _run(hub, capsys, "create-center", "JD23", "--name", "新区街道便民服务中心")[1].startswith(
        "Created center JD23"
    )
    assert _run(hub, capsys, "create-center", "JD23", "--name", "新区街道")[1].startswith("Updated center JD23")
    assert _run(hub, capsys, "create-window", "JD23", "01", "--name", "综合窗口")[0] == 0
    assert _run(hub, capsys, "create-department", "JDB", "--name", "街道办事处")[0] == 0

    code, out, _ = _run(hub, capsys, "enroll-code", "JD23", "01", "--valid-hours", "2")
    assert code == 0
    enrollment_code = re.search(r"JD23-01: (\S+)", out).group(1)
    reply = hub.client.post(f"{API_PREFIX}/enroll", json={"code": enrollment_code}, headers=VERSION_HEADERS)
    assert reply.status_code == 200
    workstation_id = reply.json()["workstation_id"]

    code, out, _ = _run(hub, capsys, "list-workstations")
    assert code == 0 and workstation_id in out and "JD23-01" in out and "active" in out and "never" in out
    token_headers = {**VERSION_HEADERS, "Authorization": f"Bearer {reply.json()['token']}"}
    resident = EventFactory(center="JD23", window="JD23-01").resident()
    pushed = hub.client.post(f"{API_PREFIX}/push", json={"events": [resident]}, headers=token_headers)
    assert pushed.json()["results"][0]["status"] == "applied"
    assert "never" not in _run(hub, capsys, "list-workstations")[1]  # its last push is shown
    assert _run(hub, capsys, "revoke", workstation_id)[0] == 0
    assert "revoked" in _run(hub, capsys, "list-workstations", "--center", "JD23")[1]
    assert hub.client.get(f"{API_PREFIX}/whoami", headers=token_headers).status_code == 401


def test_calendar_and_operators_are_published(hub: Hub, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(hub, capsys, "import-catalog", str(resources_dir() / "catalog"))[0] == 0
    assert _run(hub, capsys, "calendar-override", "2027-02-07", "--working", "--note", "春节调休")[0] == 0
    assert _run(hub, capsys, "calendar-override", "2027-02-08", "--holiday")[0] == 0
    code, out, _ = _run(
        hub, capsys, "create-operator", "liming", "--name", "李明", "--center", "JD01", "--role", "supervisor"
    )
    assert code == 0 and "Created operator liming" in out
    assert (
        "Updated operator liming"
        in _run(hub, capsys, "create-operator", "liming", "--name", "李明", "--center", "JD01", "--inactive")[1]
    )

    street = hub.enroll("JD01", "01")
    city = hub.enroll("CH", "01")
    street_changes = [(c["kind"], c["payload"]) for c in hub.changes(street)["changes"][1:]]
    assert street_changes[:2] == [
        ("calendar.override", {"day": "2027-02-07", "is_working_day": True, "note": "春节调休"}),
        ("calendar.override", {"day": "2027-02-08", "is_working_day": False, "note": ""}),
    ]
    upserts = [payload for kind, payload in street_changes if kind == "operator.upsert"]
    assert [(p["login"], p["role"], p["active"], p["center_code"]) for p in upserts] == [
        ("liming", "supervisor", True, "JD01"),
        ("liming", "operator", False, "JD01"),
    ]
    assert upserts[0]["id"] == upserts[1]["id"] and upserts[0]["display_name"] == "李明"
    assert all(c["kind"] != "operator.upsert" for c in hub.changes(city)["changes"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("enroll-code", "XX", "01"), "no center XX"),
        (("enroll-code", "CH", "77"), "no window 77"),
        (("create-window", "CH", "1", "--name", "x"), "not a valid window code"),
        (("create-operator", "a", "--name", "A", "--center", "ZZ"), "no center ZZ"),
        (("staff-token", "NOPE"), "no department NOPE"),
        (("decide", "CH-19990101-01-0001", "--decision", "approve", "--department", "MZJ"), "no case"),
        (("revoke", "no-such-workstation"), "no workstation"),
    ],
)
def test_bad_input_ends_with_a_plain_message_and_exit_code_2(
    hub: Hub, demo_catalog: None, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, out, err = _run(hub, capsys, *args)
    assert code == 2
    assert message in err and "Traceback" not in err and out == ""


# What Python makes of a name typed in a terminal set to GBK, on a hub whose locale is
# UTF-8: the bytes that are not UTF-8 become lone surrogates (os.fsdecode).
GBK_TYPED = "窗\udcbf\udcda"  # 窗口, its second character in GBK bytes


@pytest.mark.parametrize(
    "args",
    [
        ("create-window", "CH", "09", "--name", GBK_TYPED),
        ("create-department", "ZZJ", "--name", GBK_TYPED),
        ("create-operator", "wang", "--name", GBK_TYPED, "--center", "CH"),
        ("decide", "CH-19990101-01-0001", "--decision", "approve", "--department", "MZJ", "--note", GBK_TYPED),
    ],
)
def test_text_that_is_not_utf8_is_refused_plainly_and_nothing_changes(
    hub: Hub, demo_catalog: None, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    """Found by probing: the text reached the database, which cannot encode it, and the
    command ended in a traceback."""
    with hub.db.read() as session:
        before = session.scalar(select(func.count()).select_from(Change))
    code, out, err = _run(hub, capsys, *args)
    assert code == 2 and out == "" and "Traceback" not in err
    assert "is not UTF-8 text" in err and "GBK" in err
    with hub.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Change)) == before


def test_argument_errors_exit_2_too(hub: Hub, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ("calendar-override", "2027-02-30", "--working"),
        ("calendar-override", "2027-02-01"),
        ("enroll-code", "CH"),
    ):
        with pytest.raises(SystemExit) as stopped:
            main(hub.cli_args(*args))
        assert stopped.value.code == 2
    assert "not a date" in capsys.readouterr().err


def test_a_database_that_cannot_be_reached_is_said_plainly(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    unreachable = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    assert main(["migrate", "--data-dir", str(tmp_path), "--database-url", unreachable]) == 1
    err = capsys.readouterr().err
    assert "could not be opened" in err and "secret" not in err


def _calendar_file(folder, year: int, holidays: dict[str, str], **extra) -> str:
    import json

    path = folder / f"calendar-{year}.json"
    path.write_text(
        json.dumps(
            {
                "source": "国务院办公厅通知",
                "first_year": year,
                "last_year": year,
                "holidays": holidays,
                "makeup_workdays": {},
                **extra,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return str(path)


def test_a_year_of_the_calendar_is_published_whole_and_replaced_whole(hub: Hub, capsys, tmp_path) -> None:
    import datetime as dt

    from windowdesk.hub.services.calendar_years import hub_calendar

    assert _run(hub, capsys, "import-catalog", str(resources_dir() / "catalog"))[0] == 0
    window = hub.enroll("JD01", "01")
    first = _calendar_file(tmp_path, 2031, {"2031-01-01": "New Year's Day", "2031-10-02": "National Day"})
    code, out, _ = _run(hub, capsys, "calendar-year", first)
    assert code == 0 and "Published the calendar of 2031: 2 holidays" in out
    corrected = _calendar_file(tmp_path, 2031, {"2031-01-01": "New Year's Day"}, makeup_workdays={"2031-01-04": "x"})
    code, out, _ = _run(hub, capsys, "calendar-year", corrected, "--year", "2031")
    assert code == 0 and "again" in out

    years = [c["payload"] for c in hub.changes(window)["changes"] if c["kind"] == "calendar.year"]
    assert [(y["year"], sorted(y["holidays"]), sorted(y["makeup_workdays"])) for y in years] == [
        (2031, ["2031-01-01", "2031-10-02"], []),
        (2031, ["2031-01-01"], ["2031-01-04"]),
    ]
    assert years[0]["source"] == "calendar-2031.json: 国务院办公厅通知"
    with hub.db.read() as session:  # the hub's own reports count by the latest publication
        calendar = hub_calendar(session)
    assert calendar.covers(dt.date(2031, 7, 1))
    assert not calendar.is_working_day(dt.date(2031, 1, 1)) and calendar.is_working_day(dt.date(2031, 10, 2))
    assert calendar.is_working_day(dt.date(2031, 1, 4))  # a Saturday made a working day


@pytest.mark.parametrize(
    ("content", "args", "says"),
    [
        (None, (), "cannot be read (FileNotFoundError)"),
        ("{not json", (), "is not a calendar in the shipped format"),
        (
            '{"first_year": 2031, "last_year": 2031, "holidays": {"2031-13-01": "x"}, "makeup_workdays": {}}',
            (),
            "is not a date",
        ),
        ('{"first_year": 2031, "last_year": 2031, "holidays": {}, "makeup_workdays": {}}', (), "no holidays in 2031"),
        (
            '{"first_year": 2031, "last_year": 2031, "holidays": {"2031-01-01": "x"}, "makeup_workdays": {}}',
            ("--year", "2032"),
            "covers 2031-2031, not 2032",
        ),
    ],
)
def test_a_calendar_file_that_cannot_be_published_is_refused_in_plain_words(
    hub: Hub, capsys, tmp_path, content: str | None, args: tuple[str, ...], says: str
) -> None:
    path = tmp_path / "calendar.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, _out, err = _run(hub, capsys, "calendar-year", str(path), *args)
    assert code == 2 and says in err and "Nothing was published" in err
    with hub.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Change)) == 0
