import os

import pytest
from django.db.backends.base.operations import BaseDatabaseOperations

from audit.maintenance import audit_maintenance
from election_admin.choices import Role

from .factories import UserFactory, make_region_tree

# Django's flush between transactional tests (browser tests) empties every table, the audit log
# included; the append-only triggers refuse that unless the maintenance flag is on for the flush.
_original_execute_sql_flush = BaseDatabaseOperations.execute_sql_flush

# Data the migrations ship (rule sets, review departments…), put back after each flush so that a
# browser test does not leave the next test in its worker without it. tests/test_migrations_seed.py
# checks that every data migration of ours is listed here.
SEED_MIGRATIONS = [
    ("election_admin", "0003_shipped_rulesets", "ship"),
    ("election_admin", "0005_candidates_support", "ship"),
    ("election_admin", "0006_supervision_support", "ship"),
    ("election_admin", "0007_ruleset_counting_options", "ship"),
    ("candidates", "0002_seed_lists", "seed"),
]


def reseed_shipped_data() -> None:
    import importlib

    from django.apps import apps

    for app_label, migration, function in SEED_MIGRATIONS:
        module = importlib.import_module(f"{apps.get_app_config(app_label).name}.migrations.{migration}")
        getattr(module, function)(apps, None)


def _execute_sql_flush_with_audit_maintenance(self, sql_list):
    with audit_maintenance(self.connection):
        _original_execute_sql_flush(self, sql_list)
    reseed_shipped_data()


BaseDatabaseOperations.execute_sql_flush = _execute_sql_flush_with_audit_maintenance


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI nothing may be skipped (no browser, no Redis…): such a skip is reported as a failure."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped in CI, which must run every test: {report.longrepr}"


@pytest.fixture(scope="session", autouse=True)
def _celery_eager_by_default():
    """Tests run tasks inline unless they ask for the real worker (``celery_worker_real``)."""
    from election_admin.celery import app

    app.conf.task_always_eager = True
    yield


@pytest.fixture
def celery_worker_real(transactional_db, worker_id):
    """A real Celery worker (in a thread) consuming from Redis, on a queue of this xdist worker's own."""
    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker:
        pytest.skip("CELERY_BROKER_URL is not set: the real-worker tests need Redis (.ci/run sets it)")
    from celery.contrib.testing.worker import start_worker

    from election_admin.celery import app

    queue = f"test-{worker_id}-{os.getpid()}"
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        with start_worker(app, queues=[queue], pool="solo", perform_ping_check=False, loglevel="WARNING"):
            yield app
    finally:
        app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def regions(db):
    """A small real slice of 青海省 (see factories.REGION_TREE), keyed by code."""
    return make_region_tree()


@pytest.fixture
def township_user(regions):
    """Township staff of 大通县 桥头镇."""
    return UserFactory(username="qiaotou", role=Role.TOWNSHIP_STAFF, region=regions["630121100"])


@pytest.fixture
def neighbour_township_user(regions):
    """Township staff of 大通县 城关镇 — same county, other township."""
    return UserFactory(username="chengguan", role=Role.TOWNSHIP_STAFF, region=regions["630121101"])


@pytest.fixture
def village_clerk(regions):
    return UserFactory(username="yuanshuer", role=Role.VILLAGE_CLERK, region=regions["630121100201"])


@pytest.fixture
def county_user(regions):
    """大通县 civil-affairs bureau."""
    return UserFactory(username="datong", role=Role.COUNTY_BUREAU, region=regions["630121"])


@pytest.fixture
def neighbour_county_user(regions):
    """湟源县 civil-affairs bureau — same city, other county."""
    return UserFactory(username="huangyuan", role=Role.COUNTY_BUREAU, region=regions["630123"])


@pytest.fixture
def city_user(regions):
    return UserFactory(username="xining", role=Role.CITY_BUREAU, region=regions["6301"])


@pytest.fixture
def province_user(regions):
    return UserFactory(username="qinghai", role=Role.PROVINCE_BUREAU, region=regions["63"])


@pytest.fixture
def system_admin(regions):
    return UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN, region=None, is_staff=True)
