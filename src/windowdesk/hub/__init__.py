"""windowdesk-hub: the central server every workstation syncs with.

Layers, dependencies pointing downwards only::

    cli.py, app.py     start-up: settings, migrations, the FastAPI application, uvicorn
    api/               HTTP: routers, headers, tokens, error bodies (schemas.py: every body)
    services/          what the hub does: push, change feed, enrollment, back office, admin
    storage/           SQLAlchemy models, engines (SQLite or PostgreSQL), migrations runner

The wire format is windowdesk.sync.protocol, shared with the client.
"""
