"""Keeping Python's garbage collector out of the counter's way.

A full collection walks every object the process holds. Most of them are made at
start-up (Qt wrappers, SQLAlchemy's mappers and pydantic's models, the catalog, babel's
locale data) and live until the end, yet each full pass walked them again: about 40 ms
added to every third look at the supervisor's watch on 2 cores, and a tenth of the
hub's time for a push of 500 events. Once the window stands (the hub: once its app is
made), those objects are moved out of the collector's sight; what is made later is
collected as before.
"""

from __future__ import annotations

import gc


def settle_startup_heap() -> None:
    """Call once, when start-up is done: garbage is collected first, so nothing that is
    already garbage is kept for good."""
    gc.collect()
    gc.freeze()
