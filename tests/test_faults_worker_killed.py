"""Fault (#8-5): the Celery worker killed with SIGKILL in the middle of generating a result notice and a
tally report → the task runs again after Redis redelivers it, exactly one notice per result version and
one report, the Job finished. Runs ``scripts/faults/worker_killed.py`` (real workers as subprocesses, its
own scratch database on the PostgreSQL server and a queue of its own on Redis)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_worker_killed_mid_generation_the_work_is_redone_once():
    broker = os.environ.get("CELERY_BROKER_URL")
    if connection.vendor != "postgresql" or not broker:
        pytest.skip("needs PostgreSQL and Redis (DATABASE_URL, CELERY_BROKER_URL; CI sets both)")
    database_url = os.environ["DATABASE_URL"]
    finished = subprocess.run(
        [sys.executable, str(ROOT / "scripts/faults/worker_killed.py"), "--database-url", database_url,
         "--broker", broker],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    report = finished.stdout + finished.stderr[-3000:]
    assert finished.returncode == 0, report
    lines = {line.split("  ")[0].strip(): line for line in finished.stdout.splitlines()}
    notice = next(v for k, v in lines.items() if k.startswith("notice documents for the result version"))
    assert notice.rstrip().endswith("pass") and " 1 " in notice
    job = next(v for k, v in lines.items() if k.startswith("job status"))
    assert "succeeded" in job and job.rstrip().endswith("pass")
    assert "FAIL" not in finished.stdout
