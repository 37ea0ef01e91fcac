"""The database itself refuses to change a certified result (确认后的选举结果只读): an UPDATE of a certified
RoundResult that touches its figures, outcome, status, round, version or certification is refused; a
correction is a new version (only ``is_current`` of the old one may change). Deleting is left to the
foreign keys (PROTECT) so that the test suite's flush still works.

Installed after every ``migrate`` (``post_migrate``, idempotent) rather than by a migration of its own:
SQLite rebuilds a table when a later migration alters it, which drops its triggers; re-installing after
each migrate keeps the rule in place on both PostgreSQL and SQLite.

The same goes for the counts a tally sheet and a count board keep as JSON (votes per candidate, ballots
void for one post): the database refuses any that is not a whole number from 0 to ``MAX_COUNT``; and for
a count-board ballot's marks and written-in names, which must map each post to a list of texts.
"""

from __future__ import annotations

from .choices import MAX_COUNT

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


# --- Counts kept as JSON (``"post|person" -> votes``) are whole numbers from 0 to MAX_COUNT ----------
# The tally form refuses anything else (ballots/forms.py); these triggers make the database refuse a
# negative, fractional, textual or absurd count written behind the form's back, as the CHECK constraints
# do for the figures in their own columns.
COUNTS_MESSAGE = "counts must be whole numbers from 0 to 999999"
COUNT_COLUMNS = {
    "ballots_tallysheet": ("votes", "post_void"),
    "ballots_tallyentry": ("votes",),
    "ballots_liveboard": ("votes", "post_void"),  # the count board's running totals
}
# A count-board ballot's marks and written-in names: ``post -> [candidate id or name, …]``, all text.
LIST_MESSAGE = "marks must map each post to a list of texts"
LIST_COLUMNS = {"ballots_boardballot": ("marks", "write_ins")}


def _pg_bad_counts(column: str) -> str:
    return (
        f"jsonb_typeof(NEW.{column}) <> 'object' OR EXISTS (SELECT 1 FROM jsonb_each(NEW.{column}) AS e "
        "WHERE jsonb_typeof(e.value) <> 'number' OR (e.value)::numeric < 0 "
        f"OR (e.value)::numeric > {MAX_COUNT} OR (e.value)::numeric <> trunc((e.value)::numeric))"
    )


def _sqlite_bad_counts(column: str) -> str:
    return (
        f"json_type(NEW.{column}) IS NOT 'object' OR EXISTS (SELECT 1 FROM json_each(NEW.{column}) "
        f"WHERE type IS NOT 'integer' OR value < 0 OR value > {MAX_COUNT})"
    )


def _pg_bad_lists(column: str) -> str:
    return (
        f"jsonb_typeof(NEW.{column}) <> 'object' OR EXISTS (SELECT 1 FROM jsonb_each(NEW.{column}) AS e "
        "WHERE jsonb_typeof(e.value) <> 'array' OR EXISTS (SELECT 1 FROM jsonb_array_elements(e.value) AS x "
        "WHERE jsonb_typeof(x) <> 'string'))"
    )


def _sqlite_bad_lists(column: str) -> str:
    return (
        f"json_type(NEW.{column}) IS NOT 'object' OR EXISTS (SELECT 1 FROM json_each(NEW.{column}) AS e "
        "WHERE e.type IS NOT 'array' OR EXISTS (SELECT 1 FROM json_each(e.value) AS x "
        "WHERE x.type IS NOT 'text'))"
    )


def _json_check_pg(table: str, columns: tuple[str, ...], bad, message: str) -> str:
    name = f"{table}_counts_sane"
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    IF {" OR ".join(f"({bad(c)})" for c in columns)} THEN
        RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();
"""


def _json_check_sqlite(table: str, columns: tuple[str, ...], bad, message: str) -> list[str]:
    statements = []
    for event in ("INSERT", "UPDATE"):
        name = f"{table}_counts_sane_{event.lower()}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"""CREATE TRIGGER {name} BEFORE {event} ON {table}
               WHEN {" OR ".join(f"({bad(c)})" for c in columns)}
               BEGIN SELECT RAISE(ABORT, '{message}'); END""",
        ]
    return statements


def install(connection) -> None:
    """(Re)create the triggers on ``connection`` for the tables that exist."""
    if connection.vendor not in ("postgresql", "sqlite"):
        raise RuntimeError(f"No read-only trigger for database {connection.vendor}")
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if TABLE in tables:
            if connection.vendor == "postgresql":
                cursor.execute(PG_INSTALL)
            else:
                for statement in SQLITE_INSTALL:
                    cursor.execute(statement)
        checks = [(COUNT_COLUMNS, _pg_bad_counts, _sqlite_bad_counts, COUNTS_MESSAGE)]
        checks.append((LIST_COLUMNS, _pg_bad_lists, _sqlite_bad_lists, LIST_MESSAGE))
        for tables_columns, pg_bad, sqlite_bad, message in checks:
            for table, columns in tables_columns.items():
                if table not in tables:
                    continue
                if connection.vendor == "postgresql":
                    cursor.execute(_json_check_pg(table, columns, pg_bad, message))
                else:
                    for statement in _json_check_sqlite(table, columns, sqlite_bad, message):
                        cursor.execute(statement)


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    from django.db import connections

    install(connections[using])
