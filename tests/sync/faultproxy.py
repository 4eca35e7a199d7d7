"""A small fault-injecting HTTP/1.1 proxy of the tests' own, between a client and the hub.

Threads and plain sockets on 127.0.0.1. It understands just enough HTTP to cut the
stream into requests and replies (Content-Length bodies, chunked replies), so that a
fault can be chosen per request: ``proxy.decide`` is called with each :class:`Request`
and returns a :class:`Fault`. What was injected is recorded in ``proxy.record``.

Every loop is bounded: sockets have timeouts, a connection serves a bounded number of
requests, and :meth:`FaultProxy.close` shuts every socket and joins every thread.
"""

from __future__ import annotations

import contextlib
import enum
import os
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MAX_HEAD = 64 * 1024
MAX_BODY = 64 * 1024 * 1024
IDLE_TIMEOUT = 30.0  # a silent peer is dropped after this long
MAX_REQUESTS_PER_CONNECTION = 100_000


class Fault(str, enum.Enum):
    NONE = "none"
    # Before the hub sees the whole request (nothing is committed).
    DROP_REQUEST = "drop_request"  # half the body reaches the hub, then both sides are cut
    CORRUPT_REQUEST = "corrupt_request"  # one byte of the body is flipped on the way to the hub
    ERROR_500 = "error_500"  # the proxy answers 500 itself
    ERROR_503 = "error_503"  # the proxy answers 503 itself
    # After the hub answered (a push is committed): the client must resend.
    DROP_REPLY = "drop_reply"  # the reply's head and half its body, then the line is cut
    LOSE_REPLY = "lose_reply"  # the hub's reply never arrives
    TRUNCATE = "truncate"  # a complete-looking reply whose body is cut short
    GARBAGE = "garbage"  # 200 with random bytes
    BAD_JSON = "bad_json"  # 200 with JSON of the wrong shape
    FORGED = "forged"  # 200 with the body ``proxy.hooks[FORGED](request, hub_body)`` returns
    ERROR_503_AFTER = "error_503_after"  # the hub committed, the client sees a 503
    STALL = "stall"  # the reply is held back longer than the client waits
    # Delivery quirks.
    SLOW = "slow"  # a slow link: delay before forwarding, the reply trickles back
    DUPLICATE = "duplicate"  # the request reaches the hub twice, one after the other
    DUPLICATE_CONCURRENT = "duplicate_concurrent"  # twice at the same time, two connections
    # Hooks: the request reaches the hub, then ``proxy.hooks[fault]`` runs.
    KILL_HUB = "kill_hub"  # the hook kills the hub while it handles the request
    KILL_CLIENT = "kill_client"  # the hub answered; the hook kills the client before it reads
    KILL_CLIENT_AFTER = "kill_client_after"  # the client has the answer; the hook kills it while it works


# Faults after which the hub may have committed the request.
AFTER_COMMIT = frozenset(
    {
        Fault.DROP_REPLY,
        Fault.LOSE_REPLY,
        Fault.TRUNCATE,
        Fault.GARBAGE,
        Fault.BAD_JSON,
        Fault.ERROR_503_AFTER,
        Fault.STALL,
        Fault.KILL_HUB,
        Fault.KILL_CLIENT,
    }
)


@dataclass(frozen=True)
class Request:
    number: int  # 1, 2, ... over the proxy's life
    connection: int
    method: str
    path: str  # without the query string
    headers: dict[str, str]  # lower-case names
    query: str = ""

    @property
    def token(self) -> str:
        value = self.headers.get("authorization", "")
        return value[7:] if value.lower().startswith("bearer ") else ""


@dataclass
class Injected:
    request: Request
    fault: Fault
    upstream_status: int | None = None
    hooked: bool = False


class _Closed(Exception):
    """The peer closed the connection (or went silent)."""


