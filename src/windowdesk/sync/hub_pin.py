"""Which hub this window belongs to, checked on every reply and every TLS connection.

Pinned at enrollment: the hub's lasting id (protocol.HEADER_HUB_ID, on every reply) and,
over HTTPS, the SHA-256 fingerprint of the hub's own (leaf) certificate. A CA vouches for
any server with a name it signed; the fingerprint is that one server. It is checked as
each TLS connection is made, before a byte of the request is sent, so a stranger's server
never receives the token or an event. The id alone (over a loopback or an allowed plain
HTTP link) tells a different hub from ours, which is what a careless re-enrollment or a
second test hub on the network looks like.

requests' adapter that checks the certificate is in sync/pinning.py, imported by the HTTP
client only: this module is read at every start (services/sync.py), a window syncing
nothing never loads requests (tests/integration/test_start_imports.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


class HubIdentityMismatch(Exception):
    """Raised while connecting (inside requests): the certificate is not the pinned one."""


@dataclass
class HubPin:
    """What this window expects (empty: nothing pinned yet) and what it last saw."""

    hub_id: str = ""
    certificate_sha256: str = ""
    seen_hub_id: str = field(default="", compare=False)
    seen_certificate_sha256: str = field(default="", compare=False)
    # Set once a reply or a connection was not the pinned hub's (it stays set).
    identity_refused: bool = field(default=False, compare=False)

    def saw_certificate(self, der: bytes | None) -> None:
        fingerprint = hashlib.sha256(der or b"").hexdigest() if der else ""
        self.seen_certificate_sha256 = fingerprint
        if self.certificate_sha256 and fingerprint != self.certificate_sha256:
            self.identity_refused = True
            raise HubIdentityMismatch("certificate")

    def saw_hub_id(self, hub_id: str) -> bool:
        """False when a hub id is pinned and this reply names another one. A reply that
        names none is no hub's (a proxy's error page, a cut connection): it is judged as
        such (unreachable, unreadable), not as another hub. The id tells hubs apart; it is
        no secret, so against a forger only the certificate's fingerprint counts."""
        if not hub_id:
            return True
        self.seen_hub_id = hub_id
        if self.hub_id and hub_id != self.hub_id:
            self.identity_refused = True
            return False
        return True
