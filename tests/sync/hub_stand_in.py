"""What a sync runner asks of a hub besides pushing and pulling, for the tests' own
in-process stand-ins for it: a hub that never names a generation (it was never restored,
as far as a window can tell)."""

from __future__ import annotations

from windowdesk.sync.hub_pin import HubPin


class HubStandIn:
    hub_generation: str | None = None
    base_url = "http://127.0.0.1:9"  # on this computer: no plain-HTTP question
    pin = HubPin()  # names no hub id, as a hub older than the pinning would not
    protocol = 1  # the push bodies it is given are one JSON document each (sync/protocol.py)

    def health(self) -> bool:
        return True

    def waiting_applications(self) -> list[dict]:
        """网上预审: no online application waits for this center."""
        return []
