"""Where the hub keeps its data and which database it uses."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.security import new_enrollment_code, normalise_enrollment_code
from windowdesk.hub.server import worker_environment
from windowdesk.hub.settings import (
    DEFAULT_PUSH_ROOM,
    ENV_DATA_DIR,
    ENV_DATABASE_URL,
    ENV_PUSH_ROOM,
    HubSettings,
    parse_version,
)


def test_defaults_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DATABASE_URL, raising=False)
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-env"))
    settings = HubSettings.resolve()
    assert settings.data_dir == tmp_path / "from-env"
    assert settings.database_url == f"sqlite:///{tmp_path / 'from-env' / 'hub.sqlite3'}"
    assert not settings.is_postgresql
    explicit = HubSettings.resolve(data_dir=tmp_path / "x", database_url="postgresql://u:p@db/hub")
    assert explicit.database_url == "postgresql+psycopg://u:p@db/hub" and explicit.is_postgresql


def test_bad_urls_and_minimum_versions_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="must start with"):
        HubSettings.resolve(data_dir=tmp_path, database_url="mysql://db/hub")
    with pytest.raises(InvalidInput, match="not a version"):
        HubSettings.resolve(data_dir=tmp_path, min_client_version="latest")


def test_versions_compare_as_numbers() -> None:
    assert parse_version("0.10.0") > parse_version("0.9.9")
    assert parse_version("1.2") == (1, 2, 0)
    assert parse_version("0.3.0.dev1") == (0, 3, 0)
    assert parse_version("x1") is None


def test_enrollment_codes_survive_how_they_are_typed() -> None:
    code = new_enrollment_code()
    assert len(code) == 14 and code.count("-") == 2
    assert normalise_enrollment_code(f" {code.lower().replace('-', ' ')} ") == code


def test_the_push_room_is_a_number_of_seconds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_PUSH_ROOM, raising=False)
    assert HubSettings.resolve(data_dir=tmp_path).push_room == DEFAULT_PUSH_ROOM
    assert HubSettings.resolve(data_dir=tmp_path, push_room=1.5).push_room == 1.5
    assert HubSettings.resolve(data_dir=tmp_path, push_room=0).push_room == 0  # no turns
    monkeypatch.setenv(ENV_PUSH_ROOM, "0.25")  # how `serve --workers` hands it to its workers
    assert HubSettings.resolve(data_dir=tmp_path).push_room == 0.25
    for wrong in ("-1", "nan", "a while", "1000"):
        monkeypatch.setenv(ENV_PUSH_ROOM, wrong)
        with pytest.raises(InvalidInput, match="push room must be a number of seconds"):
            HubSettings.resolve(data_dir=tmp_path)


def test_the_hubs_processes_share_its_push_room_and_every_other_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = HubSettings.resolve(data_dir=tmp_path, push_room=0.3, push_in_flight=2, enroll_limit="20/minute")
    for name, value in worker_environment(settings, workers=2).items():
        monkeypatch.setenv(name, value)
    in_a_worker = HubSettings.resolve()  # as each process of `serve --workers 2` resolves them
    assert in_a_worker.push_room == pytest.approx(0.15)
    assert in_a_worker == dataclasses.replace(settings, push_room=in_a_worker.push_room)


def test_the_hub_logs_to_stderr_unless_told_to_log_to_a_file_and_its_workers_follow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from windowdesk.hub.settings import ENV_LOG_TO

    monkeypatch.delenv(ENV_LOG_TO, raising=False)
    assert HubSettings.resolve(data_dir=tmp_path).log_to == "stderr"  # systemd's journal keeps it
    settings = HubSettings.resolve(data_dir=tmp_path, log_to="file")
    for name, value in worker_environment(settings, workers=2).items():
        monkeypatch.setenv(name, value)
    assert HubSettings.resolve().log_to == "file"
    monkeypatch.setenv(ENV_LOG_TO, "syslog")
    with pytest.raises(InvalidInput, match="stderr or to a file"):
        HubSettings.resolve(data_dir=tmp_path)
