"""Fixtures of the device tests: the stand-in reader library and its control file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.devices.standin import CONTROL_VARIABLE, ReaderControl, build_standin


@pytest.fixture(scope="session")
def standin_library(tmp_path_factory) -> Path:
    return build_standin(tmp_path_factory.mktemp("sdtapi"))


@pytest.fixture
def reader_control(tmp_path, monkeypatch) -> ReaderControl:
    path = tmp_path / "reader-control.txt"
    monkeypatch.setenv(CONTROL_VARIABLE, str(path))
    return ReaderControl(path)
