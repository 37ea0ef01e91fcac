"""Test-suite support: let Django's table flush empty the audit table between transactional tests.

Only ``tests/conftest.py`` uses this. It switches the database's maintenance flag on for the
duration of one flush; ordinary code paths never see it on.
"""

from contextlib import contextmanager


@contextmanager
def audit_maintenance(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET audit.maintenance = 'on'")
        else:
            cursor.execute("INSERT INTO audit_maintenance (flag) VALUES (1)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("RESET audit.maintenance")
            else:
                cursor.execute("DELETE FROM audit_maintenance")
