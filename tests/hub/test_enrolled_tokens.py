"""The push gate's knowledge of enrolled workstations (hub/api/enrolled_tokens.py),
against the hub's real database."""

from __future__ import annotations

import asyncio

from windowdesk.hub.api.enrolled_tokens import REFRESH_SECONDS, EnrolledTokens
from windowdesk.hub.security import sha256_hex
from windowdesk.hub.services import enrollment
from windowdesk.hub.storage.database import HubDatabase

from .conftest import Hub, utc_now


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_enrolled_tokens_are_known_revoked_and_made_up_ones_are_not(hub: Hub, demo_catalog: None) -> None:
    first, second = hub.enroll("CH", "01"), hub.enroll("CH", "02")
    clock = Clock()
    tokens = EnrolledTokens(hub.db, clock=clock)
    reads = []
    read = tokens._read

    def counted_read() -> None:
        reads.append(clock.now)
        read()

    tokens._read = counted_read

    async def ask(*token_hashes: str) -> list[bool]:
        return list(await asyncio.gather(*(tokens.knows(h) for h in token_hashes)))

    # Asked together at the first push: one read of the database serves them all.
    assert asyncio.run(ask(sha256_hex(first.token), sha256_hex(second.token), sha256_hex("made up"))) == [
        True,
        True,
        False,
    ]
    assert len(reads) == 1

    with hub.db.write() as session:
        enrollment.revoke_workstation(session, workstation_id=second.id, now=utc_now())
    third = hub.enroll("CH", "03")
    # Within REFRESH_SECONDS nothing is read again: a made-up token costs no read.
    clock.now += REFRESH_SECONDS / 2
    assert asyncio.run(ask(sha256_hex(third.token), sha256_hex("made up again"))) == [False, False]
    assert len(reads) == 1
    # Later, an unknown token reads them again: the new one is known, the revoked one not.
    clock.now += REFRESH_SECONDS
    assert asyncio.run(ask(sha256_hex(third.token))) == [True]
    assert asyncio.run(ask(sha256_hex(first.token), sha256_hex(second.token))) == [True, False]
    assert len(reads) == 2


def test_a_database_that_cannot_be_read_lets_the_push_on_to_the_route(tmp_path) -> None:
    """The route then answers as for any request (503 "try again in a moment") instead of
    the gate failing with a bare 500."""
    db = HubDatabase(f"sqlite:///{tmp_path / 'no such folder' / 'hub.sqlite3'}")
    try:
        assert asyncio.run(EnrolledTokens(db).knows(sha256_hex("any"))) is False
    finally:
        db.dispose()
