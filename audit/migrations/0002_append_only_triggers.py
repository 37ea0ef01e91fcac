"""The database itself refuses to change or remove audit events.

PostgreSQL: a row trigger raises on UPDATE and DELETE; a statement trigger raises on TRUNCATE unless
the session has set ``audit.maintenance = 'on'`` (only the test suite's table flush does that; the
production database role should not hold TRUNCATE at all, docs/deployment.md).
SQLite: BEFORE UPDATE / BEFORE DELETE triggers abort; DELETE is let through only while a row exists
in ``audit_maintenance`` (again only the test suite's flush).
"""

from django.db import migrations

from audit.triggers import PG_BACKWARD, PG_FORWARD, SQLITE_BACKWARD, SQLITE_MAINTENANCE_TABLE, SQLITE_TRIGGERS


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in [SQLITE_MAINTENANCE_TABLE, *SQLITE_TRIGGERS]:
            schema_editor.execute(statement, params=None)
    else:
        raise RuntimeError(f"No append-only triggers for database {vendor}: only PostgreSQL and SQLite are supported")


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = [PG_BACKWARD] if vendor == "postgresql" else SQLITE_BACKWARD
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
