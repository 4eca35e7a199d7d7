"""The hub's storage: models, the database (SQLite or PostgreSQL) and its migrations."""
