"""The public forms' human check: one answer passes, once, in time, under this hub's key."""

from __future__ import annotations

import base64

from windowdesk.hub.settings import HubSettings
from windowdesk.hub.web import human_check

CANDIDATES = [str(n) for n in range(-9, 19)]


def _settings(tmp_path, name="hub") -> HubSettings:
    return HubSettings.resolve(data_dir=tmp_path / name)


def test_exactly_one_answer_passes_and_only_once(tmp_path):
    settings = _settings(tmp_path)
    challenge = human_check.new_challenge(settings)
    solved = [answer for answer in CANDIDATES if human_check.passes(settings, challenge.token, answer)]
    assert len(solved) == 1
    assert not human_check.passes(settings, challenge.token, solved[0])  # a replay is refused


def test_a_token_of_another_hub_or_past_its_time_is_refused(tmp_path):
    settings, other = _settings(tmp_path), _settings(tmp_path, "other")
    challenge = human_check.new_challenge(settings, now=1_000_000.0)
    late = 1_000_000.0 + human_check.TTL_S + 1
    assert not any(human_check.passes(settings, challenge.token, a, now=late) for a in CANDIDATES)
    fresh = human_check.new_challenge(settings)
    assert not any(human_check.passes(other, fresh.token, a) for a in CANDIDATES)
    for junk in (None, "", "x.y.z", "a.123", fresh.token + "0"):
        assert not human_check.passes(settings, junk, "3")


def test_the_image_holds_strokes_not_text(tmp_path):
    challenge = human_check.new_challenge(_settings(tmp_path))
    assert challenge.image.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(challenge.image.split(",", 1)[1]).decode()
    assert "<path" in svg and "<text" not in svg
    assert challenge.token.count(".") == 2
