"""Generate a realistic, large local database for the benchmarks.

    python bench/generate.py --residents 500000 --cases 200000 --out bench/data/bench.sqlite3

The schema comes from the real migrations, the catalog from the shipped demo catalog
and the workstation (center CH, window 01) from the real services; only the bulk rows
(residents, operators, cases with their materials and accepted event, number
sequences, the audit chain) are written with ``executemany`` on a DB-API connection
of its own with ``synchronous=OFF`` and no journal - the file is built
under a ``.partial`` name and renamed only when complete, so a crash never leaves a
half-made database behind.

Rows are written in the storage formats SQLAlchemy uses for SQLite (dates
``YYYY-MM-DD``, times ``YYYY-MM-DD HH:MM:SS.ffffff`` naive UTC, booleans 0/1, JSON
text), and the result is checked through the ORM at the end. Everything is
deterministic for a given ``--seed`` and ``--now`` (except the salted password hash of
the demo account, which is the one ``--demo`` uses).

Like the application's, the file is encrypted with SQLCipher when this version of
windowdesk has ``storage.crypto``; the key (hex) is written beside it as
``<file>.key``. ``--plain`` makes an unencrypted file (``...-plain.sqlite3`` by
default), to measure what encryption costs.

Progress goes to stderr; the last stdout line is a JSON summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    DEFAULT_CASES,
    DEFAULT_RESIDENTS,
    DEFAULT_SEED,
    connect,
    default_data_path,
    encryption_available,
    ensure_importable,
    keyword_if_supported,
    log,
    write_key,
)

ensure_importable()

from windowdesk.domain.ids import resident_id_check_char  # noqa: E402

UTC = dt.UTC
CN_OFFSET = dt.timedelta(hours=8)  # Asia/Shanghai has no daylight saving time
GENESIS_HASH = "0" * 64

# --- people ------------------------------------------------------------------------

# Surnames with rough weights (per mille of the population, 2020 census order).
SURNAMES = [
    ("王", 71),
    ("李", 70),
    ("张", 67),
    ("刘", 54),
    ("陈", 46),
    ("杨", 31),
    ("黄", 22),
    ("赵", 20),
    ("吴", 18),
    ("周", 17),
    ("徐", 13),
    ("孙", 13),
    ("马", 11),
    ("朱", 11),
    ("胡", 10),
    ("郭", 10),
    ("何", 9),
    ("林", 9),
    ("高", 9),
    ("罗", 8),
    ("郑", 7),
    ("梁", 7),
    ("谢", 6),
    ("宋", 6),
    ("唐", 6),
    ("许", 5),
    ("韩", 5),
    ("邓", 5),
    ("冯", 5),
    ("曹", 5),
    ("彭", 5),
    ("曾", 4),
    ("肖", 4),
    ("田", 4),
    ("董", 4),
    ("潘", 4),
    ("袁", 4),
    ("蔡", 3),
    ("蒋", 3),
    ("余", 3),
    ("于", 3),
    ("杜", 3),
    ("叶", 3),
    ("程", 3),
    ("魏", 3),
    ("苏", 3),
    ("吕", 3),
    ("丁", 3),
    ("任", 3),
    ("卢", 3),
    ("姚", 3),
    ("沈", 3),
    ("钟", 3),
    ("姜", 3),
    ("崔", 3),
    ("谭", 3),
    ("陆", 2),
    ("范", 2),
    ("汪", 2),
    ("廖", 2),
    ("石", 2),
    ("金", 2),
    ("韦", 2),
    ("贾", 2),
    ("夏", 2),
    ("付", 2),
    ("方", 2),
    ("邹", 2),
    ("熊", 2),
    ("白", 2),
    ("孟", 2),
    ("秦", 2),
    ("邱", 2),
    ("侯", 2),
    ("江", 2),
    ("尹", 2),
    ("薛", 2),
    ("闫", 2),
    ("段", 2),
    ("雷", 2),
    ("龙", 1),
    ("黎", 1),
    ("史", 1),
    ("陶", 1),
    ("贺", 1),
    ("毛", 1),
    ("郝", 1),
    ("顾", 1),
    ("龚", 1),
    ("邵", 1),
    ("万", 1),
    ("武", 1),
    ("钱", 1),
    ("戴", 1),
    ("严", 1),
    ("孔", 1),
    ("常", 1),
    ("汤", 1),
    ("康", 1),
    ("乔", 1),
    ("文", 1),
    ("施", 1),
    ("洪", 1),
    ("辛", 1),
    ("柴", 1),
    ("欧阳", 1),
    ("上官", 1),
    ("司马", 1),
    ("诸葛", 1),
    ("慕容", 1),
]
MALE_CHARS = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国峰志亮文海东成"
    "博晨然泽轩睿子宏庆兵福贵德永春学立新友金山"
)
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英玲桂兰红梅琳燕萍雪慧颖琴欣婷佳倩晶瑶怡悦璐妍蕾雯丹洁莉凤云月淑珍玉梦雨思涵萱诗嘉"

# GB/T 2260 area codes: mostly Qitaihe (七台河) itself, some from elsewhere.
AREA_CODES = [
    ("230902", 30),
    ("230903", 25),
    ("230904", 18),
    ("230921", 12),  # 新兴 桃山 茄子河 勃利
    ("230102", 2),
    ("230103", 2),
    ("230104", 1),
    ("230302", 2),
    ("230803", 1),
    ("231002", 1),
    ("230602", 1),
    ("220102", 1),
    ("210102", 1),
    ("370102", 1),
    ("130102", 1),
    ("410102", 1),
    ("110101", 1),
]
# (age band start, weight) - a rough population pyramid of a north-eastern city.
AGE_BANDS = [(0, 6), (10, 7), (20, 10), (30, 13), (40, 15), (50, 18), (60, 16), (70, 10), (80, 4), (90, 1)]
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "170",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
]
STREETS = [
    "学府路",
    "桃山路",
    "山湖路",
    "大同街",
    "胜利路",
    "奋斗路",
    "兴华路",
    "文化路",
    "新华路",
    "建设路",
    "中心街",
    "红旗路",
    "光明街",
    "跃进路",
    "东风路",
    "桃源街",
    "湖滨路",
    "新兴大街",
    "长兴路",
    "龙湖路",
]


def district_of_center(code: str, rng: random.Random) -> str:
    if code.startswith("JD"):
        n = int(code[2:])
        return "新兴区" if n <= 11 else "桃山区" if n <= 17 else "茄子河区"
    return rng.choice(("新兴区", "新兴区", "桃山区", "茄子河区"))


# --- storage formats (as SQLAlchemy writes them on SQLite) --------------------------


def fmt_dt(value: dt.datetime) -> str:
    """Aware datetime -> naive UTC text with microseconds (UTCDateTime + DateTime)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def uuid7_at(ms: int, rng: random.Random) -> str:
    """A UUIDv7 string for a given Unix millisecond, with seeded randomness."""
    value = (ms << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64) | (0b10 << 62) | rng.getrandbits(62)
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def unix_ms(value: dt.datetime) -> int:
    return int(value.timestamp() * 1000)


