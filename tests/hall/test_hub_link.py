"""The hall's reading of today's bookings from the hub, when the hub cannot give them."""

from __future__ import annotations

import socket

import pytest

from windowdesk.hall.hub_link import HubReadFailed, fetch_bookings


def _closed_port() -> int:
    """A loopback port nobody listens on (bound for a moment, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_hub_is_a_read_failure_in_words(hall):
    # Before, the error was built without its title: a TypeError instead, which the
    # reading thread (keep_reading catches WindowdeskError) did not survive.
    with pytest.raises(HubReadFailed) as failed:
        fetch_bookings(hall, hub_url=f"http://127.0.0.1:{_closed_port()}", token="t")
    assert failed.value.title
    assert "127.0.0.1" in failed.value.message
