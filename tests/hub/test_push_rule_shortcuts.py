"""The push rules' shortcuts for what windows send (hub/services/push_rules.py) answer
exactly as the full checks they stand in front of: a query code hash in the form windows
write is accepted at once, any other text goes to domain.query_codes' own check; the
protocol's words are storable without checking each event's again."""

from __future__ import annotations

import random

import pytest

from windowdesk.domain.query_codes import (
    hash_query_code,
    is_query_code_hash,
    is_query_code_hash_by_parts,
    verify_query_code,
)
from windowdesk.hub.services.push_rules import _STORABLE_WORDS
from windowdesk.hub.storage.database import storable_text

BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def test_every_hash_of_the_written_form_is_one_the_full_check_accepts() -> None:
    """The shortcut only ever says yes where is_query_code_hash does: any salt and digest
    characters (also with bits beyond the bytes' own), any cost it allows."""
    chooser = random.Random(29)
    for _ in range(3000):
        n = chooser.choice((1024, 2048, 4096, 8192, 16384))
        r = chooser.randint(1, 8)
        salt = "".join(chooser.choice(BASE64) for _ in range(22)) + "=="
        digest = "".join(chooser.choice(BASE64) for _ in range(43)) + "="
        written = f"scrypt${n}${r}$1${salt}${digest}"
        assert is_query_code_hash(written)
        assert is_query_code_hash_by_parts(written), written


def test_hashes_made_by_the_window_s_code_are_accepted() -> None:
    for n in (2**10, 2**12, 2**14):
        assert is_query_code_hash(hash_query_code("ACDE7KMN", n=n, r=1))
    assert is_query_code_hash(hash_query_code("ACDE7KMN"))


# One hash the window's code made (hash_query_code("ACDE7KMN", n=2**10, r=1)), written out:
# its salt is random, and every xdist worker must collect the same parameters.
REAL = "scrypt$1024$1$1$9m9xCRXMeiWzLcit3jeulQ==$Qwn1F/CSSZu2EvmSudvvw9OncnoU1v0Gdw4f0+3MeQY="
SCHEME, N, R, P, SALT, DIGEST = REAL.split("$")


def test_the_written_out_hash_is_the_window_s_hash_of_its_code() -> None:
    assert verify_query_code("ACDE7KMN", REAL) and is_query_code_hash(REAL)


@pytest.mark.parametrize(
    "value",
    [
        None,
        42,
        "",
        REAL + "\n",
        REAL.replace("$1024$", "$32768$"),
        REAL.replace("$1024$", "$512$"),
        REAL.replace("$1024$", "$1000$"),
        REAL.replace("$1024$", "$01024$"),
        REAL.replace("$1024$", "$+1024$"),
        REAL.replace("$1024$", "$1_024$"),
        f"{SCHEME}${N}$9${P}${SALT}${DIGEST}",
        f"{SCHEME}${N}$0${P}${SALT}${DIGEST}",
        f"{SCHEME}${N}$08${P}${SALT}${DIGEST}",
        f"{SCHEME}${N}${R}$2${SALT}${DIGEST}",
        f"{SCHEME}${N}${R}$01${SALT}${DIGEST}",
        f"{SCHEME}${N}${R}$ 1${SALT}${DIGEST}",
        f"{SCHEME}${N}${R}${P}${SALT[:12]}${DIGEST}",  # 9 bytes of salt: enough
        f"{SCHEME}${N}${R}${P}${SALT[:8]}${DIGEST}",  # 6 bytes: too few
        f"{SCHEME}${N}${R}${P}${SALT.rstrip('=')}${DIGEST}",  # no padding
        f"{SCHEME}${N}${R}${P}${SALT}${DIGEST[:24]}",
        f"{SCHEME}${N}${R}${P}${SALT}${DIGEST}AAAA",  # a longer digest: accepted
        f"{SCHEME}${N}${R}${P}${SALT}${DIGEST.replace('=', '')}",
        f"{SCHEME}${N}${R}${P}${SALT.replace('A', '-')}${DIGEST}",
        f"{SCHEME}${N}${R}${P}${SALT}${DIGEST}$",
        f"bcrypt${N}${R}${P}${SALT}${DIGEST}",
        f"{SCHEME}${N}${R}${P}${SALT}${DIGEST}" + "A" * 200,
        f"{SCHEME}${N}${R}${P}${SALT}${DIGEST}".replace(SALT, "ＡＢＣＤ" * 6),
    ],
)
def test_any_other_text_gets_the_full_check_s_answer(value: object) -> None:
    assert is_query_code_hash(value) == is_query_code_hash_by_parts(value)


def test_the_words_taken_as_storable_are() -> None:
    assert _STORABLE_WORDS
    assert all(storable_text(word) and word.isascii() for word in _STORABLE_WORDS)
