"""Staff tokens (issue 21, finding 11): stored as hashes, they expire, the administrator
lists and revokes them from the command line, and a department's token reads only its
department's rows of the performance report."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from windowdesk.hub.cli import main
from windowdesk.hub.services import enrollment
from windowdesk.hub.storage.models import StaffToken
from windowdesk.sync.protocol import API_PREFIX

from .conftest import VERSION_HEADERS, EventFactory, Hub, utc_now

ENGLISH = {"LANGUAGE": "en"}
REPORT = f"{API_PREFIX}/reports/performance"


def _headers(token: str) -> dict[str, str]:
    return {**VERSION_HEADERS, "Authorization": f"Bearer {token}"}


def _report(hub: Hub, token: str, by: str = "department"):
    today = utc_now().date()
    return hub.client.get(
        REPORT,
        params={
            "from": (today - dt.timedelta(days=2)).isoformat(),
            "to": (today + dt.timedelta(days=1)).isoformat(),
            "by": by,
        },
        headers=_headers(token),
    )


def test_staff_tokens_are_issued_listed_and_revoked_from_the_command_line(hub: Hub, demo_catalog: None, capsys) -> None:
    capsys.readouterr()
    assert main(hub.cli_args("staff-token", "MZJ", "--days", "30"), environ=ENGLISH) == 0
    printed = capsys.readouterr().out
    token_id = re.search(r"Staff token (\S+) for department MZJ, valid until", printed).group(1)
    token = printed.strip().splitlines()[-1]
    assert _report(hub, token).status_code == 200
    with hub.db.read() as session:
        row = session.get(StaffToken, token_id)
        assert row.token_sha256 != token and token not in str(session.scalars(select(StaffToken.token_sha256)).all())
        assert dt.timedelta(days=29) < row.expires_at - utc_now() <= dt.timedelta(days=30)

    assert main(hub.cli_args("staff-tokens"), environ=ENGLISH) == 0
    listed = capsys.readouterr().out
    assert token_id in listed and "MZJ" in listed and "active" in listed and token not in listed

    assert main(hub.cli_args("revoke-staff-token", token_id), environ=ENGLISH) == 0
    assert f"Staff token {token_id} is revoked since" in capsys.readouterr().out
    assert _report(hub, token).status_code == 401
    assert main(hub.cli_args("staff-tokens", "--department", "MZJ"), environ=ENGLISH) == 0
    assert "revoked" in capsys.readouterr().out
    assert main(hub.cli_args("revoke-staff-token", "no-such-token"), environ=ENGLISH) != 0
    with pytest.raises(SystemExit) as refused:
        main(hub.cli_args("staff-token", "MZJ", "--days", "0"), environ=ENGLISH)
    assert refused.value.code == 2


def test_a_staff_token_expires(hub: Hub, demo_catalog: None) -> None:
    with hub.db.write() as session:
        old = enrollment.issue_staff_token(session, department_code="MZJ", now=utc_now() - dt.timedelta(days=91))
        fresh = enrollment.issue_staff_token(session, department_code="MZJ", now=utc_now() - dt.timedelta(days=89))
    refused = _report(hub, old.token)
    assert refused.status_code == 401 and "expired" in refused.json()["error"]["message"]
    assert _report(hub, fresh.token).status_code == 200


def test_a_department_s_token_reads_only_its_department_s_rows(
    hub: Hub, demo_catalog: None, events: EventFactory
) -> None:
    window = hub.enroll("CH", "01")
    resident = events.resident()
    civil, labour = events.case(resident["entity_id"], item="MZ-002"), events.case(resident["entity_id"], item="LB-002")
    assert [s for s, _ in hub.push_results(window, [resident, civil, labour])] == ["applied"] * 3

    for department in ("MZJ", "LBJ"):
        by_department = _report(hub, hub.staff_token(department)).json()
        assert [row["key"] for row in by_department["rows"]] == [department]
        by_operator = _report(hub, hub.staff_token(department), by="operator").json()
        assert by_operator["total"]["accepted"] == 1
        operators = {row["key"] for row in by_operator["rows"]}
        wanted = civil if department == "MZJ" else labour
        assert operators == {wanted["payload"]["operator"]}
