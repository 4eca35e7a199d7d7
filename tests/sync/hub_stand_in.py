"""What a sync runner asks of a hub besides pushing and pulling, for the tests' own
in-process stand-ins for it: a hub that never names a generation (it was never restored,
as far as a window can tell)."""

from __future__ import annotations


class HubStandIn:
    hub_generation: str | None = None

    def health(self) -> bool:
        return True