class _Stream:
    """Buffered reading of HTTP messages from one socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> None:
        try:
            chunk = self.sock.recv(65536)
        except (TimeoutError, OSError):
            raise _Closed() from None
        if not chunk:
            raise _Closed()
        self.buffer += chunk

    def head(self) -> bytes:
        while b"\r\n\r\n" not in self.buffer:
            if len(self.buffer) > MAX_HEAD:
                raise _Closed()
            self._fill()
        end = self.buffer.index(b"\r\n\r\n") + 4
        head, self.buffer = self.buffer[:end], self.buffer[end:]
        return head

    def exactly(self, count: int) -> bytes:
        while len(self.buffer) < count:
            self._fill()
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            if len(self.buffer) > MAX_HEAD:
                raise _Closed()
            self._fill()
        end = self.buffer.index(b"\r\n") + 2
        data, self.buffer = self.buffer[:end], self.buffer[end:]
        return data

    def message(self) -> tuple[bytes, dict[str, str], bytes]:
        """(head, headers, body) of the next message; a chunked body is kept raw."""
        head = self.head()
        headers = _headers(head)
        if "content-length" in headers:
            length = int(headers["content-length"])
            if length > MAX_BODY:
                raise _Closed()
            return head, headers, self.exactly(length)
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = b""
            while True:
                size_line = self.line()
                size = int(size_line.split(b";")[0].strip(), 16)
                body += size_line + self.exactly(size + 2)
                if size == 0:
                    return head, headers, body
                if len(body) > MAX_BODY:
                    raise _Closed()
        return head, headers, b""


def _headers(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    headers = {}
    for line in lines:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return headers


def _status(head: bytes) -> int:
    try:
        return int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def _response(
    status: int, reason: str, body: bytes, content_type: str = "application/json", *, close: bool = True
) -> bytes:
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: {content_type}\r\n"
        f"content-length: {len(body)}\r\n" + ("connection: close\r\n" if close else "") + "\r\n"
    )
    return head.encode("latin-1") + body


def _with_length(head: bytes, length: int) -> bytes:
    lines = head.decode("latin-1").split("\r\n")
    kept = [line for line in lines[:-2] if not line.lower().startswith(("content-length:", "transfer-encoding:"))]
    kept.append(f"content-length: {length}")
    return ("\r\n".join(kept) + "\r\n\r\n").encode("latin-1")


def _close(sock: socket.socket | None) -> None:
    if sock is None:
        return
    with contextlib.suppress(OSError):  # the peer may have gone already
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


@dataclass
class FaultPlan:
    """A ready-made ``decide``: a script of faults first, then faults at random.

    Only requests whose path ends with one of ``paths`` are touched. ``script`` faults are
    used one per matching request, in order; afterwards each matching request gets a
    fault drawn from ``random_faults`` with probability ``rate`` (seeded, reproducible).
    """

    script: list[Fault] = field(default_factory=list)
    random_faults: tuple[Fault, ...] = ()
    rate: float = 0.0
    paths: tuple[str, ...] = ("/push", "/changes")
    seed: int = 0
    only_tokens: frozenset[str] | None = None  # None: every workstation

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(self.seed)
        self._script = list(self.script)

    def __call__(self, request: Request) -> Fault:
        if not request.path.endswith(self.paths):
            return Fault.NONE
        if self.only_tokens is not None and request.token not in self.only_tokens:
            return Fault.NONE
        with self._lock:
            if self._script:
                return self._script.pop(0)
            if self.random_faults and self._random.random() < self.rate:
                return self._random.choice(self.random_faults)
        return Fault.NONE

    @property
    def script_done(self) -> bool:
        with self._lock:
            return not self._script


class FaultProxy:
    """``with FaultProxy(upstream_port) as proxy:`` — clients use ``proxy.url``."""

    def __init__(
        self,
        upstream_port: int,
        *,
        upstream_host: str = "127.0.0.1",
        slow_delay: float = 0.15,
        stall_seconds: float = 3.0,
        trickle_chunk: int = 4096,
        trickle_pause: float = 0.005,
    ) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.decide: Callable[[Request], Fault] = lambda _request: Fault.NONE
        self.hooks: dict[Fault, Callable[..., Any]] = {}
        self.slow_delay = slow_delay
        self.stall_seconds = stall_seconds
        self.trickle_chunk = trickle_chunk
        self.trickle_pause = trickle_pause
        self.record: list[Injected] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._requests = 0
        self._connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._acceptor = threading.Thread(target=self._accept_loop, name="faultproxy-accept", daemon=True)
        self._acceptor.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set_upstream_port(self, port: int) -> None:
        self.upstream = (self.upstream[0], port)

    def counts(self) -> Counter:
        with self._lock:
            return Counter(entry.fault for entry in self.record)

    def heal(self) -> None:
        self.decide = lambda _request: Fault.NONE

    # --- plumbing -----------------------------------------------------------------

    def _track(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.add(sock)
        return sock

    def _untrack(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.discard(sock)
        _close(sock)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self._stop.is_set():
                _close(client)
                return
            client.settimeout(IDLE_TIMEOUT)
            self._track(client)
            with self._lock:
                self._connections += 1
                number = self._connections
                self._threads = [t for t in self._threads if t.is_alive()]
            thread = threading.Thread(
                target=self._serve, args=(client, number), name=f"faultproxy-{number}", daemon=True
            )
            with self._lock:
                self._threads.append(thread)
            thread.start()

    def _connect_upstream(self) -> socket.socket | None:
        try:
            sock = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            return None
        sock.settimeout(IDLE_TIMEOUT)
        return self._track(sock)

    def _serve(self, client: socket.socket, connection: int) -> None:
        upstream: socket.socket | None = None
        upstream_stream: _Stream | None = None
        stream = _Stream(client)
        try:
            for _ in range(MAX_REQUESTS_PER_CONNECTION):
                if self._stop.is_set():
                    return
                head, headers, body = stream.message()
                request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
                method, target = [*request_line.split(" "), "", ""][:2]
                with self._lock:
                    self._requests += 1
                    number = self._requests
                path, _sep, query = target.partition("?")
                request = Request(number, connection, method, path, headers, query)
                fault = self.decide(request)
                entry = Injected(request, fault)
                if fault is not Fault.NONE:
                    with self._lock:
                        self.record.append(entry)
                try:
                    keep = self._one(client, request, fault, entry, head + body, head, body, upstream, upstream_stream)
                except (_Closed, OSError):
                    keep = None
                if keep is None and fault in (Fault.KILL_CLIENT, Fault.KILL_CLIENT_AFTER) and not entry.hooked:
                    entry.hooked = True
                    self.hooks[fault](request)  # the line broke first: the client dies all the same
                if keep is None:
                    return
                upstream, upstream_stream = keep
        except _Closed:
            return
        except OSError:
            return
        finally:
            self._untrack(upstream)
            self._untrack(client)

    def _exchange(self, upstream: socket.socket, stream: _Stream, raw: bytes) -> tuple[bytes, dict, bytes]:
        upstream.sendall(raw)
        return stream.message()

    def _one(self, client, request, fault, entry, raw, head, body, upstream, upstream_stream):
        """Handle one request; returns the upstream connection to keep, or None to end."""
        if fault in (Fault.ERROR_500, Fault.ERROR_503):
            status, reason = (
                (500, "Internal Server Error") if fault is Fault.ERROR_500 else (503, "Service Unavailable")
            )
            client.sendall(_response(status, reason, b"proxy says no", "text/plain"))
            return None
        if upstream is None:
            upstream = self._connect_upstream()
            if upstream is None:
                return None  # the hub is down: the client sees the line cut
            upstream_stream = _Stream(upstream)
        if fault is Fault.DROP_REQUEST:
            upstream.sendall(head + body[: len(body) // 2])
            time.sleep(0.02)
            return None
        if fault is Fault.SLOW:
            self._stop.wait(self.slow_delay)
        if fault is Fault.CORRUPT_REQUEST and body:
            damaged = bytearray(body)
            damaged[len(damaged) // 2] ^= 0xFF
            raw = head + bytes(damaged)
        if fault is Fault.KILL_HUB:
            upstream.sendall(raw)
            self.hooks[Fault.KILL_HUB](request)
            try:
                reply_head, _h, reply_body = upstream_stream.message()
            except _Closed:
                return None
            entry.upstream_status = _status(reply_head)
            client.sendall(reply_head + reply_body)  # the hub answered before it died
            return None
        if fault is Fault.DUPLICATE_CONCURRENT:
            twin = self._connect_upstream()
            if twin is None:
                return None
            try:
                twin_stream = _Stream(twin)
                results: dict[str, tuple] = {}
                start = threading.Barrier(2, timeout=5)

                def send(name, sock, sock_stream):
                    # A twin that loses the race or its connection simply has no result.
                    with contextlib.suppress(threading.BrokenBarrierError, _Closed, OSError):
                        start.wait()
                        results[name] = self._exchange(sock, sock_stream, raw)

                other = threading.Thread(target=send, args=("twin", twin, twin_stream), daemon=True)
                other.start()
                send("main", upstream, upstream_stream)
                other.join(timeout=IDLE_TIMEOUT)
            finally:
                self._untrack(twin)
            if "main" not in results:
                return None
            reply_head, reply_headers, reply_body = results["main"]
            entry.upstream_status = _status(reply_head)
            if "twin" in results:
                entry.upstream_status = max(entry.upstream_status, _status(results["twin"][0]))
            client.sendall(reply_head + reply_body)
            return None if reply_headers.get("connection", "").lower() == "close" else (upstream, upstream_stream)
        reply_head, reply_headers, reply_body = self._exchange(upstream, upstream_stream, raw)
        entry.upstream_status = _status(reply_head)
        if fault is Fault.DUPLICATE:
            reply_head, reply_headers, reply_body = self._exchange(upstream, upstream_stream, raw)
            entry.upstream_status = max(entry.upstream_status, _status(reply_head))
        if fault is Fault.KILL_CLIENT:
            entry.hooked = True
            self.hooks[Fault.KILL_CLIENT](request)
            return None
        if fault is Fault.LOSE_REPLY:
            return None
        if fault is Fault.STALL:
            self._stop.wait(self.stall_seconds)
            return None
        if fault is Fault.DROP_REPLY:
            client.sendall(reply_head + reply_body[: len(reply_body) // 2])
            time.sleep(0.02)
            return None
        if fault is Fault.TRUNCATE:
            cut = reply_body[: max(1, len(reply_body) * 2 // 3)]
            client.sendall(_with_length(reply_head, len(cut)) + cut)
            return None
        if fault is Fault.GARBAGE:
            client.sendall(_response(200, "OK", os.urandom(512)))
            return None
        if fault is Fault.BAD_JSON:
            client.sendall(_response(200, "OK", b'{"results": "nope", "changes": 7}'))
            return None
        if fault is Fault.FORGED:
            client.sendall(_response(200, "OK", self.hooks[Fault.FORGED](request, reply_body), close=False))
            return upstream, upstream_stream
        if fault is Fault.ERROR_503_AFTER:
            client.sendall(_response(503, "Service Unavailable", b"", "text/plain"))
            return None
        if fault is Fault.SLOW:
            data = reply_head + reply_body
            for start in range(0, len(data), self.trickle_chunk):
                client.sendall(data[start : start + self.trickle_chunk])
                if self._stop.wait(self.trickle_pause):
                    return None
        else:
            client.sendall(reply_head + reply_body)
        if fault is Fault.KILL_CLIENT_AFTER:
            entry.hooked = True
            self.hooks[Fault.KILL_CLIENT_AFTER](request)
            return None
        if reply_headers.get("connection", "").lower() == "close":
            return None
        return upstream, upstream_stream

    def close(self) -> None:
        self._stop.set()
        _close(self._listener)
        self._acceptor.join(timeout=5)
        with self._lock:
            sockets = list(self._sockets)
            threads = list(self._threads)
        for sock in sockets:
            _close(sock)
        for thread in threads:
            thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
