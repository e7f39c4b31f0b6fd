"""The portfolio database: SQLAlchemy models, engine, migrations, backups."""
