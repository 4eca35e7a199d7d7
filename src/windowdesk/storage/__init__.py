"""Local persistence: SQLAlchemy models, the unit of work, migrations and backups."""
