"""What makes a password guessable: the shipped lists of the most common passwords and
of the words people build them from, the login and the center code, one character
repeated, and sequences or keyboard walks (abcd1234, 1qaz2wsx, zxcvbnm123).

A password is refused when it is on the list, or when it is made *only* of predictable
pieces: listed words, runs of digits, a sequence or keyboard walk, a character repeated,
the login or the center code. ``woaini1314``, ``wang19880512``, ``qwer1234`` and
``a1b2c3d4`` are refused; ``Chuangkou2026`` or ``Start2026x`` (an unlisted word, or one
stray letter) are not. Every check is case-insensitive.
"""

from __future__ import annotations

import functools
import itertools
from enum import Enum
from importlib import resources

# Rows and columns of the keyboard (and the alphabet, the digits): three or more
# neighbours along one of these lines, either way, are a walk anyone tries.
_LINES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "`1234567890-=",
    "qwertyuiop[]",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
    "qaz",
    "wsx",
    "edc",
    "rfv",
    "tgb",
    "yhn",
    "ujm",
    "!qaz@wsx#edc$rfv",
)
_NEIGHBOURS = frozenset(pair for line in _LINES for pair in itertools.pairwise(line)) | frozenset(
    (b, a) for line in _LINES for a, b in itertools.pairwise(line)
)
_MIN_WALK = 3


class Weakness(str, Enum):
    COMMON = "common"
    LOGIN = "login"
    CENTER = "center"
    PREDICTABLE = "predictable"


@functools.cache
def _listed(name: str) -> frozenset[str]:
    text = resources.files("windowdesk.domain").joinpath(name).read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def common_passwords() -> frozenset[str]:
    return _listed("common_passwords.txt")


def password_words() -> frozenset[str]:
    return _listed("password_words.txt")


def _contains_name(password: str, name: str) -> bool:
    """A name of three or more characters anywhere; a shorter one (a center code such as
    CH, a login such as li) only as a whole run of letters or digits, so that CH does
    not refuse every password with "ch" inside a word."""
    name = name.strip().lower()
    if not name:
        return False
    if len(name) >= 3:
        return name in password
    return name in _runs(password)


def _runs(text: str) -> list[str]:
    """``text`` cut where letters turn into digits or other characters and back."""
    runs: list[str] = []
    kind = None
    for char in text:
        this = "a" if char.isalpha() else "0" if char.isdigit() else "."
        if this == kind and this != ".":
            runs[-1] += char
        else:
            runs.append(char)
        kind = this
    return runs


def _is_walk(piece: str) -> bool:
    """Every neighbour along one line, in one direction (abcd, 4321, qwer, 1qaz2wsx)."""
    if len(piece) < _MIN_WALK:
        return False
    return all((a, b) in _NEIGHBOURS for a, b in itertools.pairwise(piece))


def _is_repeat(piece: str) -> bool:
    return len(piece) >= 2 and len(set(piece)) == 1


def _interleaved(password: str) -> bool:
    """Two sequences woven together: a1b2c3d4, 1a2b3c4d."""
    if len(password) < 6:
        return False
    evens, odds = password[0::2], password[1::2]
    return all(_is_walk(half) or _is_repeat(half) for half in (evens, odds))


def _repeated_unit(password: str) -> bool:
    """A short piece said again and again: abcabcabc, 12121212, a1a1a1a1."""
    for size in range(1, len(password) // 2 + 1):
        if len(password) % size == 0 and password[:size] * (len(password) // size) == password:
            return True
    return False


_STRAYS = 1  # characters outside any predictable piece that still leave a password predictable


def _predictable_pieces(password: str, names: tuple[str, ...]) -> bool:
    """Whether the whole password splits into predictable pieces (see the module), with at
    most one stray character (Kaaaaaaa1, Wang2026x: a capital or a letter tacked on)."""
    words = password_words() | {name for name in names if name}
    length = len(password)
    # fewest[i]: the fewest stray characters in a split of password[:i] (None: none found).
    fewest: list[int | None] = [None] * (length + 1)
    fewest[0] = 0
    for start in range(length):
        strays = fewest[start]
        if strays is None:
            continue
        for end in range(start + 1, length + 1):
            piece = password[start:end]
            predictable = (
                piece in words
                or piece.isdigit()
                or _is_walk(piece)
                or _is_repeat(piece)
                or (not piece.isalnum() and len(piece) == 1)
            )
            cost = strays if predictable else strays + 1 if end == start + 1 else None
            best = fewest[end]
            if cost is not None and cost <= _STRAYS and (best is None or cost < best):
                fewest[end] = cost
    return fewest[length] is not None


def weaknesses(password: str, *, login: str = "", center: str = "") -> list[Weakness]:
    """Why ``password`` is guessable, in the order the message names them; empty: it is not."""
    lowered = password.lower()
    found: list[Weakness] = []
    if lowered in common_passwords():
        found.append(Weakness.COMMON)
    if _contains_name(lowered, login):
        found.append(Weakness.LOGIN)
    if _contains_name(lowered, center):
        found.append(Weakness.CENTER)
    if (
        Weakness.COMMON not in found
        and lowered
        and (
            _repeated_unit(lowered)
            or _interleaved(lowered)
            or _predictable_pieces(lowered, (login.strip().lower(), center.strip().lower()))
        )
    ):
        found.append(Weakness.PREDICTABLE)
    return found
