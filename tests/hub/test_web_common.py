"""What every page of the hub's web shares: its key, the forms' CSRF token, the language."""

from __future__ import annotations

import multiprocessing
import stat

from fastapi import Depends, FastAPI, Request
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from windowdesk.hub.settings import HubSettings
from windowdesk.hub.web import csrf
from windowdesk.hub.web.secret import KEY_BYTES, web_key
from windowdesk.hub.web.templating import page_language, render


def _read_key(folder: str, results: multiprocessing.Queue) -> None:
    results.put(web_key(__import__("pathlib").Path(folder)))


def test_the_web_key_is_made_once_private_and_shared_by_processes(tmp_path):
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=_read_key, args=(str(tmp_path / "data"), results)) for _ in range(4)]
    for worker in workers:
        worker.start()
    keys = {results.get(timeout=60) for _ in workers}
    for worker in workers:
        worker.join(timeout=60)
    assert len(keys) == 1 and len(next(iter(keys))) == KEY_BYTES
    key_file = tmp_path / "data" / "web.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["web.key"]  # no temporary left behind


def _form_app(tmp_path) -> FastAPI:
    app = FastAPI()
    app.state.settings = HubSettings.resolve(data_dir=tmp_path)

    @app.get("/form")
    def form(request: Request):
        return render(
            request, "public/status.html", {"large_text": False, "back": "/form", "case_number": "", "message": ""}
        )

    @app.get("/no-form")
    def no_form(request: Request):
        return render(request, "base.html")

    @app.post("/form", dependencies=[Depends(csrf.require_csrf)])
    def post(request: Request):
        return PlainTextResponse("done")

    return app


def test_a_form_is_refused_without_the_token_of_this_browser(tmp_path):
    client = TestClient(_form_app(tmp_path))
    page = client.get("/form")
    assert csrf.COOKIE in page.cookies
    assert "HttpOnly" in page.headers["set-cookie"] and "SameSite=strict" in page.headers["set-cookie"]
    token, _ = csrf.token_for(_request_with_cookie(client.app, page.cookies[csrf.COOKIE]))
    assert client.post("/form", data={csrf.FIELD: token}).text == "done"
    assert client.post("/form", data={}).status_code == 403
    assert client.post("/form", data={csrf.FIELD: "0" * 64}).status_code == 403
    stranger = TestClient(client.app)  # another browser: its own cookie, not this token
    stranger.get("/form")
    refused = stranger.post("/form", data={csrf.FIELD: token})
    assert refused.status_code == 403 and "刷新页面" in refused.json()["detail"]


def test_a_page_without_a_form_makes_no_token_and_sets_no_cookie(tmp_path):
    client = TestClient(_form_app(tmp_path))
    page = client.get("/no-form")
    assert page.status_code == 200 and csrf.COOKIE not in page.cookies and "set-cookie" not in page.headers
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert csrf.COOKIE in client.get("/form").cookies  # the first page with a form sets it


def _request_with_cookie(app: FastAPI, value: str) -> Request:
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "query_string": b"",
        "app": app,
        "headers": [(b"cookie", f"{csrf.COOKIE}={value}".encode())],
    }
    return Request(scope)


def test_pages_are_in_chinese_unless_the_reader_chose_english(tmp_path):
    client = TestClient(_form_app(tmp_path))
    assert 'lang="zh-CN"' in client.get("/form").text
    english = client.get("/form?lang=en")
    assert 'lang="en"' in english.text and english.cookies.get("wd_lang") == "en"
    assert 'lang="en"' in client.get("/form").text  # the choice is remembered
    assert page_language(_request_with_cookie(client.app, "x")) == "zh_CN"
