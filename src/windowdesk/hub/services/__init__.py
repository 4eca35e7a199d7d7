"""What the hub does, on an open SQLAlchemy session: the API and the CLI both call these.

Services raise windowdesk.hub.errors.HubError subclasses with plain words; they never
commit (the caller's transaction decides) and take the current time as an argument, so
tests can choose it.
"""
