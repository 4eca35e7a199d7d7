"""The window's first screen resumes the garbage collector the start held (windowdesk/heap.py,
issue 29, aim 6): a window standing at its login screen collects as any other."""

from __future__ import annotations

import gc

from windowdesk.heap import hold_collection_for_start
from windowdesk.ui.launch import launch


def test_the_login_screen_resumes_collection_with_the_starts_objects_set_aside(qapp, demo, tmp_path):
    shot = tmp_path / "login.png"
    try:
        hold_collection_for_start()
        assert launch(qapp, db=demo.db, shipped_calendar=demo.calendar, smoke_test=shot) == 0
        assert shot.stat().st_size > 0  # the login screen was drawn (no --demo: nobody logged in)
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
