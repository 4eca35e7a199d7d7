"""The hall store's tables. Versioned by ``PRAGMA user_version``: the hall's store is
small and local to one center, so each version is one script applied in one transaction."""

from __future__ import annotations

SCHEMA_VERSION = 2

SCHEMA_V1 = """
CREATE TABLE businesses (
    prefix TEXT PRIMARY KEY,          -- the ticket letter: A, B, ...
    name TEXT NOT NULL,
    items TEXT NOT NULL DEFAULT '[]'  -- JSON list of catalog item codes
);
CREATE TABLE windows (
    code TEXT PRIMARY KEY,            -- '05'
    name TEXT NOT NULL DEFAULT '',
    businesses TEXT NOT NULL DEFAULT '[]',  -- JSON list of prefixes, in the order served
    paused INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,      -- sha256 of the token: the file never holds a usable one
    role TEXT NOT NULL CHECK (role IN ('window', 'kiosk', 'display')),
    window_code TEXT,
    label TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
-- The last number given per business per day, bumped in the ticket's own transaction:
-- a crash can neither skip nor reuse a number.
CREATE TABLE counters (
    day TEXT NOT NULL,
    prefix TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (day, prefix)
);
CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    day TEXT NOT NULL,
    number TEXT NOT NULL,
    business TEXT NOT NULL,
    first_business TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    window_code TEXT,                 -- the window calling or serving it
    target_window TEXT,               -- set by a transfer to one window
    resident TEXT,                    -- JSON {name, id_number} when the kiosk read a card
    case_id TEXT,
    issued_at TEXT NOT NULL,
    queued_at TEXT NOT NULL,          -- place in line: issue time, or requeue time after 过号
    called_at TEXT,                   -- first call
    serving_at TEXT,
    finished_at TEXT,
    calls INTEGER NOT NULL DEFAULT 0,
    UNIQUE (day, number)
);
CREATE INDEX tickets_line ON tickets (state, business, priority, queued_at);
CREATE INDEX tickets_window ON tickets (window_code, state);
-- Everything that happened, in order: the display's feed and the queue's history.
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    business TEXT NOT NULL,
    window_code TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_ticket ON events (ticket_id);
"""

# Version 2 (issue 27): the center's bookings of the day as the hub last gave them, and
# the ticket a booking was checked in with.
SCHEMA_V2 = """
CREATE TABLE bookings (
    code TEXT PRIMARY KEY,            -- the resident's booking code
    day TEXT NOT NULL,                -- the hall's local day of the visit
    half_day TEXT NOT NULL,           -- am / pm
    item TEXT NOT NULL,               -- the catalog item booked
    name TEXT NOT NULL DEFAULT '',    -- masked by the hub (王*国)
    status TEXT NOT NULL,             -- booked / cancelled, as the hub says
    ticket_id TEXT                    -- the ticket it was checked in with
);
CREATE INDEX bookings_day ON bookings (day);
ALTER TABLE tickets ADD COLUMN booking_code TEXT;
"""

MIGRATIONS = {1: SCHEMA_V1, 2: SCHEMA_V2}
