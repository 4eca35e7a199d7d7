"""Keeping Python's garbage collector out of the counter's way.

A full collection walks every object the process holds. Most of them are made at
start-up (Qt wrappers, SQLAlchemy's mappers and pydantic's models, the catalog, babel's
locale data) and live until the end, yet each full pass walked them again: about 40 ms
added to every third look at the supervisor's watch on 2 cores, and a tenth of the
hub's time for a push of 500 events. Once the window stands (the hub: once its app is
made), those objects are moved out of the collector's sight; what is made later is
collected as before.

PySide6's import hook reads the source of every module imported after it (looking for
``from __feature__ import``), and the lines stay in ``linecache``: about 580 files and
20 MB of strings in the window, never needed again (a traceback reads the lines it
shows afresh). They are dropped here too.

During the window's own start (up to its login screen) the collector does not run at
all: the start makes hundreds of thousands of objects that all live on (modules,
classes, SQLAlchemy's mappers), and the young generation's passes over them came to
about a tenth of a warm start's CPU (issue 29, aim 6). When the login screen shows,
collection resumes with the start's objects set aside unexamined; the main window's
``settle_startup_heap`` looks at them once and collects the start's garbage.
"""

from __future__ import annotations

import contextlib
import gc
import linecache
from collections.abc import Iterator


def hold_collection_for_start() -> None:
    """The window's start: no collection until :func:`resume_collection` (or
    :func:`settle_startup_heap`)."""
    gc.disable()


def resume_collection() -> None:
    """A screen of the start stands and waits for its operator: what the start made is set
    aside (frozen, not walked), what is made from now on is collected as usual."""
    gc.freeze()
    gc.enable()


def settle_startup_heap(*, young_threshold: int | None = None) -> None:
    """Call once, when start-up is done: garbage is collected first, so nothing that is
    already garbage is kept for good.

    ``young_threshold``: how many new objects (net) start a collection of the youngest
    generation (Python's default: 700). A server whose requests each make and drop tens of
    thousands of objects (the hub: about 100 per pushed event) collects them far less
    often with a larger one; garbage cycles still go, a little later."""
    linecache.clearcache()
    gc.unfreeze()  # what resume_collection set aside is looked at now, with the rest
    gc.collect()
    gc.freeze()
    gc.enable()
    if young_threshold is not None:
        gc.set_threshold(young_threshold, *gc.get_threshold()[1:])


@contextlib.contextmanager
def young_collections_deferred(young_threshold: int) -> Iterator[None]:
    """Inside the block the youngest generation is collected only every ``young_threshold``
    new objects (net; the process's threshold, so every thread's), for work that makes
    many short-lived objects and no garbage cycle (the window's pull applying pages); the
    threshold is as it was after the block, whatever ends it, and garbage the block left
    is collected then."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], young_threshold), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
