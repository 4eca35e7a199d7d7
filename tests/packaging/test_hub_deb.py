"""The hub's .deb as a city's administrator uses it on a Debian server: the servers without
Qt, dpkg -i, the programs, the system users and their private folders, nothing started or
enabled, a migrate + serve + health check as the hub's user, an upgrade that migrates the
database and keeps its data, and remove/purge that leave the data and the keys alone."""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import select
import signal
import sqlite3
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.packaging.conftest import HUB_APPID, rebuilt_with_version
from windowdesk import __version__
from windowdesk.hub.migrations import HEAD_REVISION
from windowdesk.sync.protocol import API_PREFIX

pytestmark = pytest.mark.slow

PREFIX = Path("/opt/windowdesk-hub")
HUB_DATA = Path("/var/lib/windowdesk-hub")
HALL_DATA = Path("/var/lib/windowdesk-hall")
KEYS = Path("/etc/windowdesk-hub")
UNITS = (
    "windowdesk-hub.service",
    "windowdesk-hub-backup.service",
    "windowdesk-hub-backup.timer",
    "windowdesk-hall.service",
)
SERVICE_USERS = ("windowdesk-hub", "windowdesk-hall")


def _dpkg_deb(*args: str) -> str:
    return subprocess.run(["dpkg-deb", *args], check=True, capture_output=True, text=True).stdout


def _arch() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], check=True, capture_output=True, text=True).stdout.strip()


def test_package_holds_the_hub_and_the_hall_without_qt(hub_deb, tmp_path):
    assert hub_deb.name == f"{HUB_APPID}_{__version__}.1_{_arch()}.deb"
    assert _dpkg_deb("-f", str(hub_deb), "Package").strip() == HUB_APPID
    assert _dpkg_deb("-f", str(hub_deb), "Version").strip() == f"{__version__}.1"
    assert "python3.11" in _dpkg_deb("-f", str(hub_deb), "Depends")
    paths = [line.split(maxsplit=5)[5].split(" -> ")[0] for line in _dpkg_deb("-c", str(hub_deb)).splitlines()]
    files = [path for path in paths if not path.endswith("/")]
    places = ("./opt/windowdesk-hub/", "./lib/systemd/system/", "./etc/default/windowdesk-h")
    links = {"./usr/bin/windowdesk-hub", "./usr/bin/windowdesk-hall"}
    assert all(path.startswith(places) or path in links for path in files), [
        path for path in files if not path.startswith(places) and path not in links
    ]
    assert {f"./lib/systemd/system/{unit}" for unit in UNITS} <= set(files)
    site_packages = "./opt/windowdesk-hub/lib/python3.11/site-packages/"
    # reportlab is the hub's too (the console's PDF report); the rest is the client's alone.
    for client_only in ("PySide6/", "shiboken6/", "keyring/", "sqlcipher3/", "pypdfium2/"):
        assert not [path for path in files if path.startswith(site_packages + client_only)], client_only
    assert "./opt/windowdesk-hub/bin/windowdesk" not in files, "the client's program, which needs Qt"

    control = tmp_path / "control"
    _dpkg_deb("-e", str(hub_deb), str(control))
    assert sorted(p.name for p in control.iterdir()) == ["conffiles", "control", "postinst", "postrm", "prerm"]
    assert (control / "conffiles").read_text().split() == [
        "/etc/default/windowdesk-hub",
        "/etc/default/windowdesk-hall",
    ]

    _dpkg_deb("-x", str(hub_deb), str(tmp_path / "root"))
    venv = tmp_path / "root" / PREFIX.relative_to("/")
    # The virtualenv was made elsewhere and moved: its programs name their final place.
    for program in ("windowdesk-hub", "windowdesk-hall"):
        assert (venv / "bin" / program).read_text().startswith(f"#!{PREFIX}/bin/python\n")
    assert (venv / "bin/python").readlink() == Path("python3.11")
    assert (venv / "share/windowdesk/translations/zh_CN/LC_MESSAGES/windowdesk.mo").is_file()
    assert (venv / "share/windowdesk/resources/catalog/items.json").is_file()
    for path in (tmp_path / "root").rglob("*"):
        if not path.is_symlink():
            assert not path.lstat().st_mode & 0o6002, path  # nothing set-uid or writable by others


