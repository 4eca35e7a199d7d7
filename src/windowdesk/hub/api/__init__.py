"""The hub's HTTP API: routers, request checks (versions, tokens) and error bodies."""
