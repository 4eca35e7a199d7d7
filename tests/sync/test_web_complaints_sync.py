"""A complaint filed on the hub's public pages reaches its center's windows at their
next sync (change "complaint.web"), once however often it is pulled, and a window's reply
reaches the hub, where the public page reads it (issue 27). A real hub process and real
windows, no browser."""

from __future__ import annotations

import re

import requests

from tests.web.human import answer_for
from windowdesk.services import complaints
from windowdesk.storage.models_quality import Complaint
from windowdesk.sync import protocol

from .test_sync_with_hub import blank_stations, enrolled, hub, new_station, sync  # noqa: F401


def _file(base: str, data_dir, session: requests.Session) -> tuple[str, str]:
    form = session.get(f"{base}/complain", timeout=30).text
    token = re.search(r'name="human_token" value="([^"]+)"', form).group(1)
    taken = session.post(
        f"{base}/complain",
        timeout=30,
        data={
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', form).group(1),
            "kind": "not_done",
            "center": "CH",
            "item": "MZ-002",
            "case_number": "",
            "facts": "窗口说系统故障，让我下周再来，已经第三次了。",
            "phone": "13800138000",
            "human_token": token,
            "human_answer": answer_for(data_dir, token),
        },
    )
    assert taken.status_code == 200, taken.text[-500:]
    return (
        re.search(r'id="complaint-number">([^<]+)<', taken.text).group(1),
        re.search(r'id="complaint-code">([^<]+)<', taken.text).group(1),
    )


def test_a_web_complaint_reaches_the_center_s_window_and_its_reply_the_public_page(hub, new_station) -> None:  # noqa: F811
    base = hub.start()
    station = enrolled(new_station(), hub)
    neighbour = enrolled(new_station("CH", "02"), hub)
    browser = requests.Session()
    number, code = _file(base, hub.data_dir, browser)

    pulled = sync(station)
    assert pulled.ok, pulled.error
    assert protocol.CHANGE_WEB_COMPLAINT in pulled.changed_kinds
    assert sync(station).ok  # pulled again: still one
    [view] = [c for c in complaints.list_complaints(station.db, station.ctx) if c.number == number]
    assert (view.source, view.kind, view.status, view.about.item_code) == ("web", "not_done", "open", "MZ-002")
    assert view.complainant_phone == "13800138000" and view.complainant_name == "(filed online)"
    assert sync(neighbour).ok  # every window of the center keeps it (another center's: tests/hub)
    assert [c.id for c in complaints.list_complaints(neighbour.db, neighbour.ctx) if c.number == number] == [view.id]

    complaints.reply_to_complaint(
        station.db, station.ctx, complaint_id=view.id, reply="已联系您，系统已恢复，可随时来办"
    )
    assert sync(station).ok
    assert hub.rows("SELECT status, reply_source, reply FROM complaints WHERE number = :n", n=number) == [
        ("replied", "window", "已联系您，系统已恢复，可随时来办")
    ]
    form = browser.get(f"{base}/complaint", params={"number": number}, timeout=30).text
    shown = browser.post(
        f"{base}/complaint",
        timeout=30,
        data={
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', form).group(1),
            "number": number,
            "code": code,
        },
    )
    assert shown.status_code == 200 and "已联系您，系统已恢复，可随时来办" in shown.text
    assert hub.unexpected_errors() == ""


def test_a_window_s_reply_to_a_web_complaint_reaches_the_center_s_other_windows(hub, new_station) -> None:  # noqa: F811
    """Every window of the center keeps a web complaint, and any of them may answer it:
    the others learn of the answer at their next pull, as they do of the console's, and
    keep it as a window's (the one that answered keeps its own)."""
    base = hub.start()
    station = enrolled(new_station(), hub)
    neighbour = enrolled(new_station("CH", "02"), hub)
    number, _code = _file(base, hub.data_dir, requests.Session())
    assert sync(station).ok and sync(neighbour).ok
    [view] = [c for c in complaints.list_complaints(station.db, station.ctx) if c.number == number]

    complaints.reply_to_complaint(station.db, station.ctx, complaint_id=view.id, reply="已联系您，材料已补发")
    assert sync(station).ok
    pulled = sync(neighbour)
    assert pulled.ok, pulled.error
    assert protocol.CHANGE_COMPLAINT_REPLY in pulled.changed_kinds
    [seen] = [c for c in complaints.list_complaints(neighbour.db, neighbour.ctx) if c.number == number]
    assert (seen.status, seen.reply) == ("replied", "已联系您，材料已补发")
    with neighbour.db.read() as session:
        assert session.get(Complaint, view.id).reply_source == "window"

    assert sync(station).ok  # the window that answered keeps its own reply, told once more or not
    [own] = [c for c in complaints.list_complaints(station.db, station.ctx) if c.number == number]
    assert (own.status, own.reply, own.replied_by) == ("replied", "已联系您，材料已补发", station.ctx.operator_name)
    assert hub.unexpected_errors() == ""
