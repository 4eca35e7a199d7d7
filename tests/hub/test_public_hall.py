"""The online service hall's public pages on a real hub (SQLite and PostgreSQL): guides,
following a case with its query code, rating it (issues 23 and 27)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys

from sqlalchemy import select

from tests.web.human import answer_for
from windowdesk.domain.query_codes import hash_query_code, new_query_code, verify_query_code
from windowdesk.hub.services import catalog_import, public_cases, reports
from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.storage.models import Case
from windowdesk.hub.storage.models_public import LookupFailure
from windowdesk.hub.storage.models_quality import Rating
from windowdesk.paths import resources_dir
from windowdesk.sync.protocol import CHANGE_WEB_RATING

from .conftest import utc_now

# A fast hash for test data (the cost is part of the stored form; the hub accepts 2^10 up).
CHEAP = {"n": 2**10}


def _csrf(page_text: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_text).group(1)


def _accepted_case(hub, events, workstation, code: str | None, **changes):
    resident = events.resident(name="张小明")
    case = events.case(resident["payload"]["id"], **changes)
    if code is not None:
        case["payload"]["query_code_hash"] = hash_query_code(code, **CHEAP)
    assert [s for s, _ in hub.push_results(workstation, [resident, case])] == ["applied", "applied"]
    return case["payload"]


def _open(client, number: str, code: str):
    form = client.get(f"/status/{number}")
    return client.post(
        "/status",
        data={"csrf_token": _csrf(form.text), "case_number": number, "query_code": code},
        follow_redirects=False,
    )


def test_guides_are_found_by_pinyin_initials_department_and_street_center(hub, demo_catalog: None):
    by_initials = hub.client.get("/guides", params={"q": "lnz"}).text
    assert "老年证" in by_initials and "城市居民最低生活保障申请" not in by_initials
    assert "老年证" in hub.client.get("/guides", params={"q": "laonian"}).text
    civil = hub.client.get("/guides", params={"department": "MZJ"}).text
    assert "城市居民最低生活保障申请" in civil
    street = hub.client.get("/guides", params={"center": "JD01"}).text
    assert street.count('href="/guides/') < hub.client.get("/guides").text.count('href="/guides/')


def test_a_guide_has_a_stable_address_and_shows_the_printed_guide(hub, demo_catalog: None):
    page = hub.client.get("/guides/MZ-001")
    assert page.status_code == 200
    for words in ("居民户口簿", "核对原件，留存户主页及本人页复印件", "《城市居民最低生活保障条例》", "不收费", "20"):
        assert words in page.text
    assert "data-print" in page.text and "/static/public.js" in page.text
    assert hub.client.get("/guides/NO-SUCH").status_code == 404
    assert "@media print" in hub.client.get("/static/windowdesk.css").text


def test_a_new_catalog_publication_changes_the_guide_pages_rendered_once_per_version(hub, tmp_path):
    """A guide and a search's list are rendered once per catalog version and language,
    and a publication shows at once: the pages read the version on every request."""
    hub.import_demo_catalog()
    assert "《城市居民最低生活保障条例》" in hub.client.get("/guides/MZ-001").text
    assert "城市居民最低生活保障申请" in hub.client.get("/guides", params={"q": "dibao"}).text
    english = hub.client.get("/guides/MZ-001", params={"lang": "en"}).text
    assert "Legal basis" in english and "Service guide" in english
    hub.client.cookies.clear()

    folder = tmp_path / "catalog"
    shutil.copytree(resources_dir() / "catalog", folder)
    items = json.loads((folder / "items.json").read_text(encoding="utf-8"))
    items["version"] = "2026.12-amended"
    [item] = [item for item in items["items"] if item["code"] == "MZ-001"]
    item["name"], item["legal_basis"] = "城市居民最低生活保障申请（新）", "《社会救助暂行办法》第二章（修订）"
    (folder / "items.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    with hub.db.write(feed=True) as session:
        catalog_import.import_catalog(session, folder=folder, now=utc_now())

    page = hub.client.get("/guides/MZ-001").text
    assert "《社会救助暂行办法》第二章（修订）" in page and "《城市居民最低生活保障条例》" not in page
    assert "2026.12-amended" in page and "2026.11-demo" not in page
    assert "城市居民最低生活保障申请（新）" in hub.client.get("/guides", params={"q": "dibao"}).text
    assert (
        "《社会救助暂行办法》第二章（修订）" in hub.client.get("/guides/MZ-001", params={"lang": "en"}).text
    )  # the English page of the new version too


def test_the_large_text_mode_is_remembered(hub, demo_catalog: None):
    assert 'class="public"' in hub.client.get("/guides").text
    switched = hub.client.get("/text-size", params={"large": 1, "back": "/guides/MZ-001"}, follow_redirects=False)
    assert switched.headers["location"] == "/guides/MZ-001"
    assert 'class="public large-text"' in hub.client.get("/guides/MZ-001").text
    elsewhere = hub.client.get("/text-size", params={"large": 1, "back": "//evil.example/"}, follow_redirects=False)
    assert elsewhere.headers["location"] == "/guides"


def test_a_case_opens_with_its_code_and_shows_its_progress_without_personal_data(hub, demo_catalog: None, events):
    workstation = hub.enroll()
    code = new_query_code()
    case = _accepted_case(hub, events, workstation, code)
    hub.push_results(workstation, [events.status(case["id"], "start_review")])
    opened = _open(hub.client, case["number"], code.lower()[:4] + "-" + code[4:])  # typed loosely
    assert opened.status_code == 303 and opened.headers["location"] == "/case"
    page = hub.client.get("/case").text
    assert case["number"] in page and "张*明" in page and "张小明" not in page
    assert "230902196210010496" not in page and "2026-12-09" in page
    assert "已受理" in page and "审核中" in page  # the stages
    with current_figures(hub.db) as session:
        stored = session.scalar(select(Case.query_code_hash).where(Case.id == case["id"]))
    assert code not in stored and verify_query_code(code, stored)


def test_five_wrong_codes_lock_the_case_even_for_the_right_code(hub, demo_catalog: None, events):
    workstation = hub.enroll()
    code = new_query_code()
    case = _accepted_case(hub, events, workstation, code)
    answers = [_open(hub.client, case["number"], "AAAA-AAAA") for _ in range(5)]
    assert [a.status_code for a in answers] == [403, 403, 403, 403, 429]
    assert "4" in answers[0].text
    assert _open(hub.client, case["number"], code).status_code == 429


def test_an_unknown_case_is_answered_like_a_wrong_code_and_counts_against_the_address(hub):
    now = utc_now()
    first = public_cases.look_up_case(
        hub.db, case_number="CH-20261125-01-9999", code="ACDE7KMN", address="10.0.0.9", now=now
    )
    assert (first.outcome, first.tries_left, first.case) == (public_cases.WRONG, 4, None)
    for number in range(4):  # four other numbers from the same address
        public_cases.look_up_case(
            hub.db, case_number=f"CH-20261125-01-{number:04d}", code="ACDE7KMN", address="10.0.0.9", now=now
        )
    assert (
        public_cases.look_up_case(
            hub.db, case_number="CH-20261125-01-7777", code="ACDE7KMN", address="10.0.0.9", now=now
        ).outcome
        == public_cases.LOCKED
    )
    later = now + public_cases.LOOKUP_WINDOW + dt.timedelta(seconds=1)
    assert (
        public_cases.look_up_case(
            hub.db, case_number="CH-20261125-01-7777", code="ACDE7KMN", address="10.0.0.9", now=later
        ).outcome
        == public_cases.WRONG
    )
    with current_figures(hub.db) as session:  # the old tries were dropped when a new one came
        assert session.scalar(select(LookupFailure.failed_at).order_by(LookupFailure.failed_at).limit(1)) == later


def test_an_unknown_case_costs_the_same_slow_hash_as_a_known_one(hub, demo_catalog: None, events):
    workstation = hub.enroll()
    case = _accepted_case(hub, events, workstation, new_query_code())

    def hashes(number: str) -> int:
        calls = []
        sys.setprofile(
            lambda frame, event, arg: (
                calls.append(arg) if event == "c_call" and getattr(arg, "__name__", "") == "scrypt" else None
            )
        )
        try:
            public_cases.look_up_case(hub.db, case_number=number, code="ACDE7KMN", address="10.0.0.1", now=utc_now())
        finally:
            sys.setprofile(None)
        return len(calls)

    assert hashes(case["number"]) == hashes("CH-20261125-01-0404") == 1


def test_a_reissued_code_replaces_the_old_one_and_a_bad_hash_is_refused(hub, demo_catalog: None, events):
    workstation = hub.enroll()
    old, new = new_query_code(), new_query_code()
    case = _accepted_case(hub, events, workstation, old)
    reissue = events.event(
        "case.query_code_reissued",
        "case",
        case["id"],
        {
            "id": case["id"],
            "number": case["number"],
            "center": "CH",
            "query_code_hash": hash_query_code(new, **CHEAP),
            "at": utc_now().isoformat(),
        },
    )
    bad = events.event(
        "case.query_code_reissued",
        "case",
        case["id"],
        {
            "id": case["id"],
            "number": case["number"],
            "center": "CH",
            "query_code_hash": "plain:" + new,
            "at": utc_now().isoformat(),
        },
    )
    (applied, _), (rejected, reason) = hub.push_results(workstation, [reissue, bad])
    assert (applied, rejected) == ("applied", "rejected") and "query_code_hash" in reason
    assert _open(hub.client, case["number"], old).status_code == 403
    assert _open(hub.client, case["number"], new).status_code == 303


def _rate(hub, level: int, comment: str = "", *, human: bool = True):
    page = hub.client.get("/case")
    token = re.search(r'name="human_token" value="([^"]+)"', page.text)
    if token is None:  # all rated: no form; this browser's CSRF token from another page
        page, token = hub.client.get("/status"), "none"
    else:
        token = token.group(1)
    answer = answer_for(hub.data_dir, token) if human and token != "none" else "99"
    return hub.client.post(
        "/case/rating",
        data={
            "csrf_token": _csrf(page.text),
            "level": level,
            "efficiency": level,
            "quality": level,
            "attitude": level,
            "comment": comment,
            "human_token": token,
            "human_answer": answer,
        },
        follow_redirects=False,
    )


def test_a_rating_per_stage_with_one_supplement_and_a_bad_one_is_followed_up(hub, demo_catalog: None, events):
    workstation = hub.enroll()
    code = new_query_code()
    case = _accepted_case(hub, events, workstation, code)
    assert _open(hub.client, case["number"], code).status_code == 303
    assert _rate(hub, 5, human=False).status_code == 422  # the sum not worked out
    assert _rate(hub, 5).headers["location"] == "/case?rated=1"
    assert "追评" in hub.client.get("/case").text
    assert _rate(hub, 2, "<b>等了很久</b>").status_code == 303
    refused = _rate(hub, 4)
    assert refused.status_code == 422 and 'name="level"' not in refused.text and "追评已提交" in refused.text
    with current_figures(hub.db) as session:
        rows = session.execute(
            select(
                Rating.level,
                Rating.round,
                Rating.stage,
                Rating.follow_up_status,
                Rating.follow_up_deadline,
                Rating.aspects,
            ).order_by(Rating.round)
        ).all()
    assert [(r.level, r.round, r.stage, r.follow_up_status) for r in rows] == [
        (5, 1, "accepted", None),
        (2, 2, "accepted", "open"),
    ]
    assert rows[1].follow_up_deadline > dt.date.today() and rows[1].aspects["attitude"] == 2
    changes = [c for c in hub.changes(workstation)["changes"] if c["kind"] == CHANGE_WEB_RATING]
    assert [c["payload"]["level"] for c in changes] == [5, 2]
    assert changes[1]["payload"]["follow_up"]["deadline"] == rows[1].follow_up_deadline.isoformat()
    assert changes[1]["payload"]["comment"] == "<b>等了很久</b>"
    # The finished case is a new stage: rated again.
    hub.push_results(workstation, [events.status(case["id"], a) for a in ("start_review", "approve", "complete")])
    assert _rate(hub, 4).status_code == 303
    with current_figures(hub.db) as session:
        report = reports.city_report(
            session,
            start=dt.date.today() - dt.timedelta(days=1),
            end=dt.date.today() + dt.timedelta(days=1),
            by="center",
        )
    assert (report.total.rating_count, report.total.web_ratings, report.total.window_ratings) == (3, 3, 0)


def test_the_public_only_app_serves_the_pages_and_nothing_else(hub):
    from fastapi.testclient import TestClient

    from windowdesk.hub.app import create_public_app
    from windowdesk.hub.settings import HubSettings

    hub.import_demo_catalog()
    settings = HubSettings.resolve(data_dir=hub.data_dir, database_url=hub.url)
    with TestClient(create_public_app(settings, database=hub.db)) as public:
        assert public.get("/guides/MZ-001").status_code == 200
        assert public.get("/static/windowdesk.css").status_code == 200
        for hidden in ("/api/v1/health", "/api/v1/changes", "/docs", "/openapi.json", "/console/"):
            assert public.get(hidden).status_code == 404, hidden
