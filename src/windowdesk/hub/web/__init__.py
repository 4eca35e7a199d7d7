"""The hub's web pages: the console (``/console/``: department staff, supervisors,
administrators) and the public pages (residents, made first for a phone).

Server-rendered HTML (Jinja2 templates in ``templates/``, a stylesheet in ``static/``),
calling the same hub services as the CLI and the API: there is no second path to the
data. The pieces every page shares:

- :mod:`.templating`: the page's language (Chinese first, English second, the same
  catalogs as the windows) and rendering;
- :mod:`.csrf`: the token every form carries;
- :mod:`.secret`: the hub's own random key that signs cookies and tokens, shared by all
  worker processes.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).with_name("static")


def mount_web(app: FastAPI) -> None:
    """Adds the console's and the public pages' routes and the shared stylesheet."""
    from windowdesk.hub.web import console

    mount_public(app)
    app.include_router(console.router)


def mount_public(app: FastAPI) -> None:
    """The public pages, the stylesheet and the pages' error answers only (``serve
    --public-only`` serves just these)."""
    from windowdesk.hub.web import public
    from windowdesk.hub.web.errors import install_page_errors

    install_page_errors(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(public.router)