def _weighted(pairs):
    values = [v for v, _w in pairs]
    cum = []
    total = 0
    for _v, w in pairs:
        total += w
        cum.append(total)
    return values, cum


# --- generation steps ---------------------------------------------------------------


def _prepare_schema(path: Path, key: bytes | None) -> dict:
    """Migrated file with the demo catalog and the CH-01 workstation, through the services."""
    from windowdesk.paths import resources_dir
    from windowdesk.services import bootstrap, workstation
    from windowdesk.storage.db import Database
    from windowdesk.storage.migrate import migrate_to_head

    migrate_to_head(path, path.parent / "backups", **keyword_if_supported(migrate_to_head, "key", key))
    db = Database(path, **keyword_if_supported(Database, "key", key))
    try:
        bootstrap.ensure_catalog(db, resources_dir())
        # The same workstation and account as ``--demo`` makes, so that the app started
        # on this file with --demo logs in (when this version has passwords and roles).
        extra = {}
        accepted = inspect.signature(workstation.configure_workstation).parameters
        if "password" in accepted and hasattr(bootstrap, "DEMO_PASSWORD"):
            extra["password"] = bootstrap.DEMO_PASSWORD
        if "role" in accepted:
            extra["role"] = "supervisor"
        ctx = workstation.configure_workstation(
            db,
            center_code=bootstrap.DEMO_CENTER,
            window_code=bootstrap.DEMO_WINDOW,
            operator_name=bootstrap.DEMO_OPERATOR,
            operator_login=bootstrap.DEMO_LOGIN,
            **extra,
        )
    finally:
        db.dispose()
    return {"center": ctx.center_code, "window_id": ctx.window_id, "operator_id": ctx.operator_id}


