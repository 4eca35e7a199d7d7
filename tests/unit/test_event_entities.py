"""The records pushed events are about are named once, sync/protocol.py's EventEntity: the
window's outbox writes them with it (every ``enqueue``), and the hub's rules read them
with it (the words it need not check for storability, the entities its rules require)."""

from __future__ import annotations

import ast
from pathlib import Path

from windowdesk.hub.services import push_rules
from windowdesk.sync.protocol import EVENT_ENTITIES, EVENT_KINDS, EventEntity

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "windowdesk"


def _enqueued_entities(source: str) -> list[tuple[int, str]]:
    """(line, source text) of the ``entity`` argument of each ``enqueue(...)`` call."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name != "enqueue":
            continue
        found += [(kw.value.lineno, ast.unparse(kw.value)) for kw in node.keywords if kw.arg == "entity"]
    return found


def test_every_event_the_window_enqueues_names_its_entity_through_the_protocol() -> None:
    calls = [
        (f"{path.relative_to(PACKAGE.parent)}:{line}", text)
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, text in _enqueued_entities(path.read_text(encoding="utf-8"))
    ]
    assert len(calls) >= 20  # the scan found the window's events
    spelled = [f"{where}: {text}" for where, text in calls if text.startswith(("'", '"'))]
    assert spelled == [], "use EventEntity (windowdesk.sync.protocol) instead of:\n" + "\n".join(spelled)


def test_the_scan_finds_an_entity_written_as_a_literal() -> None:
    source = 'enqueue(s, entity="case", kind=k)\noutbox.enqueue(s, entity=EventEntity.CASE)\nrecord(entity="x")\n'
    assert _enqueued_entities(source) == [(1, "'case'"), (2, "EventEntity.CASE")]


def test_the_entities_are_plain_words_the_hub_need_not_check_for_storability() -> None:
    assert tuple(entity.value for entity in EventEntity) == EVENT_ENTITIES
    assert all(entity.isascii() and entity.replace("_", "").isalpha() for entity in EVENT_ENTITIES)
    assert frozenset(EVENT_KINDS) | frozenset(EVENT_ENTITIES) == push_rules._STORABLE_WORDS
    # A member is its text: in JSON, in SQL parameters and in formatted messages alike.
    assert f"{EventEntity.QUEUE_DAY}" == str(EventEntity.QUEUE_DAY) == "queue_day"
