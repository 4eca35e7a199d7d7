"""Rendering a page in the reader's language.

Pages are in Chinese unless the reader chose English (the ``wd_lang`` cookie, set by the
language link every page carries, or ``?lang=en`` on any address). Templates mark their
words with ``{{ _("...") }}`` (and ``ngettext``); they come from the same catalogs as the
windows' (``translations/``), extracted by ``pybabel`` through ``translations/babel.cfg``.
Jinja2 escapes every value it prints, so nothing a user typed reaches a page as markup.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from windowdesk import __version__
from windowdesk.hub.language import _catalog
from windowdesk.hub.web import csrf
from windowdesk.i18n import speaking_in

TEMPLATE_DIR = Path(__file__).with_name("templates")
LANGUAGE_COOKIE = "wd_lang"
PAGE_LANGUAGES = ("zh_CN", "en")
DEFAULT_PAGE_LANGUAGE = "zh_CN"
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}
# Every page's answer: never cached (a page may carry a token or a case), never framed.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'none'"
    ),
}


def page_language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE) or ""
    chosen = chosen.replace("-", "_")
    if chosen.lower().startswith("en"):
        return "en"
    return chosen if chosen in PAGE_LANGUAGES else DEFAULT_PAGE_LANGUAGE


async def page_words(request: Request) -> AsyncIterator[None]:
    """A router's dependency: what the services word with the project's ``_`` while they
    serve this page (the catalog format's checks, the password rules: worded when raised)
    is in the page's language, for this request only. Async, so that the language is set
    in the request's own context, which the route's worker thread inherits."""
    language = page_language(request)
    with speaking_in(_catalog(language), language):
        yield


@functools.cache
def _environment(language: str) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(("html", "xml"), default=True),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # The templates are the installed package's: they do not change while the hub
        # serves, so no template file is looked at again (a stat per page otherwise).
        auto_reload=False,
    )
    catalog = _catalog(language)
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=catalog.gettext, ngettext=catalog.ngettext, newstyle=True
    )
    environment.globals["_"] = environment.globals["gettext"] = _remembered_gettext(catalog.gettext)
    return environment


def _remembered_gettext(gettext: Callable[[str], str]) -> Callable[..., Markup]:
    """The templates' ``_``, as Jinja's new-style gettext does it (the translation is
    trusted markup, the values put into it are escaped, ``%%`` is a percent sign), each
    word translated once per process: a page says 30 to 60 of them."""
    translated: dict[str, Markup] = {}

    def remembered(message: str, **values: Any) -> Markup:
        found = translated.get(message)
        if found is None:
            found = translated[message] = Markup(gettext(message))
        return found % values

    return remembered


def translator(request: Request):  # noqa: ANN201 - a gettext function
    """The page's ``_`` for words made in Python (a flash message, an error)."""
    return _catalog(page_language(request)).gettext


def render_part(language: str, template: str, context: dict[str, Any]) -> Markup:
    """A part of a page, the same for every reader of ``language`` (no token, no cookie):
    ready to be put into a page as it is (public/rendered.py keeps such parts)."""
    return Markup(_environment(language).get_template(template).render(context))


class _CsrfToken:
    """The page's CSRF token, worked out (and the browser's cookie made) only if the page
    prints it: a page without a form costs no signature and sets no cookie."""

    def __init__(self, request: Request) -> None:
        self._request = request
        self._value: str | None = None
        self.new_cookie: str | None = None

    def __str__(self) -> str:
        if self._value is None:
            self._value, self.new_cookie = csrf.token_for(self._request)
        return self._value

    def __html__(self) -> str:
        return str(self)  # a hex signature: nothing to escape


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """``template`` filled with ``context`` in the reader's language, with what every page
    needs: the language, the CSRF token for its forms, the hub's version."""
    language = page_language(request)
    token = _CsrfToken(request)
    values = {
        "request": request,
        "language": language,
        "html_lang": HTML_LANG[language],
        "csrf_token": token,
        "version": __version__,
        **(context or {}),
    }
    body = _environment(language).get_template(template).render(values)
    response = HTMLResponse(body, status_code=status_code, headers=PAGE_HEADERS)
    if token.new_cookie:
        csrf.set_cookie(request, response, token.new_cookie)
    if request.query_params.get("lang") in ("en", "zh_CN", "zh-CN"):
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, samesite="lax", httponly=True)
    return response