def _resident_rows(n: int, rng: random.Random, now: dt.datetime, centers: list[str]):
    """Yield resident rows (the table's columns, then the aware created_at)."""
    today = (now + CN_OFFSET).date()
    areas, area_cum = _weighted(AREA_CODES)
    surnames, surname_cum = _weighted(SURNAMES)
    bands, band_cum = _weighted(AGE_BANDS)
    # CH registers a larger share than any single street center.
    center_pairs = [(c, 30 * 22 if c == "CH" else 70) for c in centers]
    center_codes, center_cum = _weighted(center_pairs)
    seen: set[str] = set()
    three_years_s = 3 * 365 * 86400
    for _ in range(n):
        while True:
            age = rng.choices(bands, cum_weights=band_cum)[0] + rng.randrange(10)
            birth = today - dt.timedelta(days=age * 365 + rng.randrange(365))
            if birth.year < 1900:
                continue
            male = rng.random() < 0.49
            seq = rng.randrange(500) * 2 + (1 if male else 0)
            area = rng.choices(areas, cum_weights=area_cum)[0]
            first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
            number = first17 + resident_id_check_char(first17)
            if number not in seen:
                seen.add(number)
                break
        surname = rng.choices(surnames, cum_weights=surname_cum)[0]
        chars = MALE_CHARS if male else FEMALE_CHARS
        given = rng.choice(chars) if rng.random() < 0.3 else rng.choice(chars) + rng.choice(chars)
        if age < 16 or (age >= 75 and rng.random() < 0.4):
            phone = ""
        else:
            phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
        center = rng.choices(center_codes, cum_weights=center_cum)[0]
        address = (
            f"七台河市{district_of_center(center, rng)}{rng.choice(STREETS)}{rng.randrange(1, 300)}号"
            f"{rng.randrange(1, 30)}号楼{rng.randrange(1, 7)}单元{rng.randrange(1, 19)}{rng.randrange(1, 5):02d}室"
        )
        if age >= 80 and rng.random() < 0.9:
            welfare = "elderly_80"
        else:
            r = rng.random()
            welfare = (
                "dibao"
                if r < 0.03
                else "disabled"
                if r < 0.045
                else "veteran"
                if r < 0.055 and age >= 40
                else "student"
                if r < 0.075 and 16 <= age <= 24
                else None
            )
        local = now + CN_OFFSET - dt.timedelta(seconds=rng.randrange(three_years_s))
        local = local.replace(
            hour=rng.randrange(8, 17),
            minute=rng.randrange(60),
            second=rng.randrange(60),
            microsecond=rng.randrange(1_000_000),
        )
        created = min(local - CN_OFFSET, now)
        rid = uuid7_at(unix_ms(created), rng)
        yield (
            rid,
            number,
            surname + given,
            "male" if male else "female",
            birth.isoformat(),
            phone,
            address,
            welfare,
            center,
            fmt_dt(created),
            created,
        )


