"""The client's .deb as an IT office uses it: the UOS app store layout, lintian, dpkg -i,
the installed app started by an ordinary user, an upgrade that keeps the user's data, and
remove/purge that leave the user's data alone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.packaging.conftest import APPID, REPO, build_deb, png_size
from windowdesk import __version__

pytestmark = pytest.mark.slow

APP_DIR = Path("/opt/apps") / APPID
USER = "wdpkgtest"


def _dpkg_deb(*args: str) -> str:
    return subprocess.run(["dpkg-deb", *args], check=True, capture_output=True, text=True).stdout


def test_package_has_the_uos_app_store_layout_with_one_appid(client_deb, tmp_path):
    assert client_deb.name == f"{APPID}_{__version__}.1_{_arch()}.deb"
    assert APPID.lower() == APPID
    assert _dpkg_deb("-f", str(client_deb), "Package").strip() == APPID
    assert _dpkg_deb("-f", str(client_deb), "Version").strip() == f"{__version__}.1"
    # "mode owner size date time path[ -> symlink target]"
    paths = [line.split(maxsplit=5)[5].split(" -> ")[0] for line in _dpkg_deb("-c", str(client_deb)).splitlines()]
    files = [path for path in paths if not path.endswith("/")]
    assert files and all(path.startswith(f"./opt/apps/{APPID}/") for path in files)

    _dpkg_deb("-x", str(client_deb), str(tmp_path))
    app = tmp_path / APP_DIR.relative_to("/")
    info = json.loads((app / "info").read_text(encoding="utf-8"))
    assert info["appid"] == APPID and info["name"] == "windowdesk"
    assert info["version"] == f"{__version__}.1" and len(info["version"].split(".")) == 4
    assert info["arch"] == [_arch()]
    assert isinstance(info["permissions"], dict) and info["permissions"]["autostart"] is False
    desktop = (app / "entries/applications" / f"{APPID}.desktop").read_text(encoding="utf-8")
    assert f"Exec={APP_DIR}/files/windowdesk" in desktop and f"Icon={APPID}" in desktop
    assert png_size(app / f"entries/icons/hicolor/128x128/apps/{APPID}.png") == (128, 128)
    assert (app / f"entries/icons/hicolor/scalable/apps/{APPID}.svg").is_file()
    assert os.access(app / "files/windowdesk", os.X_OK)
    # Nothing writable by others, nothing set-uid: nothing in it needs root to run.
    for path in app.rglob("*"):
        if path.is_symlink():  # a link's own mode is always 0777 and never used
            continue
        mode = path.lstat().st_mode
        assert not mode & 0o002 and not mode & 0o6000, path

    control = tmp_path / "control"
    _dpkg_deb("-e", str(client_deb), str(control))
    assert sorted(p.name for p in control.iterdir()) == ["control"], "no maintainer scripts"


def test_lintian_finds_nothing_beyond_the_justified_overrides(client_deb):
    suppressed = REPO / "installer" / "deb" / "lintian-suppressed-tags"
    result = subprocess.run(
        ["lintian", "--fail-on", "error,warning", "--suppress-tags-from-file", str(suppressed), str(client_deb)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Every suppressed tag carries its reason in a comment right above it.
    lines = suppressed.read_text().splitlines()
    for number, line in enumerate(lines):
        if line and not line.startswith("#"):
            assert number > 0 and lines[number - 1].startswith("#"), line


def _arch() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], check=True, capture_output=True, text=True).stdout.strip()


def _as_user(*command: str, timeout: int = 240) -> subprocess.CompletedProcess:
    home = Path("/home") / USER
    return subprocess.run(
        [
            "runuser",
            "-u",
            USER,
            "--",
            "env",
            "-i",
            f"HOME={home}",
            "PATH=/usr/bin:/bin",
            "LANG=C.UTF-8",
            "QT_QPA_PLATFORM=offscreen",
            *command,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd="/",
    )


@pytest.fixture
def ordinary_user():
    if os.geteuid() != 0:
        pytest.skip("installing a .deb with dpkg -i and creating a user need root (CI runs as root)")
    subprocess.run(["userdel", "-r", USER], capture_output=True)
    subprocess.run(["useradd", "-m", "-s", "/bin/sh", USER], check=True)
    yield Path("/home") / USER
    subprocess.run(["dpkg", "--purge", APPID], capture_output=True)
    subprocess.run(["userdel", "-r", USER], capture_output=True)


def _dpkg(*args: str) -> None:
    result = subprocess.run(
        ["dpkg", *args], capture_output=True, text=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _installed_version() -> str:
    return subprocess.run(
        ["dpkg-query", "-W", "-f", "${Version}", APPID], check=True, capture_output=True, text=True
    ).stdout


def test_install_start_upgrade_remove_purge_keep_the_users_data(client_deb, frozen_bundle, ordinary_user, tmp_path):
    data = ordinary_user / ".local/share/windowdesk"
    _dpkg("-i", str(client_deb))
    assert _installed_version() == f"{__version__}.1"
    assert (APP_DIR / "files/windowdesk").is_file()

    first = _as_user(str(APP_DIR / "files/windowdesk"), "--demo", "--smoke-test", str(ordinary_user / "first.png"))
    assert first.returncode == 0, first.stderr
    assert png_size(ordinary_user / "first.png")[0] >= 800
    database = data / "windowdesk.sqlite3"
    assert database.is_file() and database.stat().st_uid == ordinary_user.stat().st_uid
    key = (data / "demo-database.key").read_text()

    # A newer build of the same package: the same frozen folder, a higher version.
    newer = build_deb(frozen_bundle, tmp_path / "newer", build_number=2)
    _dpkg("-i", str(newer))
    assert _installed_version() == f"{__version__}.2"
    second = _as_user(str(APP_DIR / "files/windowdesk"), "--demo", "--smoke-test", str(ordinary_user / "second.png"))
    assert second.returncode == 0, second.stderr
    assert (data / "demo-database.key").read_text() == key, "the upgrade kept the same database"
    audit = _as_user(str(APP_DIR / "files/windowdesk"), "audit-check", "--data-dir", str(data))
    assert audit.returncode == 0, audit.stdout + audit.stderr

    _dpkg("--remove", APPID)
    assert not (APP_DIR / "files").exists()
    _dpkg("--purge", APPID)
    assert not APP_DIR.exists()
    assert database.is_file() and (data / "demo-database.key").read_text() == key
    assert shutil.which("windowdesk", path="/usr/bin:/bin") is None