# --- installed, as root (CI runs as root) ------------------------------------------------


@pytest.fixture
def clean_server():
    """This machine as a fresh server; afterwards the package, its users and their folders
    are gone again. Refuses to run where a hub is really installed."""
    if os.geteuid() != 0:
        pytest.skip("installing a .deb with dpkg -i and making system users need root (CI runs as root)")
    for user in SERVICE_USERS:
        if subprocess.run(["getent", "passwd", user], capture_output=True).returncode == 0:
            pytest.fail(f"the user {user} exists: this machine runs a windowdesk hub or hall; not touching it")
    for folder in (HUB_DATA, HALL_DATA, KEYS, PREFIX):
        if folder.exists():
            pytest.fail(f"{folder} exists: this machine runs a windowdesk hub or hall; not touching it")
    yield
    subprocess.run(["dpkg", "--purge", HUB_APPID], capture_output=True)
    for user in SERVICE_USERS:
        subprocess.run(["userdel", user], capture_output=True)
    for folder in (HUB_DATA, HALL_DATA, KEYS):
        subprocess.run(["rm", "-rf", str(folder)], check=True)


def _dpkg(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        ["dpkg", *args], capture_output=True, text=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _as(user: str, *command: str, env: dict[str, str] | None = None) -> list[str]:
    """The command as the service's user, with a clean environment like systemd's; setpriv
    runs it in its own place (no session process between), so SIGTERM reaches it."""
    base = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": f"/var/lib/{user}"}
    settings = [f"{name}={value}" for name, value in {**base, **(env or {})}.items()]
    return ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", "--", "env", "-i", *settings, *command]


HUB_ENV = {"WINDOWDESK_HUB_DATA_DIR": str(HUB_DATA)}


def _hub(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        _as("windowdesk-hub", "windowdesk-hub", *args, env={**HUB_ENV, **(env or {})}),
        capture_output=True,
        text=True,
        timeout=240,
        cwd="/",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _serve_and_ask_health(command: list[str], ready_prefix: str, health: str) -> dict:
    """Starts a server, waits for its ready line, asks GET its health, stops it with SIGTERM
    (what systemctl stop sends) and checks it ends cleanly: uvicorn finishes its shutdown,
    then ends by that signal, which systemd counts as a clean stop."""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/") as process:
        try:
            ready = ""
            while not ready.startswith(ready_prefix):
                readable, _, _ = select.select([process.stdout], [], [], 60)
                assert readable and process.poll() is None, process.stderr.read() if process.poll() is not None else ""
                ready = process.stdout.readline()
            url = ready[len(ready_prefix) :].strip()
            with urllib.request.urlopen(url + health, timeout=30) as reply:
                assert reply.status == 200
                return json.loads(reply.read())
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=30)
            log = process.stderr.read()
            assert code in (0, -signal.SIGTERM) and "Application shutdown complete" in log, log


def _revision(database: Path) -> str:
    with contextlib.closing(sqlite3.connect(database)) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def _published_catalogs(database: Path) -> int:
    with contextlib.closing(sqlite3.connect(database)) as connection:
        return connection.execute("SELECT count(*) FROM catalog_versions").fetchone()[0]


def _enabled_units() -> list[str]:
    wants = Path("/etc/systemd/system")
    return [str(path) for path in wants.glob("*.wants/*") if path.name.startswith("windowdesk")]


def test_install_serve_upgrade_remove_purge_keep_the_hubs_data(hub_deb, clean_server, tmp_path):
    _dpkg("-i", str(hub_deb))

    # The system users, without a login, and their folders: each its user's alone.
    for user, folder in (("windowdesk-hub", HUB_DATA), ("windowdesk-hall", HALL_DATA)):
        entry = pwd.getpwnam(user)
        assert entry.pw_uid < 1000 and entry.pw_shell == "/usr/sbin/nologin"
        assert folder.stat().st_uid == entry.pw_uid and folder.stat().st_mode & 0o777 == 0o700
    assert KEYS.stat().st_uid == 0 and KEYS.stat().st_mode & 0o777 == 0o700
    assert _enabled_units() == [], "the package enables nothing before the administrator's set-up"
    for unit in UNITS:
        verify = subprocess.run(
            ["systemd-analyze", "verify", f"/lib/systemd/system/{unit}"], capture_output=True, text=True
        )
        assert verify.returncode == 0, unit + verify.stderr

    version = subprocess.run(
        _as("windowdesk-hub", "windowdesk-hub", "--version"), capture_output=True, text=True, cwd="/"
    )
    assert version.stdout.strip() == f"windowdesk-hub {__version__}", version.stderr
    # Its words in Chinese, from the translations the package carries (share/windowdesk).
    assert "市级平台" in _hub("--help").stdout
    assert "The windowdesk hub" in _hub("--help", env={"LANGUAGE": "en"}).stdout

    # The first set-up commands, as the README gives them, then the server as the unit runs it.
    _hub("migrate")
    database = HUB_DATA / "hub.sqlite3"
    assert database.stat().st_uid == pwd.getpwnam("windowdesk-hub").pw_uid
    assert database.stat().st_mode & 0o777 == 0o600
    _hub("import-catalog", str(PREFIX / "share/windowdesk/resources/catalog"))
    assert _published_catalogs(database) == 1
    health = _serve_and_ask_health(
        _as("windowdesk-hub", "windowdesk-hub", "serve", "--host", "127.0.0.1", "--port", "0", env=HUB_ENV),
        "windowdesk-hub listening on ",
        f"{API_PREFIX}/health",
    )
    assert health["status"] == "ok"
    hall = _serve_and_ask_health(
        _as(
            "windowdesk-hall",
            "windowdesk-hall",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            env={"WINDOWDESK_HALL_DATA_DIR": str(HALL_DATA)},
        ),
        "windowdesk-hall listening on ",
        "/health",
    )
    assert hall == {"status": "ok"}
    assert (HALL_DATA / "hall.sqlite3").stat().st_uid == pwd.getpwnam("windowdesk-hall").pw_uid

    # A database one schema behind, as a hub installed from an older package has it ...
    downgrade = (
        "from alembic import command; from sqlalchemy import create_engine; "
        "from windowdesk.hub.storage.migrate import alembic_config; "
        f"engine = create_engine('sqlite:///{database}')\n"
        "with engine.begin() as connection: command.downgrade(alembic_config(connection), '-1')"
    )
    result = subprocess.run(
        _as("windowdesk-hub", str(PREFIX / "bin/python"), "-c", downgrade), capture_output=True, text=True, cwd="/"
    )
    assert result.returncode == 0, result.stderr
    assert _revision(database) != HEAD_REVISION
    # ... is migrated by the newer package's upgrade, its data kept.
    newer = rebuilt_with_version(hub_deb, tmp_path, f"{__version__}.2")
    _dpkg("-i", str(newer))
    assert _revision(database) == HEAD_REVISION
    assert _published_catalogs(database) == 1
    assert database.stat().st_uid == pwd.getpwnam("windowdesk-hub").pw_uid

    (KEYS / "hub.key").write_text("the administrator's key\n")
    _dpkg("--remove", HUB_APPID)
    assert not PREFIX.exists() and not Path("/usr/bin/windowdesk-hub").exists()
    assert Path("/etc/default/windowdesk-hub").exists(), "a removed package keeps its settings"
    _dpkg("--purge", HUB_APPID)
    assert not Path("/etc/default/windowdesk-hub").exists()
    # The hub's data, its keys and its users stay: the hub holds the lasting copy of the records.
    assert _published_catalogs(database) == 1 and (KEYS / "hub.key").is_file()
    assert all(subprocess.run(["getent", "passwd", user]).returncode == 0 for user in SERVICE_USERS)
