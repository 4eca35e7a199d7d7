"""requests' adapter that checks the hub's certificate against the pinned one
(sync/hub_pin.py) as each TLS connection is made. Apart from hub_pin so that requests and
urllib3 are loaded only with the HTTP client (sync/client.py), when the window syncs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from windowdesk.sync.hub_pin import HubIdentityMismatch, HubPin

if TYPE_CHECKING:
    import ssl


class PinningAdapter(HTTPAdapter):
    """requests' adapter whose HTTPS connections tell ``pin`` the hub's certificate as
    soon as the handshake is done (the CA and host name checks have passed by then)."""

    def __init__(self, pin: HubPin) -> None:
        self._pin = pin
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - requests' own signature
        super().init_poolmanager(*args, **kwargs)
        pin = self._pin

        class PinnedConnection(HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                try:
                    tls = cast("ssl.SSLSocket", self.sock)  # after connect(): the TLS socket
                    pin.saw_certificate(tls.getpeercert(binary_form=True))
                except HubIdentityMismatch:
                    self.close()
                    raise

        class PinnedPool(HTTPSConnectionPool):
            ConnectionCls = PinnedConnection

        self.poolmanager.pool_classes_by_scheme = {"http": HTTPConnectionPool, "https": PinnedPool}
