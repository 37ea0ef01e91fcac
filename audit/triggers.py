"""SQL for the triggers by which the database itself refuses to change or remove audit events.

PostgreSQL: a row trigger raises on UPDATE and DELETE; a statement trigger raises on TRUNCATE unless
the session has set ``audit.maintenance = 'on'`` (only the test suite's table flush does that; the
production database role should not hold TRUNCATE at all, docs/deployment.md).
SQLite: BEFORE UPDATE / BEFORE DELETE triggers abort; DELETE is let through only while a row exists
in ``audit_maintenance`` (again only the test suite's flush).
"""

PG_FORWARD = """
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused on audit_auditevent', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION audit_event_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('audit.maintenance', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: TRUNCATE refused on audit_auditevent'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_truncate();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_refuse_change();
DROP FUNCTION IF EXISTS audit_event_refuse_truncate();
"""

SQLITE_MAINTENANCE_TABLE = "CREATE TABLE IF NOT EXISTS audit_maintenance (flag integer NOT NULL)"

SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused on audit_auditevent'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused on audit_auditevent'); END""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
    "DROP TABLE IF EXISTS audit_maintenance",
]
