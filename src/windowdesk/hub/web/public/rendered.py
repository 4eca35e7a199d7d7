"""Parts of the public pages rendered once per published catalog version.

A service guide, or the list a search finds, is the same for every reader of one
language until the city publishes another catalog version: it is rendered once per
worker process and kept under the version's fingerprint (public_guides.PublishedCatalog),
and all of it is let go when a page meets a newer version. What differs per reader or
per request (the CSRF token, the human check, the questions answered since, the text
size) stays outside these parts and is rendered on every page.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from markupsafe import Markup


class PerCatalogVersion:
    """At most ``most`` rendered parts of one catalog version, the least used let go first
    (search words are the reader's: their number has no other bound)."""

    def __init__(self, most: int) -> None:
        self._most = most
        self._lock = threading.Lock()
        self._fingerprint = ""
        self._parts: OrderedDict[Hashable, Markup] = OrderedDict()

    def get(self, fingerprint: str, key: Hashable, render: Callable[[], Markup]) -> Markup:
        with self._lock:
            if fingerprint == self._fingerprint and key in self._parts:
                self._parts.move_to_end(key)
                return self._parts[key]
        part = render()  # outside the lock: two threads may render the same part once each
        with self._lock:
            if fingerprint != self._fingerprint:
                self._fingerprint = fingerprint
                self._parts.clear()
            self._parts[key] = part
            while len(self._parts) > self._most:
                self._parts.popitem(last=False)
        return part
