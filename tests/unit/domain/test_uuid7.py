from __future__ import annotations

import re
import threading
import time
import uuid

from windowdesk.domain.uuid7 import UuidV7Generator, new_uuid, uuid7_unix_ms

CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def test_canonical_string_version_and_variant():
    for _ in range(1000):
        value = new_uuid()
        assert len(value) == 36
        assert CANONICAL.fullmatch(value), value
        parsed = uuid.UUID(value)
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122
        assert str(parsed) == value


def test_timestamp_is_now():
    before = time.time_ns() // 1_000_000
    value = new_uuid()
    after = time.time_ns() // 1_000_000
    # The counter may carry the stamp a few ms ahead of the clock under heavy load.
    assert before <= uuid7_unix_ms(value) <= after + 5


def test_sorted_order_is_creation_order():
    ids = [new_uuid() for _ in range(10_000)]
    assert len(set(ids)) == len(ids)
    assert sorted(ids) == ids


def test_same_millisecond_counts_up_and_overflow_carries_the_stamp():
    gen = UuidV7Generator(clock_ms=lambda: 1_700_000_000_000)
    ids = [gen() for _ in range(10_000)]  # far beyond 4096 per ms: must carry over
    assert sorted(ids) == ids
    assert len(set(ids)) == len(ids)
    stamps = [uuid7_unix_ms(value) for value in ids]
    assert stamps[0] == 1_700_000_000_000
    assert stamps == sorted(stamps)
    assert stamps[-1] > stamps[0]


def test_counter_starts_low_at_a_new_millisecond():
    gen = UuidV7Generator(clock_ms=iter(range(1_000, 2_000)).__next__)
    for _ in range(200):
        rand_a = (gen.new_int() >> 64) & 0xFFF
        assert rand_a < 0x800


def test_clock_going_back_keeps_order():
    times = iter([5_000, 5_000, 4_000, 3_000, 5_001, 6_000])
    gen = UuidV7Generator(clock_ms=lambda: next(times))
    ids = [gen() for _ in range(6)]
    assert sorted(ids) == ids
    assert [uuid7_unix_ms(v) for v in ids][:4] == [5_000] * 4
    assert uuid7_unix_ms(ids[-1]) == 6_000


def test_deterministic_layout():
    gen = UuidV7Generator(clock_ms=lambda: 0x0123456789AB, randbits=lambda bits: (1 << bits) - 1)
    value = gen()
    assert value == "01234567-89ab-77ff-bfff-ffffffffffff"


def test_thread_safe_and_unique():
    gen = UuidV7Generator()
    results: list[list[str]] = [[] for _ in range(8)]

    def work(bucket: list[str]) -> None:
        for _ in range(2_000):
            bucket.append(gen())

    threads = [threading.Thread(target=work, args=(bucket,)) for bucket in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [value for bucket in results for value in bucket]
    assert len(set(everything)) == len(everything)
    for bucket in results:  # each thread sees its own ids increasing
        assert sorted(bucket) == bucket
