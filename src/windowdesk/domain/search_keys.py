"""Finding a catalog item by what an operator types: Chinese, full pinyin or initials.

``老年证办理`` is found by ``老年证``, ``laonian``, ``lnz`` and ``lnzbl``. Keys are computed
once per item (store them next to the name) and compared with plain substring tests,
so searching a few thousand items per keystroke stays instant.

Polyphonic characters take their most common reading (pypinyin ``lazy_pinyin``, no
heteronyms); ü is written ``v`` as on a keyboard (绿 -> ``lv``).

The keys of an item's name and keywords are made where the catalog is imported or
published (the hub puts them in the published catalog: :func:`item_search_keys`,
:func:`keys_document`), never while the operator types: pypinyin's reading tables cost
about 0.1 s and 56 MB, a quarter of the window's memory.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import NamedTuple

NO_MATCH = 1_000_000


class SearchKeys(NamedTuple):
    full: str
    initials: str


def _compact(text: str) -> str:
    """NFKC (full-width -> ASCII), lower case, letters and digits only."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


@functools.lru_cache(maxsize=4096)
def search_keys(name: str) -> SearchKeys:
    """Full pinyin and initials of ``name``, lowercase, without spaces or punctuation.
    Kept for names seen before: a catalog published again (or edited in the console) and
    the public guides' search make the same items' keys again (a quarter of a catalog import).

    Non-Chinese letters and digits are kept as they are (lowercased) in both keys:
    ``C1驾照`` -> ("c1jiazhao", "c1jz").
    """
    text = unicodedata.normalize("NFKC", name or "")
    # Imported here: the reading tables cost ~0.2 s and are needed only when keys are made.
    from pypinyin import Style, lazy_pinyin

    full = lazy_pinyin(text, style=Style.NORMAL)
    initials = lazy_pinyin(text, style=Style.FIRST_LETTER)
    return SearchKeys(_compact("".join(full)), _compact("".join(initials)))


class ItemSearchKeys(NamedTuple):
    """The keys of an item's name and of each of its keywords, in the keywords' order."""

    name: SearchKeys
    keywords: tuple[SearchKeys, ...]


def item_search_keys(name: str, keywords: tuple[str, ...] | list[str]) -> ItemSearchKeys:
    return ItemSearchKeys(search_keys(name), tuple(search_keys(keyword) for keyword in keywords))


def keys_document(keys: ItemSearchKeys) -> dict[str, object]:
    """The JSON form of an item's keys, as the published catalog carries them."""
    return {
        "name": {"full": keys.name.full, "initials": keys.name.initials},
        "keywords": [{"full": k.full, "initials": k.initials} for k in keys.keywords],
    }


def normalize_query(q: str) -> str:
    """What the user typed, reduced the same way as the keys (spaces, punctuation, case gone)."""
    return _compact(q or "")


def rank(query: str, name: str, keys: SearchKeys | None = None) -> int:
    """How well ``query`` matches; lower is better, ``NO_MATCH`` when it does not match.

    0 name starts with it, 1 name contains it, 2 initials start with it, 3 full pinyin
    starts with it, 4 initials contain it, 5 full pinyin contains it. An empty query
    matches everything with 0, so a stable sort keeps the catalog order.
    """
    q = normalize_query(query)
    if not q:
        return 0
    compact_name = _compact(name or "")
    if compact_name.startswith(q):
        return 0
    if q in compact_name:
        return 1
    if keys is None:
        keys = search_keys(name)
    if keys.initials.startswith(q):
        return 2
    if keys.full.startswith(q):
        return 3
    if q in keys.initials:
        return 4
    if q in keys.full:
        return 5
    return NO_MATCH


def matches(query: str, name: str, keys: SearchKeys | None = None) -> bool:
    """True when the query is part of the name, of its full pinyin or of its initials."""
    return rank(query, name, keys) < NO_MATCH
