"""The hub's systemd units (installer/hub/) name commands and options the hub has, so
an administrator who installs them gets a hub that serves and a backup every night."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest

from windowdesk.hub.cli import build_parser
from windowdesk.hub.cli_language import speaking
from windowdesk.hub.settings import ENV_DATA_DIR

UNITS = Path(__file__).resolve().parents[2] / "installer" / "hub"


def _unit(name: str) -> configparser.ConfigParser:
    # systemd repeats keys (Environment=): keep the last, read the others below.
    unit = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=("#", ";"))
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(UNITS / name, encoding="utf-8")
    return unit


def _environment(name: str) -> dict[str, str]:
    lines = (UNITS / name).read_text(encoding="utf-8").splitlines()
    pairs = [line.split("=", 1)[1] for line in lines if line.startswith("Environment=")]
    return dict(pair.split("=", 1) for pair in pairs)


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("windowdesk-hub.service", "serve"),
        ("windowdesk-hub-backup.service", "backup"),
    ],
)
def test_each_service_runs_a_command_of_the_hub_with_options_it_has(name: str, command: str) -> None:
    program, *args = shlex.split(_unit(name)["Service"]["ExecStart"])
    assert Path(program).name == "windowdesk-hub"
    with speaking("en"):
        parsed = build_parser().parse_args(args)  # an unknown option exits here
    assert parsed.command == command
    assert _environment(name)[ENV_DATA_DIR] == "/var/lib/windowdesk-hub"
    assert _unit(name)["Service"]["User"] == "windowdesk-hub"


def test_the_backup_keeps_two_weeks_and_runs_every_night() -> None:
    _program, *args = shlex.split(_unit("windowdesk-hub-backup.service")["Service"]["ExecStart"])
    with speaking("en"):
        assert build_parser().parse_args(args).keep == 14
    timer = _unit("windowdesk-hub-backup.timer")["Timer"]
    assert timer["OnCalendar"] == "*-*-* 02:30:00" and timer["Persistent"] == "true"


def _credentials(name: str) -> dict[str, str]:
    """LoadCredential=NAME:PATH lines: what systemd hands the service in its %d folder."""
    lines = (UNITS / name).read_text(encoding="utf-8").splitlines()
    pairs = [line.split("=", 1)[1] for line in lines if line.startswith("LoadCredential=")]
    return dict(pair.split(":", 1) for pair in pairs)


def _handed_over(name: str, path: str) -> str:
    """The file under /etc/windowdesk-hub/ that the service reads as ``path`` (%d/NAME)."""
    assert path.startswith("%d/"), f"{path} is not a credential systemd hands over"
    source = _credentials(name)[path.removeprefix("%d/")]
    assert source.startswith("/etc/windowdesk-hub/")
    return source


def test_the_hub_serves_https_with_its_certificate_and_key_from_etc() -> None:
    _program, *args = shlex.split(_unit("windowdesk-hub.service")["Service"]["ExecStart"])
    with speaking("en"):
        serve = build_parser().parse_args(args)
    assert serve.certfile and serve.keyfile  # HTTPS; plain HTTP only on loopback, behind a proxy
    assert _handed_over("windowdesk-hub.service", serve.certfile) == "/etc/windowdesk-hub/hub.pem"
    assert _handed_over("windowdesk-hub.service", serve.keyfile) == "/etc/windowdesk-hub/hub.key"


def test_the_nightly_backup_is_encrypted_with_the_key_from_etc() -> None:
    _program, *args = shlex.split(_unit("windowdesk-hub-backup.service")["Service"]["ExecStart"])
    with speaking("en"):
        backup = build_parser().parse_args(args)
    assert _handed_over("windowdesk-hub-backup.service", backup.key_file) == "/etc/windowdesk-hub/backup.key"


@pytest.mark.parametrize("name", ["windowdesk-hub.service", "windowdesk-hub-backup.service"])
def test_each_service_writes_private_files_and_is_confined_to_its_data(name: str) -> None:
    service = _unit(name)["Service"]
    assert (service["UMask"], service["StateDirectoryMode"]) == ("0077", "0700")
    assert service["ReadWritePaths"].split() == ["/var/lib/windowdesk-hub"]
    hardening = {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "PrivateDevices": "yes",
        "RestrictSUIDSGID": "yes",
        "CapabilityBoundingSet": "",
    }
    assert {key: service.get(key) for key in hardening} == hardening
