"""Start-up objects are moved out of the garbage collector's full passes, garbage first."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from windowdesk.heap import settle_startup_heap


@pytest.fixture(autouse=True, scope="module")
def _heap_set_aside_again() -> Iterator[None]:
    """tests/conftest.py sets the test process's heap aside once collected; these tests
    unfreeze it (each ends with ``gc.unfreeze()``), so it is set aside again after them."""
    yield
    settle_startup_heap()


@pytest.fixture(autouse=True)
def _nothing_set_aside() -> None:
    """Each test starts with nothing frozen, as a window's process does: a freeze the test
    sees is one the code under test made."""
    gc.unfreeze()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_start_up_objects_leave_the_collectors_sight_but_garbage_does_not_stay():
    garbage = weakref.ref(_Cycle())  # unreachable already, kept alive only by its cycle
    try:
        settle_startup_heap()
        assert garbage() is None  # collected, not frozen for good
        assert gc.get_freeze_count() > 0
        later = weakref.ref(_Cycle())
        gc.collect()
        assert later() is None  # what is made afterwards is collected as before
    finally:
        gc.unfreeze()


def test_a_larger_young_threshold_collects_less_often_but_still_collects_cycles():
    before = gc.get_threshold()
    try:
        settle_startup_heap(young_threshold=10_000)
        assert gc.get_threshold() == (10_000, *before[1:])
        gc.collect()
        cycle = weakref.ref(_Cycle())
        kept = [[] for _ in range(1_000)]  # more than Python's default threshold of 700
        assert cycle() is not None  # not collected yet: fewer new objects than the threshold
        kept += [[] for _ in range(12_000)]
        assert cycle() is None  # collected by the collector itself, no gc.collect()
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def test_source_lines_read_at_start_up_are_dropped():
    # PySide6's import hook reads the source of every module imported after it into
    # linecache: ~20 MB in the window, never used again.
    import linecache

    linecache.getlines(__file__)
    assert __file__ in linecache.cache
    try:
        settle_startup_heap()
        assert linecache.cache == {}
    finally:
        gc.unfreeze()


def test_the_start_runs_without_collections_then_sets_its_objects_aside_until_the_window_stands():
    """Issue 29, aim 6: the young generation's passes over the start's objects, which all
    live on, were about a tenth of a warm start's CPU."""
    from windowdesk.heap import hold_collection_for_start, resume_collection

    try:
        hold_collection_for_start()
        made_during_start = weakref.ref(_Cycle())
        kept = [[] for _ in range(20_000)]  # far more new objects than a young collection waits for
        assert not gc.isenabled() and made_during_start() is not None

        resume_collection()  # the login screen stands
        assert gc.isenabled() and gc.get_freeze_count() > 0
        later = weakref.ref(_Cycle())
        gc.collect()
        assert later() is None  # what the operator's work makes is collected as before
        assert made_during_start() is not None  # set aside, not walked

        settle_startup_heap()  # the main window stands
        assert made_during_start() is None  # the start's garbage is collected once, then
        assert gc.isenabled() and gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()
        gc.enable()
