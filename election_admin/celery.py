"""The Celery application. With CELERY_BROKER_URL unset, settings make every task run eagerly.

Every task of the project (``@shared_task``) is a ``ClaimedTask``: before it runs on a worker it claims
its work, so a message delivered twice — enqueued twice, handed over again by ``jobs_requeue``, or
redelivered after a worker died (``acks_late`` + ``reject_on_worker_lost``) — never runs the same job
twice at the same time, and never again once the job is finished.

The claim is a PostgreSQL session advisory lock keyed by the job (task ids ``job-<id>-…``, see
``election_admin.health.task_enqueue``) or, for a task without a job, by its name and arguments. The lock
belongs to the worker's database session, so a worker killed with SIGKILL releases it with its
connection, and the redelivered message runs. On SQLite (tests, demo) only the "finished" check applies.
Inline (eager) runs are not claimed.

``CELERY_VISIBILITY_TIMEOUT`` (seconds, default 900) is how long Redis waits before handing a message
that a dead worker had taken to another worker (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from contextlib import contextmanager

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "election_admin.settings")

logger = logging.getLogger(__name__)


def claim_key(name: str) -> int:
    """A signed 64-bit advisory-lock key for a claim name."""
    digest = hashlib.blake2b(f"election_admin.claim:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def claimed(name: str):
    """Yields True when this session holds the claim ``name`` (released on exit), False when another
    session holds it. Without PostgreSQL every claim is granted."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield True
        return
    key = claim_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
            except Exception:  # noqa: BLE001 - a lost connection released the lock already
                logger.warning("Could not release claim %s (connection lost?)", name)


class ClaimedTask(Task):
    """Runs the task only if its job (or, without a job, its name + arguments) is claimed by this worker
    and the job is not finished. A skipped duplicate returns None and is logged."""

    def __call__(self, *args, **kwargs):
        request = self.request
        if getattr(request, "is_eager", False) or getattr(request, "called_directly", True):
            return super().__call__(*args, **kwargs)
        from .health import job_id_from_task_id

        job_id = job_id_from_task_id(getattr(request, "id", None))
        if job_id is not None:
            name = f"job:{job_id}"
        else:
            name = f"{self.name}:{json.dumps([list(args), kwargs], sort_keys=True, default=str)}"
        with claimed(name) as got:
            if not got:
                logger.warning("Skipped %s (%s): the same work is running on another worker", self.name, name)
                return None
            if job_id is not None and _job_finished(job_id):
                logger.warning("Skipped %s: job %s is already finished", self.name, job_id)
                return None
            return super().__call__(*args, **kwargs)


def _job_finished(job_id: int) -> bool:
    from .choices_cycles import JobStatus
    from .models import Job

    status = Job.objects.filter(pk=job_id).values_list("status", flat=True).first()
    return status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


app = Celery("election_admin", task_cls=ClaimedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")


def _transport_defaults() -> dict:
    """Redis hands a dead worker's message to another worker after ``CELERY_VISIBILITY_TIMEOUT`` seconds
    (default 900), checked every ``CELERY_RESTORE_INTERVAL`` × ``CELERY_RESTORE_THROTTLE`` seconds (kombu's
    defaults 10 × 10); settings' CELERY_BROKER_TRANSPORT_OPTIONS, if any, win."""
    return {
        "broker_transport_options": {
            "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "900")),
            "unacked_restore_interval": int(os.environ.get("CELERY_RESTORE_INTERVAL", "10")),
            "unacked_restore_throttle": int(os.environ.get("CELERY_RESTORE_THROTTLE", "10")),
        }
    }


app.add_defaults(_transport_defaults)
app.autodiscover_tasks()
