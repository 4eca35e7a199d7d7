"""A hub step's id is the version-5 UUID of its change's seq, made without the UUID class:
the same text as ``uuid.uuid5`` makes, which windows that applied a change before keep."""

from __future__ import annotations

import uuid

from windowdesk.services.sync_apply import _HUB_EVENTS, _hub_step_id
from windowdesk.sync import protocol


def test_hub_step_ids_are_the_uuid5_of_the_change_seq() -> None:
    for seq in [*range(0, 20_000), 2**31, 2**53 + 1, 2**63 - 1]:
        change = protocol.Change(seq, protocol.CHANGE_DECISION, "case", "x", {})
        made = _hub_step_id(change)
        assert made == str(uuid.uuid5(_HUB_EVENTS, f"change:{seq}")), seq
        assert uuid.UUID(made).version == 5 and uuid.UUID(made).variant == uuid.RFC_4122
