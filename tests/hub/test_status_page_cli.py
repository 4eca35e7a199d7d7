"""``windowdesk-hub status-page``: where a case's public status page is, published to every
window for the QR code of its receipts; a wrong address is refused in plain words."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from windowdesk.hub.cli import main
from windowdesk.hub.storage.models import Change
from windowdesk.sync.protocol import CHANGE_STATUS_PAGE

from .conftest import Hub


def _run(hub: Hub, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(hub.cli_args(*args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_address_is_published_to_every_center_and_can_be_withdrawn(hub: Hub, capsys) -> None:
    assert _run(hub, capsys, "migrate")[0] == 0
    assert _run(hub, capsys, "create-center", "JD23", "--name", "新区街道便民服务中心")[0] == 0
    assert _run(hub, capsys, "create-window", "JD23", "01", "--name", "综合窗口")[0] == 0
    window = hub.enroll("JD23", "01")
    code, out, _err = _run(hub, capsys, "status-page", " https://hub.example/status/ ")
    assert code == 0 and "https://hub.example/status/<case number>" in out
    code, out, _err = _run(hub, capsys, "status-page")
    assert code == 0 and "Withdrew" in out
    published = [c["payload"] for c in hub.changes(window)["changes"] if c["kind"] == CHANGE_STATUS_PAGE]
    assert published == [{"url": "https://hub.example/status/"}, {"url": ""}]


@pytest.mark.parametrize("url", ["hub.example/status", "https://hub.example/status?case=", "ftp://hub.example/x"])
def test_an_address_that_is_not_one_is_refused_and_nothing_is_published(hub: Hub, capsys, url: str) -> None:
    assert _run(hub, capsys, "migrate")[0] == 0
    code, _out, err = _run(hub, capsys, "status-page", url)
    assert code == 2 and "is not a status page address" in err and "Nothing was published" in err
    with hub.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Change)) == 0
