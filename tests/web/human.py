"""Answering the hub's human check in a test: the test holds the hub's own web key (its
data folder), so it finds the one answer the challenge's token was signed with, as the
hub will check it; the image itself is for people."""

from __future__ import annotations

import hmac
from pathlib import Path

from windowdesk.hub.settings import HubSettings
from windowdesk.hub.web import human_check


def answer_for(data_dir: Path, token: str) -> str:
    settings = HubSettings.resolve(data_dir=data_dir)
    nonce, _, rest = token.partition(".")
    expires, _, mac = rest.partition(".")
    for candidate in range(-9, 19):
        if hmac.compare_digest(mac, human_check._mac(settings, nonce, int(expires), str(candidate))):
            return str(candidate)
    raise AssertionError("no sum of two digits answers this challenge")
