"""Where a case's application came from (来源, the provincial record's ``source``). The
database holds the values; the hub's model reads them back as these members and refuses
to write any other value (hub/storage/models.py, TextEnum); the window's cases.source
likewise (storage/column_types.py)."""

from __future__ import annotations

from enum import StrEnum


class CaseSource(StrEnum):
    WINDOW = "window"  # applied for at the window
    ONLINE = "online"  # 网上申报: an online application, accepted at the visit
