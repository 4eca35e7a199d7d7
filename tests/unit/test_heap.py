"""Start-up objects are moved out of the garbage collector's full passes, garbage first."""

from __future__ import annotations

import gc
import weakref

from windowdesk.heap import settle_startup_heap


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
