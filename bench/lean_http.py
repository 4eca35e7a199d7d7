"""A load generator that costs the machine little: paced GET requests over a few kept-alive
HTTP/1.1 connections, from one asyncio loop in one thread.

The hub and the load generator share the machine's two cores, so every millisecond the
generator spends is one the hub does not get. ``requests`` in 24 threads cost about
1.3 ms of CPU per request (its session, urllib3's pool, the threads taking turns at the
interpreter); this writes the request line itself, reads the status line and the body
by its Content-Length (or its chunks), and nothing more.

Requests are paced: request n is due at ``n / rate`` seconds. A due request waits for a
free connection; its time is counted from when it was sent, and how late it was sent
(``send_lag_p95_ms``) says whether the connections kept up. A run ends once the last
request due has its answer, so a hub that falls behind shows as fewer requests a second.
"""

from __future__ import annotations

import asyncio
import collections
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    kind: str  # what the figures are grouped by: "guide", "case", "search"...
    path: str
    cookie: str = ""  # the Cookie header's value, if any


@dataclass
class Load:
    times_ms: dict[str, list[float]]  # by kind, answered 200
    lag_ms: list[float]  # how late each request was sent
    errors: list[str]
    seconds: float  # from the first request due to the last answer
    cpu_seconds: float  # this process's, while the load ran

    @property
    def answered(self) -> int:
        return sum(len(times) for times in self.times_ms.values())


class _Connection:
    """One browser: its connection, and the cookies the hub gave it (the CSRF cookie, the
    language), sent back as a browser would."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.cookies: dict[bytes, bytes] = {}

    async def get(self, target: Target, timeout: float) -> int:
        """The answer's status; the body is read and dropped."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        kept = "; ".join(f"{name.decode()}={value.decode()}" for name, value in self.cookies.items())
        both = "; ".join(filter(None, (target.cookie, kept)))
        cookie = f"Cookie: {both}\r\n" if both else ""
        self.writer.write(f"GET {target.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{cookie}\r\n".encode())
        try:
            return await asyncio.wait_for(self._answer(), timeout)
        except BaseException:
            self.close()  # half an answer may be on the wire: never reuse it
            raise

    async def _answer(self) -> int:
        assert self.reader is not None
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, chunked, close = None, False, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = b"close" in value.lower()
            elif name == b"set-cookie":
                pair = value.strip().split(b";", 1)[0]
                self.cookies[pair.split(b"=", 1)[0]] = pair.partition(b"=")[2]
        if chunked:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length:
            await self.reader.readexactly(length)
        if close:
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _run(
    host: str, port: int, targets: list[Target], rate: float, seconds: float, connections: int, timeout: float
) -> Load:
    due: asyncio.Queue = asyncio.Queue()
    times: dict[str, list[float]] = collections.defaultdict(list)
    lag: list[float] = []
    errors: list[str] = []
    total = int(rate * seconds)
    clock = time.perf_counter
    started = clock() + 0.05

    async def pace() -> None:
        for n in range(total):
            wait = started + n / rate - clock()
            if wait > 0:
                await asyncio.sleep(wait)
            due.put_nowait((started + n / rate, targets[n % len(targets)]))
        for _ in range(connections):
            due.put_nowait(None)

    async def serve(connection: _Connection) -> None:
        while (item := await due.get()) is not None:
            due_at, target = item
            sent = clock()
            lag.append((sent - due_at) * 1000)
            try:
                status = await connection.get(target, timeout)
            except (
                TimeoutError,
                OSError,
                asyncio.IncompleteReadError,
                asyncio.LimitOverrunError,
                ValueError,
                IndexError,
            ) as error:
                errors.append(f"{target.kind}: {error.__class__.__name__}")
                continue
            if status == 200:
                times[target.kind].append((clock() - sent) * 1000)
            else:
                errors.append(f"{target.kind}: HTTP {status}")
        connection.close()

    cpu = time.process_time()
    pool = [_Connection(host, port) for _ in range(connections)]
    await asyncio.gather(pace(), *(serve(connection) for connection in pool))
    return Load(dict(times), lag, errors, clock() - started, time.process_time() - cpu)


def run_load(
    host: str,
    port: int,
    targets: list[Target],
    *,
    rate: float,
    seconds: float,
    connections: int = 16,
    timeout: float = 10.0,
) -> Load:
    """``rate`` requests a second for ``seconds``, going round ``targets`` (shuffle them first)."""
    try:
        import uvloop  # the hub's own event loop when installed: cheaper per request than asyncio's

        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    return runner(_run(host, port, targets, rate, seconds, connections, timeout))
