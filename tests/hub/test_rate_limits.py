"""Rate limits per enrollment code and per token, never per client address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from windowdesk.hub.app import create_app
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.ratelimit import RateLimit, SlidingWindowLimiter
from windowdesk.hub.server import proxy_options, worker_environment
from windowdesk.hub.services.enrollment import revoke_workstation
from windowdesk.hub.settings import ENV_ENROLL_LIMIT, ENV_TRUSTED_PROXIES, HubSettings
from windowdesk.sync.protocol import API_PREFIX

from .conftest import VERSION_HEADERS, Hub, TestClient, utc_now


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
    settings = HubSettings.resolve(
        data_dir=tmp_path, database_url=hub.url, enroll_limit="3/minute", bad_token_limit="2/minute"
    )
    with TestClient(create_app(settings, database=hub.db), client=("198.51.100.7", 50000)) as client:
        yield client


def _enroll(client: TestClient, code: str):
    return client.post(f"{API_PREFIX}/enroll", json={"code": code}, headers=VERSION_HEADERS)


def _limited(reply) -> int:
    assert reply.status_code == 429, reply.text
    assert reply.json()["error"]["code"] == "rate_limited"
    retry_after = int(reply.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert f"Wait {retry_after} seconds" in reply.json()["error"]["message"]
    return retry_after


def test_a_mistyped_code_is_limited_alone_and_a_good_code_from_the_same_address_enrolls(
    hub: Hub, strict: TestClient
) -> None:
    """Issue 21, finding 7: limits are keyed by what is guessed, not by the address (the
    windows of a street center share one NAT address)."""
    typo = "AAAA-BBBB-CCCC"
    assert [_enroll(strict, typo).status_code for _ in range(3)] == [401, 401, 401]
    _limited(_enroll(strict, typo))
    _limited(_enroll(strict, "aaaa bbbb cccc"))  # the same code however it is typed
    assert _enroll(strict, "AAAA-BBBB-CCCD").status_code == 401  # another code is not held up
    assert _enroll(strict, hub.enrollment_code("CH", "02")).status_code == 200  # nor a good one


def test_a_window_retrying_a_refused_token_never_blocks_another_window_s_good_token(
    hub: Hub, strict: TestClient
) -> None:
    revoked, working = hub.enroll("CH", "01"), hub.enroll("CH", "02")
    with hub.db.write() as session:
        revoke_workstation(session, workstation_id=revoked.id, now=utc_now())
    bad = {**VERSION_HEADERS, "Authorization": f"Bearer {revoked.token}"}
    good = {**VERSION_HEADERS, "Authorization": f"Bearer {working.token}"}
    # Both windows behind one address (the strict client's): the revoked one retries.
    assert strict.get(f"{API_PREFIX}/whoami", headers=bad).status_code == 401
    assert strict.post(f"{API_PREFIX}/push", json={"events": []}, headers=bad).status_code == 401
    for _ in range(3):
        _limited(strict.get(f"{API_PREFIX}/whoami", headers=bad))
        _limited(strict.post(f"{API_PREFIX}/push", json={"events": []}, headers=bad))
    # Made-up tokens from the same address are counted each for itself.
    for n in range(5):
        assert (
            strict.get(f"{API_PREFIX}/whoami", headers={**bad, "Authorization": f"Bearer wdw_{n}"}).status_code == 401
        )
    for _ in range(5):
        assert strict.get(f"{API_PREFIX}/whoami", headers=good).status_code == 200
        assert strict.post(f"{API_PREFIX}/push", json={"events": []}, headers=good).status_code == 200
        assert strict.get(f"{API_PREFIX}/changes", headers=good).status_code == 200


def test_the_default_limits_let_a_window_work(hub: Hub, demo_catalog: None) -> None:
    """Defaults: 10 refused attempts a minute per enrollment code, 30 per token."""
    replies = [_enroll(hub.client, "AAAA-BBBB-CCCC") for _ in range(11)]
    assert [reply.status_code for reply in replies] == [401] * 10 + [429]


def test_forwarded_addresses_are_believed_only_from_configured_proxies(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """uvicorn believes X-Forwarded-For from 127.0.0.1 by default; the hub tells it to
    believe nobody unless proxies are named (--trusted-proxy, or the environment)."""
    assert proxy_options(HubSettings.resolve(data_dir=tmp_path)) == {"proxy_headers": False}
    named = HubSettings.resolve(data_dir=tmp_path, trusted_proxies=["10.0.0.5", "10.1.0.0/24"])
    assert proxy_options(named) == {"proxy_headers": True, "forwarded_allow_ips": "10.0.0.5,10.1.0.0/24"}
    assert worker_environment(named, 2)[ENV_TRUSTED_PROXIES] == "10.0.0.5,10.1.0.0/24"
    monkeypatch.setenv(ENV_TRUSTED_PROXIES, "192.0.2.1")
    assert HubSettings.resolve(data_dir=tmp_path).trusted_proxies == ("192.0.2.1",)
    with pytest.raises(InvalidInput, match="not an address or network of a proxy"):
        HubSettings.resolve(data_dir=tmp_path, trusted_proxies=["proxy.example"])
