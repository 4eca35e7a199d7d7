"""The kinds of pushed events are named in one place, domain/event_kinds.py's EventKind
(which sync/protocol.py names for the rest of the code): a kind spelled out anywhere else in
the package ("case.accepted" was written a dozen times) is a second spelling that can drift.
Migrations are history and keep their own words."""

from __future__ import annotations

import ast
from pathlib import Path

from windowdesk.sync.protocol import EVENT_KINDS, EVENT_REQUIRED_FIELDS, EventKind

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "windowdesk"
KINDS_MODULE = PACKAGE / "domain" / "event_kinds.py"
KINDS = {kind.value for kind in EventKind}


def _spelled_kinds(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string literal that is an event kind, or quotes one in SQL."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and (node.value in KINDS or any(f"'{kind}'" in node.value for kind in KINDS))
        ):
            found.append((node.lineno, node.value))
    return found


def test_no_event_kind_is_spelled_out_outside_the_protocol() -> None:
    spelled = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {text[:60]!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != KINDS_MODULE and "versions" not in path.parts
        for line, text in _spelled_kinds(path.read_text(encoding="utf-8"))
    ]
    assert spelled == [], "use EventKind (windowdesk.sync.protocol names it) instead of:\n" + "\n".join(spelled)


def test_the_scan_finds_a_kind_written_as_a_literal_or_quoted_in_sql() -> None:
    source = (
        'kind = "case.accepted"\nsql = "SELECT 1 FROM outbox WHERE kind = \'audit.entry\'"\nother = "case.decided"\n'
    )
    assert _spelled_kinds(source) == [(1, "case.accepted"), (2, "SELECT 1 FROM outbox WHERE kind = 'audit.entry'")]


def test_the_protocol_s_lists_are_the_enum() -> None:
    assert tuple(kind.value for kind in EventKind) == EVENT_KINDS
    assert set(EVENT_REQUIRED_FIELDS) <= KINDS
    # A member is its text: in JSON, in SQL parameters and in formatted messages alike.
    assert f"{EventKind.CASE_ACCEPTED}" == str(EventKind.CASE_ACCEPTED) == "case.accepted"