def generate(
    out: Path,
    *,
    residents: int = DEFAULT_RESIDENTS,
    cases: int = DEFAULT_CASES,
    seed: int = DEFAULT_SEED,
    now: dt.datetime | None = None,
    days: int = 365,
    audit: bool = True,
    force: bool = False,
    plain: bool = False,
) -> dict:
    """Build the database at ``out`` and return a summary."""
    from windowdesk.domain.case_state import CaseStatus
    from windowdesk.paths import resources_dir
    from windowdesk.services.working_days import load_shipped_calendar

    started = time.perf_counter()
    out = Path(out)
    if out.exists() and not force:
        raise SystemExit(f"{out} exists; pass --force to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"), Path(f"{partial}-journal")):
        stale.unlink(missing_ok=True)
    now = (now or dt.datetime.now(UTC)).astimezone(UTC)
    rng = random.Random(seed)
    # Encrypted like the application's file (SQLCipher), unless --plain or this version
    # has no encryption; the key is kept beside the file as <file>.key.
    # (from a random stream of its own, so plain and encrypted files hold the same rows)
    key = None if plain or not encryption_available() else random.Random(f"key-{seed}").randbytes(32)

    log(f"[generate] schema + catalog + workstation -> {partial} ({'encrypted' if key else 'plain'})")
    ws = _prepare_schema(partial, key)
    calendar = load_shipped_calendar(resources_dir())

    conn = connect(partial, key)
    conn.execute("PRAGMA journal_mode=OFF")  # the .partial file is thrown away on failure
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("PRAGMA cache_size=-1048576")  # 1 GiB
    conn.execute("PRAGMA temp_store=MEMORY")

    centers = [r[0] for r in conn.execute("SELECT code FROM centers ORDER BY code")]
    windows = {c: [] for c in centers}
    for center, code in conn.execute("SELECT center_code, code FROM windows ORDER BY center_code, code"):
        windows[center].append(code)
    items = []
    for code, promised, legal, street in conn.execute(
        "SELECT code, promised_limit_days, legal_limit_days, street_level FROM catalog_items "
        "WHERE active = 1 ORDER BY code"
    ):
        mats = conn.execute(
            "SELECT code, name, required FROM item_materials WHERE item_code = ? ORDER BY position", (code,)
        ).fetchall()
        items.append((code, promised, legal, bool(street), mats))
    if not items:
        raise SystemExit("the catalog is empty: resources/catalog/items.json missing?")
    street_items = [it for it in items if it[3]] or items

    # The demo operator got a random id from the service: give it a seeded one, so the
    # whole file (case rows and audit chain included) is reproducible from --seed/--now.
    demo_id = uuid7_at(unix_ms(now - dt.timedelta(days=days + 30)), rng)
    conn.execute("BEGIN")
    conn.execute(
        "UPDATE operators SET id = ?, created_at = ? WHERE id = ?",
        (demo_id, fmt_dt(now - dt.timedelta(days=days + 30)), ws["operator_id"]),
    )
    conn.execute("UPDATE local_settings SET value = ? WHERE value = ?", (demo_id, ws["operator_id"]))
    conn.execute("COMMIT")
    ws["operator_id"] = demo_id

    # Operators: one per window; CH-01 is the configured demo operator.
    log("[generate] operators")
    surnames, surname_cum = _weighted(SURNAMES)
    operators: dict[tuple[str, str], str] = {}
    op_rows = []
    op_created = now - dt.timedelta(days=days + 30)
    for center in centers:
        for window in windows[center]:
            if f"{center}-{window}" == ws["window_id"]:
                operators[(center, window)] = ws["operator_id"]
                continue
            oid = uuid7_at(unix_ms(op_created), rng)
            name = rng.choices(surnames, cum_weights=surname_cum)[0] + rng.choice(FEMALE_CHARS + MALE_CHARS)
            operators[(center, window)] = oid
            op_rows.append((oid, center, f"op-{center.lower()}-{window}", name, "operator", 1, fmt_dt(op_created)))
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO operators (id, center_code, login, display_name, role, active, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        op_rows,
    )
    conn.execute("COMMIT")

    # Residents.
    log(f"[generate] {residents:,} residents")
    resident_ids: list[str] = []
    audit_events: list[tuple] = []  # (at, kind, payload...) merged into one chain later
    conn.execute("BEGIN")
    batch = []
    t0 = time.perf_counter()
    for i, row in enumerate(_resident_rows(residents, rng, now, centers), 1):
        resident_ids.append(row[0])
        if audit:
            center = row[8]
            audit_events.append((row[10], 0, row[0], center, rng.choice(windows[center])))
        batch.append(row[:10])
        if len(batch) >= 50_000:
            conn.executemany(
                "INSERT INTO residents (id, id_number, name, gender, birth_date, phone, address, "
                "welfare_status, registered_center, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                batch,
            )
            batch.clear()
            log(f"[generate]   residents {i:,}/{residents:,} ({time.perf_counter() - t0:.1f}s)")
    if batch:
        conn.executemany(
            "INSERT INTO residents (id, id_number, name, gender, birth_date, phone, address, "
            "welfare_status, registered_center, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            batch,
        )
    conn.execute("COMMIT")

    # Cases: working days of the last ``days`` days, office hours, local time zone.
    log(f"[generate] {cases:,} cases")
    today = (now + CN_OFFSET).date()
    now_local = (now + CN_OFFSET).replace(tzinfo=None)
    work_days = [
        today - dt.timedelta(days=k)
        for k in range(days - 1, -1, -1)
        if calendar.is_working_day(today - dt.timedelta(days=k))
    ]
    day_weights = [1.3 if d.weekday() == 0 else 0.9 if d.weekday() == 4 else 1.0 for d in work_days]
    day_cum = []
    acc = 0.0
    for w in day_weights:
        acc += w
        day_cum.append(acc)
    center_pairs = [(c, 40 * 22 if c == "CH" else 60) for c in centers]
    center_codes, center_cum = _weighted(center_pairs)
    half_days = ((8 * 3600 + 1800, 12 * 3600), (14 * 3600, 17 * 3600 + 1800))
    drafts = []
    for _ in range(cases):
        while True:
            day = rng.choices(work_days, cum_weights=day_cum)[0]
            start, end = half_days[0] if rng.random() < 0.55 else half_days[1]
            secs = rng.randrange(start, end)
            local = dt.datetime.combine(day, dt.time()) + dt.timedelta(
                seconds=secs, microseconds=rng.randrange(1_000_000)
            )
            if local <= now_local:
                break
        center = rng.choices(center_codes, cum_weights=center_cum)[0]
        window = rng.choice(windows[center])
        item = rng.choice(items if center == "CH" else street_items)
        resident = resident_ids[rng.randrange(len(resident_ids))] if resident_ids else None
        drafts.append((local, center, window, item, resident))
    drafts.sort(key=lambda d: (d[0], d[1], d[2]))

    status = CaseStatus.ACCEPTED.value
    counters: dict[str, int] = {}
    date_cache: dict[tuple[dt.date, int], str] = {}

    def add_days(day: dt.date, n: int) -> str:
        key = (day, n)
        found = date_cache.get(key)
        if found is None:
            found = date_cache[key] = calendar.add_working_days(day, n).isoformat()
        return found

    case_rows, material_rows, event_rows = [], [], []
    material_count = event_count = 0
    t0 = time.perf_counter()

    def flush_cases() -> None:
        conn.executemany(
            "INSERT INTO cases (id, case_number, center_code, window_id, operator_id, item_code, "
            "resident_id, organisation_id, status, accepted_at, accepted_day, promised_date, "
            "legal_date, note) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, '')",
            case_rows,
        )
        conn.executemany(
            "INSERT INTO case_materials (id, case_id, position, material_code, name, status, note) "
            "VALUES (?, ?, ?, ?, ?, ?, '')",
            material_rows,
        )
        conn.executemany(
            "INSERT INTO case_events (id, case_id, at, operator_id, kind, from_status, to_status, "
            "note, source) VALUES (?, ?, ?, ?, 'accepted', NULL, ?, '', 'window')",
            event_rows,
        )
        case_rows.clear()
        material_rows.clear()
        event_rows.clear()

    conn.execute("BEGIN")
    for i, (local, center, window, item, resident) in enumerate(drafts, 1):
        day = local.date()
        scope = f"case:{center}:{day:%Y%m%d}:{window}"
        seq = counters.get(scope, 0) + 1
        counters[scope] = seq
        number = f"{center}-{day:%Y%m%d}-{window}-{seq:04d}"
        at = (local - CN_OFFSET).replace(tzinfo=UTC)
        at_text = fmt_dt(at)
        ms = unix_ms(at)
        cid = uuid7_at(ms, rng)
        operator = operators[(center, window)]
        code, promised, legal, _street, mats = item
        case_rows.append(
            (
                cid,
                number,
                center,
                f"{center}-{window}",
                operator,
                code,
                resident,
                status,
                at_text,
                day.isoformat(),
                add_days(day, promised),
                add_days(day, legal),
            )
        )
        for pos, (mcode, mname, required) in enumerate(mats):
            mstatus = "received" if required or rng.random() < 0.7 else "missing"
            material_rows.append((uuid7_at(ms, rng), cid, pos, mcode, mname, mstatus))
        material_count += len(mats)
        event_rows.append((uuid7_at(ms, rng), cid, at_text, operator, status))
        event_count += 1
        if audit:
            audit_events.append((at, 1, cid, center, window, number, code))
        if len(case_rows) >= 20_000:
            flush_cases()
            log(f"[generate]   cases {i:,}/{cases:,} ({time.perf_counter() - t0:.1f}s)")
    if case_rows:
        flush_cases()
    conn.executemany(
        "INSERT INTO number_sequences (scope, last_value) VALUES (?, ?) "
        "ON CONFLICT(scope) DO UPDATE SET last_value = max(last_value, excluded.last_value)",
        list(counters.items()),
    )
    conn.execute("COMMIT")

    # The audit chain, oldest first, with the same hashing as services.audit.
    audit_count = 0
    if audit:
        from windowdesk.services.audit import _entry_hash

        log(f"[generate] audit chain of {len(audit_events):,} entries")
        audit_events.sort(key=lambda e: (e[0], e[1]))
        prev = conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        prev = prev[0] if prev else GENESIS_HASH
        rows = []
        conn.execute("BEGIN")
        for event in audit_events:
            at, kind = event[0], event[1]
            if kind == 0:
                _at, _k, rid, center, window = event
                action, entity, entity_id, detail = "resident.register", "resident", rid, {}
            else:
                _at, _k, cid, center, window, number, code = event
                action, entity, entity_id, detail = "case.accept", "case", cid, {"number": number, "item": code}
            aid = uuid7_at(unix_ms(at), rng)
            operator = operators[(center, window)]
            workstation = f"{center}-{window}"
            fields = {
                "id": aid,
                "at": at.isoformat(),
                "operator_id": operator,
                "workstation": workstation,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "detail": detail,
            }
            digest = _entry_hash(prev, fields)
            rows.append(
                (aid, fmt_dt(at), operator, workstation, action, entity, entity_id, json.dumps(detail), prev, digest)
            )
            prev = digest
            if len(rows) >= 50_000:
                conn.executemany(
                    "INSERT INTO audit_log (id, at, operator_id, workstation, action, entity, entity_id, "
                    "detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
                audit_count += len(rows)
                rows.clear()
        if rows:
            conn.executemany(
                "INSERT INTO audit_log (id, at, operator_id, workstation, action, entity, entity_id, "
                "detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            audit_count += len(rows)
        conn.execute("COMMIT")
        del audit_events

    log("[generate] integrity check of foreign keys")
    problems = conn.execute("PRAGMA foreign_key_check").fetchmany(5)
    if problems:
        raise SystemExit(f"foreign key problems in the generated data: {problems}")
    conn.execute("PRAGMA journal_mode=WAL")  # as the app keeps it
    conn.close()

    _verify(partial, resident_ids[:1], key)
    for side in ("-wal", "-shm"):
        Path(f"{partial}{side}").unlink(missing_ok=True)
    os.replace(partial, out)
    write_key(out, key)
    seconds = time.perf_counter() - started
    summary = {
        "path": str(out),
        "encrypted": key is not None,
        "residents": residents,
        "cases": cases,
        "case_materials": material_count,
        "case_events": event_count,
        "audit_entries": audit_count,
        "number_sequences": len(counters),
        "operators": len(operators),
        "catalog_items": len(items),
        "centers": len(centers),
        "working_days": len(work_days),
        "seed": seed,
        "now": now.isoformat(),
        "size_mb": round(out.stat().st_size / 1e6, 1),
        "seconds": round(seconds, 1),
    }
    log(f"[generate] done in {seconds:.1f}s, {summary['size_mb']} MB")
    return summary


def _verify(path: Path, some_resident_ids: list[str], key: bytes | None) -> None:
    """Read the bulk rows back through the ORM, so a format slip fails here, not in a bench."""
    from sqlalchemy import func, select

    from windowdesk.storage import models as m
    from windowdesk.storage import queries
    from windowdesk.storage.db import Database

    db = Database(path, **keyword_if_supported(Database, "key", key))
    try:
        with db.read() as session:
            for rid in some_resident_ids:
                row = session.get(m.Resident, rid)
                assert row is not None and row.created_at.tzinfo is not None, rid
                assert isinstance(row.birth_date, dt.date)
            case_id = session.scalar(select(m.Case.id).order_by(m.Case.accepted_at.desc()).limit(1))
            if case_id is not None:
                case = queries.case_with_details(session, case_id)
                assert case.accepted_at.tzinfo is not None and case.materials and case.events
                assert isinstance(case.promised_date, dt.date)
                scope = f"case:{case.center_code}:{case.accepted_day:%Y%m%d}:{case.window_id.split('-')[1]}"
                last = session.get(m.NumberSequence, scope)
                assert last is not None and last.last_value >= int(case.case_number.rsplit("-", 1)[1])
            entry = session.scalars(select(m.AuditEntry).order_by(m.AuditEntry.seq.desc()).limit(1)).first()
            if entry is not None:
                from windowdesk.services.audit import _entry_hash, _hashed_fields

                assert entry.hash == _entry_hash(entry.prev_hash, _hashed_fields(entry)), "audit hash"
            session.scalar(select(func.count()).select_from(m.Resident))
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=DEFAULT_RESIDENTS)
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES)
    parser.add_argument(
        "--out", type=Path, default=None, help="default: bench/data/bench-<residents>r-<cases>c[-plain].sqlite3"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--days", type=int, default=365, help="cases spread over this many past days")
    parser.add_argument("--now", default=None, help="ISO time taken as 'now' (reproducible runs)")
    parser.add_argument("--no-audit", action="store_true", help="skip the audit chain history")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument(
        "--plain", action="store_true", help="plain SQLite instead of the application's encrypted (SQLCipher) file"
    )
    args = parser.parse_args(argv)
    now = dt.datetime.fromisoformat(args.now) if args.now else None
    if now is not None and now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    plain = args.plain or not encryption_available()
    out = args.out or default_data_path(args.residents, args.cases, plain=plain)
    summary = generate(
        out,
        residents=args.residents,
        cases=args.cases,
        seed=args.seed,
        now=now,
        days=args.days,
        audit=not args.no_audit,
        force=args.force,
        plain=plain,
    )
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
