"""One request's language does not leak into another's: ``speaking_in`` sets the project's
``_`` for the code it wraps (and the threads it starts), while the rest of the process keeps
the language ``set_locale`` chose. The hub's pages word the domain's messages so."""

from __future__ import annotations

import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor

from windowdesk import i18n
from windowdesk.paths import translations_dir

MESSAGE = "both letters and digits"  # a password rule, worded when it is raised


def test_a_block_speaks_its_own_language_and_nothing_else_does() -> None:
    previous = i18n.current_locale()
    i18n.set_locale("en")
    chinese = i18n.load_catalog("zh_CN", translations_dir())
    inside, beside = [], []
    entered, checked = threading.Event(), threading.Event()

    def other_request() -> None:
        entered.wait(5)
        beside.append((i18n._(MESSAGE), i18n.current_locale()))
        checked.set()

    try:
        with ThreadPoolExecutor(1) as pool:
            other = pool.submit(other_request)
            with i18n.speaking_in(chinese, "zh_CN"):
                entered.set()
                checked.wait(5)  # another request runs while this block speaks Chinese
                inside.append((i18n._(MESSAGE), i18n.current_locale()))
                with ThreadPoolExecutor(1) as worker:  # as a route's worker thread, started from here
                    context = contextvars.copy_context()
                    inside.append(worker.submit(context.run, i18n._, MESSAGE).result())
            other.result()
        after = i18n._(MESSAGE)
    finally:
        i18n.set_locale(previous)
    assert inside == [("同时包含字母和数字", "zh_CN"), "同时包含字母和数字"]
    assert beside == [(MESSAGE, "en")]
    assert after == MESSAGE
