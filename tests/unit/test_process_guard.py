"""The fast loop's rule that a test starting a process is slow (tests/process_guard.py),
proven on tests run by pytest inside this test: no process is started, the guard refuses
each start before the process exists."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

_TESTS = """
import multiprocessing
import os
import sqlite3
import subprocess

import pytest


def test_quiet(tmp_path):
    # Ordinary work raises audit events too (open, sqlite3.connect): none is refused.
    (tmp_path / "note.txt").write_text("x")
    with sqlite3.connect(tmp_path / "a.sqlite3") as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    assert (tmp_path / "note.txt").read_text() == "x"


def test_runs_a_command():
    subprocess.run(["true"], check=True)


def test_swallows_the_refusal():
    refused = None
    try:
        subprocess.run(["true"], check=True)
    except Exception as error:
        refused = error
    # Told where to mark it; the guard fails the test all the same.
    assert "tests/slow_suites.py" in str(refused)


def test_spawns_an_interpreter():
    process = multiprocessing.get_context("spawn").Process(target=os.getpid)
    process.start()
    process.join()


def test_forks():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


@pytest.fixture
def server():
    return os.system("true")


def test_through_a_fixture(server):
    assert server == 0


@pytest.mark.slow
def test_marked_slow():
    subprocess.run(["true"], check=True)
"""


def test_a_test_not_marked_slow_that_starts_a_process_fails_and_is_told_where_to_mark_it(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_guarded=_TESTS)
    # The guard is this project's module, imported already: pytest says it cannot rewrite its asserts.
    pytester.makeini(
        "[pytest]\nmarkers =\n    slow: starts a process\n"
        "filterwarnings =\n    ignore::pytest.PytestAssertRewriteWarning\n"
    )
    result = pytester.runpytest_inprocess(
        "-m", "not slow", "-p", "tests.process_guard", "-p", "no:cacheprovider", "-p", "no:xdist"
    )
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] == 1, result.stdout.str()
    assert outcomes["failed"] == 4, result.stdout.str()
    assert outcomes["errors"] == 1, result.stdout.str()  # the fixture's start fails the set-up
    assert outcomes["deselected"] == 1, result.stdout.str()
    text = result.stdout.str()
    for name, event in (
        ("test_runs_a_command", "subprocess.Popen"),
        ("test_swallows_the_refusal", "subprocess.Popen"),
        ("test_spawns_an_interpreter", "windowdesk.tests.fork_exec"),
        ("test_forks", "os.fork"),
        ("test_through_a_fixture", "os.system"),
    ):
        assert (
            f"test_guarded.py::{name} started a process ({event}) in the fast loop, and a test "
            "that starts a process is slow: list it in tests/slow_suites.py" in " ".join(text.split())
        ), name
    assert "test_quiet" not in text.split("short test summary info")[-1]
