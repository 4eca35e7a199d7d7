"""Talking to the hub: the outbox of local changes, protocol types, the HTTP client."""
