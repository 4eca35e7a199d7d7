"""Use cases: the only doorway the UI (and any script) has to data and rules."""
