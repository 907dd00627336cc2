"""Persistence: engine, models, migrations, queries and the built-in portfolio loader."""
