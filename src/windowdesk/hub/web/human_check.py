"""A proof of humanity for the public forms, made by the hub itself (no foreign service).

A small sum ("7 + 5 = ?") drawn as jittered strokes in an SVG image: there is no text in
the image for a script to read, and the page carries no answer. The form sends back a
token that binds the answer to an expiry under the hub's web key (:mod:`.secret`), so
any worker process can check it without shared state.

Limits, on purpose: a token can be used again until it expires (``TTL_S``; each worker
also remembers the tokens it has accepted, so one process refuses a replay). The public
forms are rate-limited besides; the check only has to stop a script that posts blindly.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from windowdesk.hub.settings import HubSettings
from windowdesk.hub.web.secret import key_for

TTL_S = 600
ANSWER_FIELD = "human_answer"
TOKEN_FIELD = "human_token"
_REMEMBERED = 20_000

# Seven-segment strokes per digit, on a 10×20 cell: (x1, y1, x2, y2).
_SEGMENTS = {
    "a": (1, 1, 9, 1),
    "b": (9, 1, 9, 10),
    "c": (9, 10, 9, 19),
    "d": (1, 19, 9, 19),
    "e": (1, 10, 1, 19),
    "f": (1, 1, 1, 10),
    "g": (1, 10, 9, 10),
}
_DIGITS = {
    "0": "abcdef",
    "1": "bc",
    "2": "abged",
    "3": "abgcd",
    "4": "fgbc",
    "5": "afgcd",
    "6": "afgedc",
    "7": "abc",
    "8": "abcdefg",
    "9": "abcdfg",
}
_SIGNS = {
    "+": [(2, 10, 8, 10), (5, 7, 5, 13)],
    "-": [(2, 10, 8, 10)],
    "=": [(2, 8, 8, 8), (2, 12, 8, 12)],
    "?": [(2, 3, 8, 3), (8, 3, 8, 9), (8, 9, 5, 11), (5, 11, 5, 14), (5, 17, 5, 18)],
}


@dataclass(frozen=True)
class Challenge:
    token: str
    image: str  # a data: URI of the SVG


def _mac(settings: HubSettings, nonce: str, expires: int, answer: str) -> str:
    message = f"human:{nonce}:{expires}:{answer.strip()}".encode()
    return hmac.new(key_for(settings), message, hashlib.sha256).hexdigest()[:32]


def new_challenge(settings: HubSettings, *, now: float | None = None) -> Challenge:
    draw = secrets.SystemRandom()
    left, right = draw.randint(2, 9), draw.randint(1, 9)
    sign = draw.choice("+-")
    if sign == "-" and right > left:
        left, right = right, left
    answer = str(left + right if sign == "+" else left - right)
    expires = int((now or time.time()) + TTL_S)
    nonce = secrets.token_urlsafe(9)
    token = f"{nonce}.{expires}.{_mac(settings, nonce, expires, answer)}"
    # The sum is the operating system's randomness; the strokes' 150-odd small shifts
    # only have to differ from one picture to the next: a generator seeded from it (one
    # system call instead of one per shift; the public pages draw a picture per view).
    return Challenge(token=token, image=_svg_uri(f"{left}{sign}{right}=?", random.Random(draw.getrandbits(128))))


def _svg_uri(text: str, draw: random.Random) -> str:
    strokes = []
    for position, character in enumerate(text):
        lines = _SIGNS.get(character) or [_SEGMENTS[s] for s in _DIGITS[character]]
        left = 8 + position * 22 + draw.uniform(-2, 2)
        top = 8 + draw.uniform(-3, 3)
        slant = draw.uniform(-0.15, 0.15)
        for x1, y1, x2, y2 in lines:
            points = [
                (left + x + slant * (20 - y) + draw.uniform(-0.8, 0.8), top + y * 1.3 + draw.uniform(-0.8, 0.8))
                for x, y in ((x1, y1), (x2, y2))
            ]
            strokes.append("M{:.1f} {:.1f}L{:.1f} {:.1f}".format(*points[0], *points[1]))
    width = 16 + 22 * len(text)
    noise = "".join(
        f"M{draw.uniform(0, width):.1f} {draw.uniform(0, 44):.1f}L{draw.uniform(0, width):.1f} {draw.uniform(0, 44):.1f}"
        for _ in range(5)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="44" viewBox="0 0 {width} 44">'
        f'<rect width="100%" height="100%" fill="#f4f6f8"/>'
        f'<path d="{noise}" stroke="#9aa5ae" stroke-width="1" fill="none"/>'
        f'<path d="{"".join(strokes)}" stroke="#1d2329" stroke-width="2.6" stroke-linecap="round" fill="none"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


class _Accepted:
    """The tokens this process has accepted and that have not expired yet."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, int] = OrderedDict()

    def first_use(self, nonce: str, expires: int, now: float) -> bool:
        with self._lock:
            while self._seen and (next(iter(self._seen.values())) < now or len(self._seen) > _REMEMBERED):
                self._seen.popitem(last=False)
            if nonce in self._seen:
                return False
            self._seen[nonce] = expires
            return True


_accepted = _Accepted()


def passes(settings: HubSettings, token: object, answer: object, *, now: float | None = None) -> bool:
    """Whether ``answer`` solves the challenge of ``token``, in time, for the first time."""
    if not isinstance(token, str) or not isinstance(answer, str) or len(token) > 100 or len(answer) > 10:
        return False
    nonce, _, rest = token.partition(".")
    expires_text, _, mac = rest.partition(".")
    if not expires_text.isdigit():
        return False
    expires, moment = int(expires_text), now or time.time()
    if expires < moment or not hmac.compare_digest(mac, _mac(settings, nonce, expires, answer)):
        return False
    return _accepted.first_use(nonce, expires, moment)
