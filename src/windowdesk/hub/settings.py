"""The hub's settings, resolved once at start-up and passed down (nothing global).

Order for each: command-line option, then environment variable, then default.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.ratelimit import RateLimit
from windowdesk.i18n import N_
from windowdesk.sync.protocol import PUSH_IN_FLIGHT, PUSH_ORDER_WAIT

ENV_DATA_DIR = "WINDOWDESK_HUB_DATA_DIR"
ENV_DATABASE_URL = "WINDOWDESK_HUB_DATABASE_URL"
ENV_MIN_CLIENT_VERSION = "WINDOWDESK_HUB_MIN_CLIENT_VERSION"
ENV_ENROLL_LIMIT = "WINDOWDESK_HUB_ENROLL_LIMIT"
ENV_BAD_TOKEN_LIMIT = "WINDOWDESK_HUB_BAD_TOKEN_LIMIT"
ENV_PUSH_IN_FLIGHT = "WINDOWDESK_HUB_PUSH_IN_FLIGHT"
ENV_PUSH_ROOM = "WINDOWDESK_HUB_PUSH_ROOM"
ENV_TRUSTED_PROXIES = "WINDOWDESK_HUB_TRUSTED_PROXIES"
ENV_LOG_TO = "WINDOWDESK_HUB_LOG_TO"
# Bytes the page store leaves free on its disk (hub/storage/page_store.py): a chunk that would
# leave less is refused (503 hub_disk_full), so pages never take the database's room.
ENV_PAGES_MIN_FREE = "WINDOWDESK_HUB_PAGES_MIN_FREE"
DEFAULT_PAGES_MIN_FREE = 256 * 1024 * 1024
# Where the hub logs: "stderr" (systemd's journal keeps it; the default) or "file", a
# rotating file in the data folder (logs/windowdesk-hub.log).
LOG_TO = ("stderr", "file")
DEFAULT_DATA_DIR = Path("hub-data")
DEFAULT_MIN_CLIENT_VERSION = "0.1.0"
SQLITE_FILE_NAME = "hub.sqlite3"
# Refused attempts per enrollment code and per token (api/limits.py): never per address,
# so the windows behind one NAT address are never slowed down by each other.
DEFAULT_ENROLL_LIMIT = RateLimit(10, 60)
DEFAULT_BAD_TOKEN_LIMIT = RateLimit(30, 60)
DEFAULT_PUSH_ROOM = 0.3
MAX_PUSH_ROOM = 60.0

_VERSION = re.compile(r"^([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?")


def parse_version(text: str) -> tuple[int, int, int] | None:
    """ "0.2.1", "1.0", "0.3.0.dev1" -> (major, minor, patch); None when it is not a version.

    Pre-release suffixes count as the release itself: a hub administrator sets a minimum
    to keep old clients out, not to tell development builds apart.
    """
    match = _VERSION.match(text.strip())
    if match is None:
        return None
    return tuple(int(part or 0) for part in match.groups())  # type: ignore[return-value]


def normalise_database_url(url: str) -> str:
    """Accept the usual spellings, hand SQLAlchemy the driver we ship (psycopg 3)."""
    url = url.strip()
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith("postgresql+psycopg://") or url.startswith("sqlite:///"):
        return url
    raise InvalidInput(
        Text(
            N_("The database URL must start with postgresql+psycopg:// or sqlite:/// (got {scheme!r})."),
            scheme=url.split(":", 1)[0],
        )
    )


@dataclass(frozen=True)
class HubSettings:
    data_dir: Path
    database_url: str
    min_client_version: str = DEFAULT_MIN_CLIENT_VERSION
    enroll_limit: RateLimit = DEFAULT_ENROLL_LIMIT
    bad_token_limit: RateLimit = DEFAULT_BAD_TOKEN_LIMIT
    # How long a pushed batch waits for the batch before it (its "after" event).
    push_order_wait: float = PUSH_ORDER_WAIT
    # Batches a window may keep on the wire at once (told in every push reply). One
    # process gains nothing from a second: its two threads take turns at the interpreter
    # and cost about 10% more CPU (bench/README.md, seventh session). Several processes,
    # or a database on another machine, apply one while the next is read.
    push_in_flight: int = 1
    # Seconds of push work the hub takes in at once, so about the longest a push waits
    # inside it; the pushes beyond are told their turn (push_turns). Each of `serve
    # --workers N` processes takes a share of 1/N. 0: no turns, every push is taken in at
    # once (and waits behind all the others).
    push_room: float = DEFAULT_PUSH_ROOM
    # The reverse proxies (addresses or networks) whose X-Forwarded-For and
    # X-Forwarded-Proto the hub believes; none by default, so a header any client can
    # write names nobody.
    trusted_proxies: tuple[str, ...] = ()
    log_to: str = "stderr"
    pages_min_free: int = DEFAULT_PAGES_MIN_FREE
    # The report's figures of pushed cases worked out in the background while no push is
    # applied (figure_catchup.Catchup); off, only their readers work them out, before they
    # read (the tests' hubs, whose statements are counted).
    figures_catchup: bool = True

    @property
    def is_postgresql(self) -> bool:
        return self.database_url.startswith("postgresql")

    @property
    def min_client_version_tuple(self) -> tuple[int, int, int]:
        parsed = parse_version(self.min_client_version)
        if parsed is None:
            raise InvalidInput(
                Text(
                    N_("The minimum client version {version!r} is not a version number."),
                    version=self.min_client_version,
                )
            )
        return parsed

    @classmethod
    def resolve(
        cls,
        *,
        data_dir: str | Path | None = None,
        database_url: str | None = None,
        min_client_version: str | None = None,
        enroll_limit: str | None = None,
        bad_token_limit: str | None = None,
        push_in_flight: int | None = None,
        push_room: float | None = None,
        trusted_proxies: Sequence[str] | None = None,
        serving_processes: int = 1,
        log_to: str | None = None,
        pages_min_free: int | None = None,
    ) -> HubSettings:
        folder = Path(data_dir or os.environ.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR).expanduser().resolve()
        url = database_url or os.environ.get(ENV_DATABASE_URL)
        url = normalise_database_url(url) if url else f"sqlite:///{folder / SQLITE_FILE_NAME}"
        minimum = min_client_version or os.environ.get(ENV_MIN_CLIENT_VERSION) or DEFAULT_MIN_CLIENT_VERSION
        enroll = enroll_limit or os.environ.get(ENV_ENROLL_LIMIT)
        bad_token = bad_token_limit or os.environ.get(ENV_BAD_TOKEN_LIMIT)
        in_flight = push_in_flight or os.environ.get(ENV_PUSH_IN_FLIGHT)
        room = push_room if push_room is not None else os.environ.get(ENV_PUSH_ROOM)
        proxies = trusted_proxies or (os.environ.get(ENV_TRUSTED_PROXIES) or "").split(",")
        logs = log_to or os.environ.get(ENV_LOG_TO) or "stderr"
        if logs not in LOG_TO:
            raise InvalidInput(Text(N_("The hub logs to stderr or to a file, not to {value!r}."), value=logs))
        settings = cls(
            data_dir=folder,
            database_url=url,
            min_client_version=minimum,
            enroll_limit=RateLimit.parse(enroll) if enroll else DEFAULT_ENROLL_LIMIT,
            bad_token_limit=RateLimit.parse(bad_token) if bad_token else DEFAULT_BAD_TOKEN_LIMIT,
            push_in_flight=_in_flight(in_flight) if in_flight else (PUSH_IN_FLIGHT if serving_processes > 1 else 1),
            push_room=_push_room(room) if room not in (None, "") else DEFAULT_PUSH_ROOM,
            trusted_proxies=_proxies(proxies),
            log_to=logs,
            pages_min_free=_pages_min_free(
                pages_min_free if pages_min_free is not None else os.environ.get(ENV_PAGES_MIN_FREE)
            ),
        )
        settings.min_client_version_tuple  # noqa: B018 - evaluated to refuse a bad minimum at start-up, not per request
        return settings


def _in_flight(value: int | str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = 0
    if not 1 <= count <= PUSH_IN_FLIGHT:
        raise InvalidInput(
            Text(
                N_("Batches in flight must be a whole number from 1 to {most} (got {value!r})."),
                most=PUSH_IN_FLIGHT,
                value=str(value),
            )
        )
    return count


def _pages_min_free(value: int | str | None) -> int:
    if value in (None, ""):
        return DEFAULT_PAGES_MIN_FREE
    try:
        room = int(value)
    except ValueError:
        room = -1
    if room < 0:
        raise InvalidInput(
            Text(N_("The room kept free for pages must be a whole number of bytes (got {value!r})."), value=str(value))
        )
    return room


def _push_room(value: float | str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= MAX_PUSH_ROOM:  # NaN too
        raise InvalidInput(
            Text(
                N_("The push room must be a number of seconds from 0 (no turns) to {most} (got {value!r})."),
                most=int(MAX_PUSH_ROOM),
                value=str(value),
            )
        )
    return seconds


def _proxies(values: Sequence[str]) -> tuple[str, ...]:
    """Addresses or networks ("10.0.0.5", "10.0.0.0/24"), each checked at start-up."""
    found = []
    for value in (v.strip() for v in values):
        if not value:
            continue
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise InvalidInput(
                Text(
                    N_("{value!r} is not an address or network of a proxy (like 10.0.0.5 or 10.0.0.0/24)."), value=value
                )
            ) from None
        found.append(value)
    return tuple(found)
