"""The hub's FastAPI application. The database must be migrated first (the CLI does it
before any command; tests do it in their fixtures)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from windowdesk import __version__
from windowdesk.hub.api import (
    application_routes,
    backoffice_routes,
    blob_routes,
    case_page_routes,
    form_routes,
    hall_routes,
    report_routes,
    sync_routes,
)
from windowdesk.hub.api.enrolled_tokens import EnrolledTokens
from windowdesk.hub.api.errors import install_error_handlers
from windowdesk.hub.api.hub_id_header import HubIdHeader
from windowdesk.hub.api.limits import Limiters
from windowdesk.hub.api.push_gate import PushGate
from windowdesk.hub.api.request_gate import RequestGate
from windowdesk.hub.push_turns import PushTurns
from windowdesk.hub.services.figure_catchup import Catchup
from windowdesk.hub.settings import HubSettings
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.page_store import PageStore
from windowdesk.hub.web import mount_public, mount_web
from windowdesk.sync.protocol import API_PREFIX


def create_app(settings: HubSettings, *, database: HubDatabase | None = None) -> FastAPI:
    """The application for ``settings``; pass ``database`` to share one already open
    (it is then left open at shutdown), else the app opens its own and disposes of it."""
    owned = database is None
    db = database or HubDatabase(settings.database_url)
    # The report's figures of pushed cases, worked out while no push is applied.
    figures = Catchup(db)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.figures_catchup:
            figures.start()
        try:
            yield
        finally:
            figures.stop()
            if owned:
                db.dispose()

    app = FastAPI(
        title="windowdesk hub",
        version=__version__,
        description="The central server every windowdesk workstation syncs with (see windowdesk.sync.protocol).",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.figures = figures
    app.state.page_store = PageStore(settings.data_dir, min_free=settings.pages_min_free)
    app.state.limiters = Limiters.from_settings(settings)
    install_error_handlers(app)
    if settings.push_room:
        app.add_middleware(PushGate, turns=PushTurns(settings.push_room), enrolled=EnrolledTokens(db).knows)
    app.add_middleware(RequestGate)  # the first a request meets, after the hub id header
    app.add_middleware(HubIdHeader, db=db)  # added last: outermost, on every reply (the gate's refusals too)
    app.include_router(sync_routes.health_router, prefix=API_PREFIX)
    app.include_router(sync_routes.router, prefix=API_PREFIX)
    app.include_router(blob_routes.router, prefix=API_PREFIX)
    app.include_router(form_routes.router, prefix=API_PREFIX)  # the catalog's forms (issue 30)
    app.include_router(backoffice_routes.router, prefix=API_PREFIX)
    app.include_router(case_page_routes.router, prefix=API_PREFIX)
    app.include_router(application_routes.router, prefix=API_PREFIX)
    app.include_router(report_routes.router, prefix=API_PREFIX)
    app.include_router(hall_routes.router, prefix=API_PREFIX)
    mount_web(app)
    _describe_push_body(app)
    return app


def _describe_push_body(app: FastAPI) -> None:
    """The push route reads its body itself (either protocol version, push_body.py), so
    FastAPI does not know its models: they are added to the description's schemas."""
    describe = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            spec = describe()
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            for model in sync_routes.PUSH_BODY_MODELS:
                model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                schemas.update(model_schema.pop("$defs", {}))
                schemas[model.__name__] = model_schema
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_public_app(settings: HubSettings, *, database: HubDatabase | None = None) -> FastAPI:
    """The public pages alone (``serve --public-only``): guides, following and rating a
    case, and their stylesheet. No sync API, no console, no API documentation: a process
    behind the city's public proxy that has nothing else to expose."""
    owned = database is None
    db = database or HubDatabase(settings.database_url)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            db.dispose()

    app = FastAPI(
        title="windowdesk online service hall",
        version=__version__,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = db
    install_error_handlers(app)  # the pages' answers wrap these (web/errors.py)
    # The same cap on what a form may send as the full hub's (the online application's photos
    # included): without it a public-only process would read a body of any size.
    app.add_middleware(RequestGate)
    mount_public(app)
    return app
