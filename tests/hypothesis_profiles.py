"""Hypothesis' example counts: the full count in CI, a tenth of it in the fast loop.

The fast loop (``pytest -m "not slow"``, tests/conftest.py's ``is_fast_loop``) loads the
``fast-loop`` profile: 10 examples where hypothesis' default makes 100. Every other run
(``.ci/run``, a folder run alone) keeps hypothesis' default profile and so the full counts.
An explicit ``--hypothesis-profile`` always wins. A test that asks for more or fewer
examples than the default writes ``examples(n)``: n in the full run, scaled with the
loaded profile otherwise, so its own count shrinks in the fast loop as the default does.
"""

from __future__ import annotations

import math

from hypothesis import settings

FAST_LOOP_PROFILE = "fast-loop"
FULL_EXAMPLES = 100  # hypothesis' default max_examples: the counts below are relative to it
FAST_LOOP_EXAMPLES = 10

settings.register_profile(FAST_LOOP_PROFILE, max_examples=FAST_LOOP_EXAMPLES)


def examples(full: int) -> int:
    """``full`` examples under the default profile; the same share of the loaded profile's
    count otherwise (rounded up: a test always runs at least one)."""
    return max(1, math.ceil(full * settings.default.max_examples / FULL_EXAMPLES))
