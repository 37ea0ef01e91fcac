"""The database itself refuses to change a certified result (确认后的选举结果只读): an UPDATE of a certified
RoundResult that touches its figures, outcome, status, round, version or certification is refused; a
correction is a new version (only ``is_current`` of the old one may change). Deleting is left to the
foreign keys (PROTECT) so that the test suite's flush still works.

Installed after every ``migrate`` (``post_migrate``, idempotent) rather than by a migration of its own:
SQLite rebuilds a table when a later migration alters it, which drops its triggers; re-installing after
each migrate keeps the rule in place on both PostgreSQL and SQLite.
"""

from __future__ import annotations

TABLE = "ballots_roundresult"
TRIGGER = "ballots_roundresult_certified_read_only"
MESSAGE = "certified results are read-only: a correction is a new version"
GUARDED = (
    "status",
    "totals",
    "outcome",
    "election_id",
    "round_number",
    "version",
    "certified_by_id",
    "certified_at",
)

PG_INSTALL = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'certified' AND ({" OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in GUARDED)}) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE};
CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION {TRIGGER}();
"""

SQLITE_INSTALL = [
    f"DROP TRIGGER IF EXISTS {TRIGGER}",
    f"""CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON {TABLE}
       WHEN OLD.status = 'certified' AND ({" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in GUARDED)})
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]


def install(connection) -> None:
    """(Re)create the trigger on ``connection`` if the results table exists."""
    if TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_INSTALL)
        elif connection.vendor == "sqlite":
            for statement in SQLITE_INSTALL:
                cursor.execute(statement)
        else:
            raise RuntimeError(f"No read-only trigger for database {connection.vendor}")


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    from django.db import connections

    install(connections[using])
