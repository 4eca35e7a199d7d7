"""Sync fixtures: a real keyring backend in a temporary folder, a real hub process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from . import hub_process
from .hub_process import HubProcess, Station, create_station


@pytest.fixture
def temp_keyring(tmp_path: Path) -> Iterator[PlaintextKeyring]:
    """keyrings.alt's file backend, writing into this test's folder only."""
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring" / "keyring_pass.cfg")
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def serving_hub(tmp_path: Path) -> Iterator[HubProcess]:
    """A hub process serving on loopback, the demo catalog imported."""
    with hub_process.serving_hub(tmp_path / "hub") as hub:
        yield hub


@pytest.fixture
def enrolled_station(tmp_path: Path, serving_hub: HubProcess) -> Iterator[Station]:
    """Window CH-01, set up and enrolled with ``serving_hub``."""
    station = create_station(tmp_path / "ws", "CH", "01")
    try:
        station.enroll(serving_hub.url, serving_hub.enrollment_code("CH", "01"))
        yield station
    finally:
        station.close()


@pytest.fixture
def demo(demo):
    """The demo workstation, its demo password changed: these tests sync its data."""
    from tests.administrators import leave_the_demo_password

    leave_the_demo_password(demo.db)
    return demo
