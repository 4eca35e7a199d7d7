"""The center's set-up file (TOML), applied with ``windowdesk-hall load-config FILE``::

    [[business]]
    prefix = "A"
    name = "社保医保"
    items = ["SB-001", "YB-002"]     # catalog item codes

    [[window]]
    code = "05"
    name = "综合窗口"
    businesses = ["A", "B"]          # in the order this window serves them

Loading the file again updates what it names and leaves the rest as it is.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from windowdesk.hall.errors import HallError
from windowdesk.hall.service import HallService
from windowdesk.i18n import N_


def load_config(service: HallService, path: Path) -> tuple[int, int]:
    try:
        with Path(path).open("rb") as handle:
            config = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise HallError(
            "bad_config",
            N_("The hall's set-up file {path} cannot be read: {reason}"),
            status=422,
            path=path,
            reason=error,
        ) from None
    businesses = config.get("business", [])
    windows = config.get("window", [])
    for entry in businesses:
        service.set_business(
            prefix=str(entry.get("prefix", "")),
            name=str(entry.get("name", "")),
            items=[str(i) for i in entry.get("items", [])],
        )
    for entry in windows:
        service.set_window(
            code=str(entry.get("code", "")),
            name=str(entry.get("name", "")),
            businesses=[str(b) for b in entry.get("businesses", [])],
        )
    return len(businesses), len(windows)
