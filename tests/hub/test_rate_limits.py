"""Rate limits per client address: enrollment attempts, refused tokens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from windowdesk.hub.app import create_app
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.ratelimit import RateLimit, SlidingWindowLimiter
from windowdesk.hub.settings import ENV_ENROLL_LIMIT, HubSettings
from windowdesk.sync.protocol import API_PREFIX

from .conftest import VERSION_HEADERS, Hub, TestClient


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limits_are_written_like_10_per_minute(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert RateLimit.parse("10/minute") == RateLimit(10, 60)
    assert RateLimit.parse(" 100 / hour ") == RateLimit(100, 3600)
    assert RateLimit.parse("5/30") == RateLimit(5, 30)
    assert str(RateLimit(30, 60)) == "30/minute" and str(RateLimit(5, 30)) == "5/30"
    for bad in ("", "ten/minute", "0/minute", "5/0", "5/fortnight", "-1/second"):
        with pytest.raises(InvalidInput, match="not a rate limit"):
            RateLimit.parse(bad)
    monkeypatch.setenv(ENV_ENROLL_LIMIT, "4/hour")
    settings = HubSettings.resolve(data_dir=tmp_path, bad_token_limit="7/minute")
    assert (settings.enroll_limit, settings.bad_token_limit) == (RateLimit(4, 3600), RateLimit(7, 60))


def test_a_sliding_window_frees_one_attempt_at_a_time() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(RateLimit(3, 60), clock=clock)
    for _ in range(3):  # at 1000, 1010, 1020
        assert limiter.take("10.0.0.5") is None
        clock.now += 10
    assert limiter.take("10.0.0.5") == 30  # at 1030: the first attempt leaves the window at 1060
    assert limiter.take("10.0.0.6") is None  # other addresses are counted apart
    clock.now = 1060
    assert limiter.take("10.0.0.5") is None  # one slot free again ...
    assert limiter.take("10.0.0.5") == 10  # ... and only one: the next frees at 1070
    clock.now += 9.5
    assert limiter.retry_after("10.0.0.5") == 1  # rounded up, never 0


def test_failures_only_count_when_recorded_and_memory_stays_bounded() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(RateLimit(2, 60), clock=clock, max_keys=3)
    assert limiter.retry_after("a") is None
    limiter.record("a")
    limiter.record("a")
    assert limiter.retry_after("a") == 60
    for address in ("b", "c", "d"):
        limiter.record(address)
    assert limiter.retry_after("a") is None  # the oldest address was forgotten, not the newest
    assert len(limiter._attempts) == 3


@pytest.fixture
def strict(hub: Hub, tmp_path: Path) -> Iterator[TestClient]:
    """The same hub with small limits."""
    hub.import_demo_catalog()
    settings = HubSettings.resolve(data_dir=tmp_path, database_url=hub.url, enroll_limit="3/minute",
                                   bad_token_limit="2/minute")
    with TestClient(create_app(settings, database=hub.db), client=("198.51.100.7", 50000)) as client:
        yield client


def _enroll(client: TestClient, code: str):  # noqa: ANN202 - a response
    return client.post(f"{API_PREFIX}/enroll", json={"code": code}, headers=VERSION_HEADERS)


def _limited(reply) -> int:  # noqa: ANN001 - a response
    assert reply.status_code == 429, reply.text
    assert reply.json()["error"]["code"] == "rate_limited"
    retry_after = int(reply.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert f"Wait {retry_after} seconds" in reply.json()["error"]["message"]
    return retry_after


def test_enrollment_attempts_are_limited_per_address(hub: Hub, strict: TestClient) -> None:
    guesses = [_enroll(strict, f"AAAA-BBBB-CC{n}C") for n in range(3)]
    assert [reply.status_code for reply in guesses] == [401, 401, 401]

    good_code = hub.enrollment_code("CH", "02")
    _limited(_enroll(strict, good_code))  # even a good code waits: the limit counts attempts
    # The code was not spent, and another address may use it now.
    other = TestClient(strict.app, client=("198.51.100.8", 50000))
    assert _enroll(other, good_code).status_code == 200


def test_refused_tokens_are_limited_per_address_and_good_ones_are_not(hub: Hub, strict: TestClient) -> None:
    workstation = hub.enroll()
    good = {**VERSION_HEADERS, "Authorization": f"Bearer {workstation.token}"}
    bad = {**VERSION_HEADERS, "Authorization": "Bearer wdw_guessed"}
    for _ in range(20):
        assert strict.get(f"{API_PREFIX}/whoami", headers=good).status_code == 200

    assert strict.get(f"{API_PREFIX}/whoami", headers=bad).status_code == 401
    assert strict.post(f"{API_PREFIX}/push", json={"events": []}, headers=bad).status_code == 401

    # Over the limit: every token-checked endpoint answers 429 without looking at the
    # token, so a guesser cannot tell a right guess from a wrong one.
    _limited(strict.get(f"{API_PREFIX}/whoami", headers=good))
    _limited(strict.get(f"{API_PREFIX}/changes", headers=good))
    _limited(strict.post(f"{API_PREFIX}/push", json={"events": []}, headers=good))
    _limited(strict.post(f"{API_PREFIX}/cases/x/decisions", json={"decision": "approve", "department": "MZJ"},
                         headers=good))
    # Health needs no token; other addresses are not slowed down.
    assert strict.get(f"{API_PREFIX}/health").status_code == 200
    other = TestClient(strict.app, client=("198.51.100.9", 50000))
    assert other.get(f"{API_PREFIX}/whoami", headers=good).status_code == 200


def test_the_default_limits_let_a_window_work(hub: Hub) -> None:
    """Defaults: 10 enrollments and 30 refused tokens per minute and address."""
    hub.import_demo_catalog()
    replies = [_enroll(hub.client, f"AAAA-BBBB-CC{n}C") for n in range(11)]
    assert [reply.status_code for reply in replies] == [401] * 10 + [429]
