"""Notice commits made by other clerks on a server database, as ``PRAGMA data_version`` does on SQLite.

PostgreSQL has no data_version: a statement-level trigger on every table bumps one counter row
(``change_counter``), which becomes visible exactly when the writing transaction commits. Polling it costs
one tiny query. Tables added by later migrations get their trigger when the app next opens the database
(``ensure_change_triggers``), so no table is forgotten.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

TRIGGER = "taizhang_changes"
FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION taizhang_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE change_counter SET value = value + 1 WHERE id = 1;
    RETURN NULL;
END
$$
"""
SKIP = ("change_counter", "alembic_version")


def ensure_change_triggers(engine: Engine) -> int:
    """Give every table of a PostgreSQL database the counting trigger (idempotent); how many were added."""
    if engine.dialect.name != "postgresql":
        return 0
    with engine.begin() as conn:
        if conn.execute(text("SELECT to_regclass('change_counter')")).scalar() is None:
            return 0
        conn.execute(text(FUNCTION_SQL))
        conn.execute(text("INSERT INTO change_counter (id, value) VALUES (1, 0) ON CONFLICT (id) DO NOTHING"))
        missing = conn.execute(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'r' AND n.nspname = current_schema() AND c.relname <> ALL(:skip) "
                "AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = :trigger)"
            ),
            {"skip": list(SKIP), "trigger": TRIGGER},
        ).scalars()
        added = 0
        for table in list(missing):
            conn.execute(
                text(
                    f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
                    "FOR EACH STATEMENT EXECUTE FUNCTION taizhang_count_change()"
                )
            )
            added += 1
    return added


def change_count(conn: Connection) -> int | None:
    """The counter's value as committed now (None when the database has no counter yet)."""
    try:
        value = conn.execute(text("SELECT value FROM change_counter WHERE id = 1")).scalar()
    finally:
        conn.rollback()  # end the snapshot: the next read must see later commits
    return int(value) if value is not None else None
