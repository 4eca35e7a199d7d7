"""The fast loop's rule, checked: a test that starts a process is slow.

Starting a process (a hub, a hall, Chromium, a command of the project, a packaging tool)
costs seconds of the loop's time, so such a test is listed in tests/slow_suites.py or asks
for a fixture of SLOW_FIXTURES. This plugin (registered by tests/conftest.py in the fast
loop, ``-m "not slow"``) fails a test not marked ``slow`` that starts one, in its set-up, its
call or its teardown, with a message saying where to mark it.

The seam every process start passes through is Python's audit events
(``sys.addaudithook``): ``subprocess.Popen`` (so ``subprocess.run``, ``os.popen``, asyncio's
subprocesses), ``os.fork`` (multiprocessing's "fork"), ``os.posix_spawn``, ``os.system``,
``os.exec``, ``os.spawn``. multiprocessing's "spawn" and "forkserver" start their
interpreter through ``_posixsubprocess.fork_exec`` without an event, so that function
raises one too. The hook refuses the start before the process exists (the test then fails
with that error), and the test fails as well when its code caught the error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Generator
from typing import Any

import pytest

# The audit events that start a process (https://docs.python.org/3/library/audit_events.html).
PROCESS_EVENTS = frozenset(
    {
        "subprocess.Popen",
        "os.fork",
        "os.forkpty",
        "os.posix_spawn",
        "os.posix_spawnp",
        "os.spawn",
        "os.system",
        "os.exec",
        "windowdesk.tests.fork_exec",  # raised by the wrapper of _posixsubprocess.fork_exec below
    }
)


class ProcessStartedInFastLoop(RuntimeError):
    """A test not marked slow tried to start a process."""


def _advice(nodeid: str, event: str) -> str:
    path, _, name = nodeid.partition("::")
    name = name.split("[")[0]
    return (
        f"{nodeid} started a process ({event}) in the fast loop, and a test that starts a "
        f"process is slow: list it in tests/slow_suites.py (SLOW_TESTS: "
        f'"{path}::{name}", or its module in SLOW_MODULES), or, when one of its fixtures '
        f"starts the process, that fixture in SLOW_FIXTURES."
    )


class _Guard:
    """Which test is running unmarked (None between tests and for slow ones), and the
    process starts each test tried."""

    def __init__(self) -> None:
        self.nodeid: str | None = None
        self.starts: dict[str, list[str]] = {}

    def audit(self, event: str, _args: tuple[Any, ...]) -> None:
        nodeid = self.nodeid
        if nodeid is None or event not in PROCESS_EVENTS:
            return
        self.starts.setdefault(nodeid, []).append(event)
        raise ProcessStartedInFastLoop(_advice(nodeid, event))


GUARD = _Guard()
_installed = False


def _install() -> None:
    """Once per process: an audit hook cannot be removed, so it stays and does nothing
    while no unmarked test runs."""
    global _installed
    if _installed:
        return
    sys.addaudithook(GUARD.audit)
    import _posixsubprocess

    fork_exec: Callable[..., int] = _posixsubprocess.fork_exec

    def audited_fork_exec(*args: Any) -> int:
        sys.audit("windowdesk.tests.fork_exec")
        return fork_exec(*args)

    _posixsubprocess.fork_exec = audited_fork_exec
    _installed = True


def pytest_configure(config: pytest.Config) -> None:
    _install()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, object, object]:
    previous = GUARD.nodeid  # a test running pytest in process (pytester) has its own
    GUARD.nodeid = None if item.get_closest_marker("slow") else item.nodeid
    try:
        return (yield)
    finally:
        GUARD.starts.pop(item.nodeid, None)
        GUARD.nodeid = previous


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    starts = GUARD.starts.pop(item.nodeid, None)
    if starts and report.passed:  # the test caught the refusal; it fails all the same
        report.outcome = "failed"
        report.longrepr = _advice(item.nodeid, starts[0])
    return report
