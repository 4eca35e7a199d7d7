"""A real hub process against requests that would cost it memory (issue 21, finding 4):
a refused token is answered before the body is sent, a body over its route's cap is
answered 413 at once (declared) or as soon as it goes past the cap (chunked), and a
flood of such requests leaves the hub's memory where it was."""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import socket
import time
from pathlib import Path

import pytest

from windowdesk.sync.protocol import API_PREFIX, HEADER_CLIENT, HEADER_PROTOCOL, MAX_PUSH_BODY_BYTES, PROTOCOL_VERSION

from .hub_process import HubProcess

HUGE = 80_000_000  # the 77 MB push of the review
ANSWER_WITHIN_S = 5.0


def _head(port: int, path: str, token: str, extra: str) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"{HEADER_PROTOCOL}: {PROTOCOL_VERSION}\r\n{HEADER_CLIENT}: windowdesk/0.1.0\r\n"
        f"Authorization: Bearer {token}\r\n{extra}\r\n"
    ).encode()


def _status_of(connection: socket.socket) -> tuple[int, bytes]:
    """The answer's status and what came with it (read until the hub closes or a whole answer is in)."""
    connection.settimeout(ANSWER_WITHIN_S)
    received = b""
    while b"\r\n\r\n" not in received or not received.rstrip().endswith(b"}"):
        chunk = connection.recv(65536)
        if not chunk:
            break
        received += chunk
    return int(received.split(b" ", 2)[1]), received


def _push_head_only(hub: HubProcess, token: str, length: int) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", hub.port)) as connection:
        connection.sendall(_head(hub.port, f"{API_PREFIX}/push", token, f"Content-Length: {length}\r\n"))
        return _status_of(connection)  # not one byte of the body was sent


def _rss_kib(hub: HubProcess) -> int:
    status = Path(f"/proc/{hub.process.pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


@pytest.fixture
def token(serving_hub: HubProcess) -> str:
    import requests

    reply = requests.post(
        f"{serving_hub.url}{API_PREFIX}/enroll",
        json={"code": serving_hub.enrollment_code("CH", "01")},
        headers={HEADER_PROTOCOL: str(PROTOCOL_VERSION), HEADER_CLIENT: "windowdesk/0.1.0"},
        timeout=10,
    )
    assert reply.status_code == 200, reply.text
    return reply.json()["token"]


def test_a_refused_token_is_answered_before_the_body_is_sent(serving_hub: HubProcess) -> None:
    status, answer = _push_head_only(serving_hub, "wdw_made-up", HUGE)
    assert status == 401, answer


def test_a_body_over_the_cap_is_answered_413_at_once(serving_hub: HubProcess, token: str) -> None:
    status, answer = _push_head_only(serving_hub, token, HUGE)
    assert status == 413, answer
    assert b"request_too_large" in answer
    # Enrollment's cap is a small one.
    with socket.create_connection(("127.0.0.1", serving_hub.port)) as connection:
        connection.sendall(_head(serving_hub.port, f"{API_PREFIX}/enroll", "", "Content-Length: 1000000\r\n"))
        assert _status_of(connection)[0] == 413


def test_a_chunked_body_is_read_no_further_than_the_cap(serving_hub: HubProcess, token: str) -> None:
    chunk = b"x" * 65536
    sent = 0
    with socket.create_connection(("127.0.0.1", serving_hub.port)) as connection:
        connection.sendall(_head(serving_hub.port, f"{API_PREFIX}/push", token, "Transfer-Encoding: chunked\r\n"))
        try:
            while sent < 10 * MAX_PUSH_BODY_BYTES:
                connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the hub stopped reading and closed: what it should do
        status, answer = _status_of(connection)
    assert status == 413, answer
    assert sent < 3 * MAX_PUSH_BODY_BYTES  # the socket buffers hold a little more than the cap


def test_a_flood_of_refused_pushes_leaves_the_hub_s_memory_as_it_was(serving_hub: HubProcess, token: str) -> None:
    body = json.dumps({"events": [{"padding": "x" * 1000}] * 20_000}).encode()  # about 20 MB each

    def refused_push(bearer: str) -> int:
        with socket.create_connection(("127.0.0.1", serving_hub.port)) as connection:
            connection.sendall(
                _head(serving_hub.port, f"{API_PREFIX}/push", bearer, f"Content-Length: {len(body)}\r\n")
            )
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                connection.sendall(body)
            return _status_of(connection)[0]

    _push_head_only(serving_hub, "wdw_warm-up", 10)
    before = _rss_kib(serving_hub)
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(refused_push, ["wdw_made-up"] * 8 + [token] * 8))
    assert statuses == [401] * 8 + [413] * 8
    assert time.monotonic() - started < 30
    # Eight 77 MB pushes took the hub from 74 MiB to 1.8 GiB; now it must not hold even one.
    assert _rss_kib(serving_hub) - before < 20 * 1024
