"""The hub's command line gives times on the center's clock, as the center's windows
show them, not in UTC (stored in UTC all the same)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from windowdesk.hub.cli import main
from windowdesk.hub.storage.models import EnrollmentCode, Workstation
from windowdesk.sync.protocol import API_PREFIX

from .conftest import VERSION_HEADERS, Hub

# Six hours ahead of UTC, two behind Beijing: a time in UTC or in Beijing time is wrong here.
ZONE = "Asia/Urumqi"


def _say(hub: Hub, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(hub.cli_args(*args)) == 0
    return capsys.readouterr().out


def _clock(at) -> str:
    return f"{at.astimezone(ZoneInfo(ZONE)):%Y-%m-%d %H:%M}"


def test_enrollment_list_and_revocation_times_are_on_the_centers_clock(
    hub: Hub, capsys: pytest.CaptureFixture[str]
) -> None:
    _say(hub, capsys, "create-center", "JD30", "--name", "西区街道", "--timezone", ZONE)
    _say(hub, capsys, "create-window", "JD30", "01", "--name", "综合窗口")

    out = _say(hub, capsys, "enroll-code", "JD30", "01")
    code = re.search(r"JD30-01: (\S+)", out).group(1)
    with hub.db.read() as session:
        expires_at = session.scalar(select(EnrollmentCode.expires_at).where(EnrollmentCode.window_id == "JD30-01"))
    assert f"until {_clock(expires_at)} (the center's time)" in out, out

    reply = hub.client.post(f"{API_PREFIX}/enroll", json={"code": code}, headers=VERSION_HEADERS)
    assert reply.status_code == 200, reply.text
    workstation_id = reply.json()["workstation_id"]
    with hub.db.read() as session:
        enrolled_at = session.get(Workstation, workstation_id).enrolled_at

    header, row = _say(hub, capsys, "list-workstations", "--center", "JD30").splitlines()
    assert "ENROLLED (CENTER'S TIME)" in header and "UTC" not in header
    assert row.split()[:4] == [workstation_id, "JD30-01", *_clock(enrolled_at).split()], row

    out = _say(hub, capsys, "revoke", workstation_id)
    with hub.db.read() as session:
        revoked_at = session.get(Workstation, workstation_id).revoked_at
    assert f"revoked since {_clock(revoked_at)} (the center's time)" in out, out
    assert f"revoked {_clock(revoked_at)}" in _say(hub, capsys, "list-workstations", "--center", "JD30")
