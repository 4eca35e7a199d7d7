"""The public status page of a case: the address the hub publishes, and one case's page.

The hub's administrator publishes where the hall's status pages are (e.g.
``https://hub.example/status``); a receipt's QR code then holds the case's own page
(``https://hub.example/status/CH-20261207-01-0001``), which a phone opens. A scanner at
the window reading that code types the address: :func:`case_number_in` takes the case
number back out of it.
"""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

MAX_LENGTH = 200


def is_status_page_base(url: str) -> bool:
    """An absolute http(s) address with a host, without spaces, query or fragment."""
    if not url or len(url) > MAX_LENGTH or any(ch.isspace() for ch in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("https", "http") and bool(parts.hostname) and not parts.query and not parts.fragment


def case_status_url(base: str, case_number: str) -> str:
    """The case's page under ``base``; "" when no address is published."""
    if not base:
        return ""
    return base.rstrip("/") + "/" + quote(case_number, safe="")


def case_number_in(scanned: str) -> str:
    """The case number in what a scanner typed: the number itself, or a status page's
    address ending in it."""
    text = scanned.strip()
    if "://" not in text:
        return text
    return unquote(urlsplit(text).path.rstrip("/").rsplit("/", 1)[-1])
