"""Every data migration of ours is re-applied after a transactional test's flush (tests/conftest.py)."""

import importlib

from django.apps import apps
from django.db import migrations

from tests.conftest import SEED_MIGRATIONS

LOCAL_APPS = ["election_admin", "voters", "candidates", "ballots", "supervision", "audit"]
# RunPython steps that change the schema (not data) and so survive a flush by themselves.
SCHEMA_STEPS = {
    ("audit", "0002_append_only_triggers"),
    ("voters", "0004_voter_registration_hash_first"),
}


def test_every_data_migration_is_reseeded_after_flush():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    listed = {(app, name) for app, name, _ in SEED_MIGRATIONS}
    unlisted = []
    for (app_label, name), migration in loader.disk_migrations.items():
        if app_label not in LOCAL_APPS or (app_label, name) in SCHEMA_STEPS:
            continue
        if (
            any(isinstance(op, migrations.RunPython) for op in migration.operations)
            and (app_label, name) not in listed
        ):
            unlisted.append(f"{app_label}.{name}")
    assert unlisted == [], "add these data migrations to SEED_MIGRATIONS in tests/conftest.py"


def test_seed_functions_exist():
    for app_label, name, function in SEED_MIGRATIONS:
        module = importlib.import_module(f"{apps.get_app_config(app_label).name}.migrations.{name}")
        assert callable(getattr(module, function))
