"""The administrator's commands, run in-process as ``windowdesk-hub`` would run them."""

from __future__ import annotations

import re

import pytest

from windowdesk.hub.cli import main
from windowdesk.paths import resources_dir
from windowdesk.sync.protocol import API_PREFIX

from .conftest import VERSION_HEADERS, EventFactory, Hub


def _run(hub: Hub, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(hub.cli_args(*args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_setting_up_a_center_by_hand_and_enrolling_its_window(hub: Hub, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(hub, capsys, "migrate")[0] == 0
    assert _run(hub, capsys, "create-center", "JD23", "--name", "新区街道便民服务中心")[1].startswith("Created center JD23")
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
    code, out, _ = _run(hub, capsys, "create-operator", "liming", "--name", "李明", "--center", "JD01", "--role", "supervisor")
    assert code == 0 and "Created operator liming" in out
    assert "Updated operator liming" in _run(hub, capsys, "create-operator", "liming", "--name", "李明", "--center", "JD01", "--inactive")[1]

    street = hub.enroll("JD01", "01")
    city = hub.enroll("CH", "01")
    street_changes = [(c["kind"], c["payload"]) for c in hub.changes(street)["changes"][1:]]
    assert street_changes[:2] == [
        ("calendar.override", {"day": "2027-02-07", "is_working_day": True, "note": "春节调休"}),
        ("calendar.override", {"day": "2027-02-08", "is_working_day": False, "note": ""}),
    ]
    upserts = [payload for kind, payload in street_changes if kind == "operator.upsert"]
    assert [(p["login"], p["role"], p["active"], p["center_code"]) for p in upserts] == [
        ("liming", "supervisor", True, "JD01"), ("liming", "operator", False, "JD01"),
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
    hub: Hub, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    hub.import_demo_catalog()
    code, out, err = _run(hub, capsys, *args)
    assert code == 2
    assert message in err and "Traceback" not in err and out == ""


def test_argument_errors_exit_2_too(hub: Hub, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (("calendar-override", "2027-02-30", "--working"), ("calendar-override", "2027-02-01"), ("enroll-code", "CH")):
        with pytest.raises(SystemExit) as stopped:
            main(hub.cli_args(*args))
        assert stopped.value.code == 2
    assert "not a date" in capsys.readouterr().err


def test_a_database_that_cannot_be_reached_is_said_plainly(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    unreachable = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    assert main(["migrate", "--data-dir", str(tmp_path), "--database-url", unreachable]) == 1
    err = capsys.readouterr().err
    assert "could not be opened" in err and "secret" not in err
