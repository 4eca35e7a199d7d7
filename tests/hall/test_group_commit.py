"""The hall store's group commit: writes waiting for the turn share one commit, yet each
is answered only once committed, and a write that fails undoes only itself."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from windowdesk.hall.storage.store import HallStore


class Refused(Exception):
    """The failure a write inside the turn raises (and that must undo only that write)."""


def _prefixes_on_disk(path) -> set[str]:
    """What another connection (another process, after a kill -9) sees: committed rows only."""
    with sqlite3.connect(path) as other:
        return {row[0] for row in other.execute("SELECT prefix FROM businesses")}


def test_writes_that_queue_up_are_each_answered_only_once_committed_and_a_refused_one_undoes_itself(tmp_path):
    store = HallStore(tmp_path / "hall.sqlite3")
    store.migrate()
    first_inside, let_first_go = threading.Event(), threading.Event()
    seen_when_answered: dict[str, set[str]] = {}
    errors: dict[str, BaseException] = {}

    def write(prefix: str, *, hold: bool = False, refuse: bool = False) -> None:
        try:
            with store.write() as db:
                store.put_business(db, prefix=prefix, name=prefix, items=[])
                if hold:  # the others queue up behind this one meanwhile
                    first_inside.set()
                    let_first_go.wait(10)
                if refuse:
                    raise Refused(prefix)
            seen_when_answered[prefix] = _prefixes_on_disk(store.path)
        except Refused as refused:
            errors[prefix] = refused

    first = threading.Thread(target=write, args=("A",), kwargs={"hold": True})
    first.start()
    assert first_inside.wait(10)
    behind = [
        threading.Thread(target=write, args=("B",), kwargs={"refuse": True}),
        threading.Thread(target=write, args=("C",)),
        threading.Thread(target=write, args=("D",)),
    ]
    for thread in behind:
        thread.start()
    time.sleep(0.3)  # they wait for the turn (were they late, each would commit alone: same outcome)
    let_first_go.set()
    for thread in [first, *behind]:
        thread.join(10)
    store.close()

    assert set(errors) == {"B"}
    for prefix in "ACD":  # answered after their own commit, never before
        assert prefix in seen_when_answered[prefix]
    assert _prefixes_on_disk(store.path) == {"A", "C", "D"}  # the refused write undid itself only


def test_a_write_refused_alone_leaves_the_store_writable(tmp_path):
    store = HallStore(tmp_path / "hall.sqlite3")
    store.migrate()
    with pytest.raises(Refused), store.write() as db:
        store.put_business(db, prefix="A", name="a", items=[])
        raise Refused
    with store.write() as db:
        store.put_business(db, prefix="B", name="b", items=[])
    store.close()
    assert _prefixes_on_disk(store.path) == {"B"}
