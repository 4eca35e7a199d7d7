"""A hub step's id is made from its change's seq: the same id whenever the change is
applied (a page applied twice adds nothing), ids that sort as the seqs do (a page's
steps are neighbours in the primary key's B-tree), and never the id of another step (a
window's own, version 7; a hub step recorded before, version 5)."""

from __future__ import annotations

import uuid

from windowdesk.domain.uuid7 import new_uuid
from windowdesk.services.sync_apply import _HUB_EVENTS, _hub_step_id, _legacy_hub_step_id
from windowdesk.sync import protocol

# Around every place where a digit carries into the next, and the ends of the range.
SEQS = sorted(
    {
        *range(1, 5_000),
        *(base + delta for shift in range(4, 64, 4) for base in (1 << shift,) for delta in (-2, -1, 0, 1)),
        2**63 - 1,
        2**64 - 1,
    }
)


def _change(seq: int) -> protocol.Change:
    return protocol.Change(seq, protocol.CHANGE_DECISION, "case", "x", {})


def test_hub_step_ids_sort_as_their_seqs_and_are_version_8_uuids() -> None:
    ids = [_hub_step_id(_change(seq)) for seq in SEQS]
    assert sorted(ids) == ids  # as text, as SQLite's BINARY collation compares them
    assert len(set(ids)) == len(ids)
    for seq, made in zip(SEQS, ids, strict=True):
        parsed = uuid.UUID(made)
        assert str(parsed) == made and len(made) == 36, seq
        assert parsed.version == 8 and parsed.variant == uuid.RFC_4122, seq
    assert _hub_step_id(_change(1)) == "00000000-0000-8000-8100-000000000000"
    assert _hub_step_id(_change(2**64 - 1)) == "ffffffff-ffff-8fff-8f00-000000000000"


def test_hub_step_ids_never_meet_a_windows_steps_or_those_recorded_before() -> None:
    windows = [uuid.UUID(new_uuid()) for _ in range(1_000)]
    assert {u.version for u in windows} == {7}
    for seq in (1, 2, 1_000, 2**40):
        made = uuid.UUID(_hub_step_id(_change(seq)))
        assert made not in windows
        assert made.version != uuid.UUID(_legacy_hub_step_id(seq)).version


def test_the_former_hub_step_ids_are_the_uuid5_of_the_change_seq() -> None:
    """Kept for a seq beyond 64 bits (a hub's seq is a bigint: never), made as before."""
    for seq in [*range(0, 2_000), 2**31, 2**53 + 1, 2**63 - 1]:
        assert _legacy_hub_step_id(seq) == str(uuid.uuid5(_HUB_EVENTS, f"change:{seq}")), seq
    for seq in (2**64, 2**70 + 3):
        assert _hub_step_id(_change(seq)) == str(uuid.uuid5(_HUB_EVENTS, f"change:{seq}"))
