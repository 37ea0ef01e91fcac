"""Health of the background-task service (后台任务): is the Celery broker reachable, and enqueueing that
never turns a broker outage into a server error.

``broker_is_reachable`` is cached for ``BROKER_CHECK_SECONDS`` per process, so a page costs at most one
short connection attempt every half minute. ``task_enqueue`` is what ``transaction.on_commit`` callbacks
call: when the broker is down the job stays pending with a message saying so, and the request succeeds.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

BROKER_CHECK_SECONDS = 30
CONNECT_TIMEOUT_SECONDS = 1.0

_last_check: dict = {}


def broker_check_reset() -> None:
    """Forget the cached answer (tests, or after the broker's address changed)."""
    _last_check.clear()


def broker_is_reachable() -> bool:
    """True when no broker is configured (tasks run inline) or the broker answers a connection."""
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if not url:
        return True
    now = time.monotonic()
    cached = _last_check.get(url)
    if cached and now - cached[0] < BROKER_CHECK_SECONDS:
        return cached[1]
    reachable = _connect(url)
    _last_check[url] = (now, reachable)
    return reachable


def _connect(url: str) -> bool:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=CONNECT_TIMEOUT_SECONDS) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return True
    except Exception as error:  # any failure to connect means "not reachable"
        logger.warning("Celery broker unreachable: %s", type(error).__name__)
        return False


def _connection_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError

    errors: list[type[BaseException]] = [OperationalError, ConnectionError, TimeoutError]
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        errors += [RedisConnectionError, RedisTimeoutError]
    except ImportError:  # pragma: no cover - redis is installed with the broker
        pass
    return tuple(errors)


TASK_RECORD = "_task"  # key in Job.params: which task and ids to run, so the sweep can hand it over again


def job_task_id(job_id: int) -> str:
    """A Celery task id that names its job (``job-<id>-<random>``): the worker's claim reads it back."""
    return f"job-{job_id}-{uuid.uuid4().hex}"


def job_id_from_task_id(task_id: str | None) -> int | None:
    if not task_id or not task_id.startswith("job-"):
        return None
    number = task_id.split("-")[1]
    return int(number) if number.isdigit() else None


def _record_task(job_id: int, task, args: tuple) -> None:
    """Note on the Job which task runs it, with which ids, and when it was last handed over."""
    from django.db import transaction

    from .models import Job

    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return
        record = dict(job.params.get(TASK_RECORD) or {})
        record.update(
            name=task.name,
            args=list(args),
            enqueued_at=timezone.now().isoformat(),
            attempts=int(record.get("attempts", 0)) + 1,
        )
        job.params = {**job.params, TASK_RECORD: record}
        job.save(update_fields=["params"])


def task_enqueue(task, *args, job_id: int | None = None) -> bool:
    """``task.delay(*args)``, except that an unreachable broker is logged and noted on the Job (which
    stays pending) instead of raising. Returns whether the task was handed over (or run inline).

    With a ``job_id`` the task and its ids are recorded on the Job first (``params["_task"]``), so
    ``jobs_requeue`` hands a job that never started over again once the broker is back, and the task id
    names the job, so a worker runs a job at most once at a time (``election_admin.celery.ClaimedTask``)."""
    from .celery import app

    if app.conf.task_always_eager:
        task.delay(*args)  # inline: a failure of the task itself must still be seen
        return True
    options = {}
    if job_id is not None:
        _record_task(job_id, task, args)
        options["task_id"] = job_task_id(job_id)
    try:
        task.apply_async(args=args, retry=False, **options)
        return True
    except _connection_errors() as error:
        logger.error(
            "Could not enqueue %s (job %s): broker unreachable (%s)", task.name, job_id, type(error).__name__
        )
        _last_check[getattr(settings, "CELERY_BROKER_URL", "")] = (time.monotonic(), False)
        if job_id is not None:
            from .services.jobs import job_message

            job_message(job_id=job_id, message=str(BROKER_DOWN_MESSAGE))
        return False


BROKER_DOWN_MESSAGE = _(
    "Not started yet: the background-task service is unreachable. It starts by itself within a few "
    "minutes of the service coming back; there is no need to request it again."
)
REQUEUED_MESSAGE = _("Handed to the background-task service again (attempt %(attempt)s).")

# --- Re-enqueue sweep (jobs_requeue) ---------------------------------------------------------------
REQUEUE_AFTER_SECONDS = 120
REQUEUE_BATCH = 500


@dataclass
class RequeueReport:
    """What one sweep did (``manage.py jobs_requeue`` prints it; the beat task logs it)."""

    broker_reachable: bool = True
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unknown_task: list[int] = field(default_factory=list)
    notices: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "broker_reachable": self.broker_reachable,
            "requeued": self.requeued,
            "failed": self.failed,
            "unknown_task": self.unknown_task,
            "notices": self.notices,
        }


def _stale_before(record: dict, cutoff) -> bool:
    from django.utils.dateparse import parse_datetime

    when = parse_datetime(record.get("enqueued_at") or "")
    return when is None or when <= cutoff


def task_by_name(name: str):
    """The registered task called ``name`` (importing ``<app>.tasks`` of an installed app if needed, as a
    web process or management command has not imported the task modules), or None."""
    import importlib

    from django.apps import apps

    from .celery import app

    if name in app.tasks:
        return app.tasks[name]
    module = name.rpartition(".")[0]
    if module not in {f"{config.name}.tasks" for config in apps.get_app_configs()}:
        return None
    try:
        importlib.import_module(module)
    except ImportError:
        return None
    return app.tasks.get(name)


def jobs_requeue(
    *, older_than_seconds: int = REQUEUE_AFTER_SECONDS, limit: int = REQUEUE_BATCH, dry_run: bool = False
) -> RequeueReport:
    """Hand pending jobs that never started back to the broker (后台任务补发).

    A job qualifies when it is still pending (no worker ever started it), was created and last handed over
    more than ``older_than_seconds`` ago, and carries its task record (``params["_task"]``). Rows are
    claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` and their hand-over time is stamped in the same
    transaction, so two sweeps never hand the same job over twice; a duplicate message that still reaches
    a worker is dropped by the worker's claim (``ClaimedTask``). Does nothing while the broker is down.
    Also re-enqueues the result notice (选举结果公告) of certified results that have none for their
    version (the certification enqueued it while the broker was down)."""
    from django.db import transaction

    from .choices_cycles import JobStatus
    from .models import Job

    report = RequeueReport()
    broker_check_reset()
    if not broker_is_reachable():
        report.broker_reachable = False
        return report
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    handed: list[tuple[int, object, list]] = []
    with transaction.atomic():
        rows = (
            Job.objects.select_for_update(skip_locked=True)
            .filter(status=JobStatus.PENDING, started_at__isnull=True, created_at__lte=cutoff)
            .order_by("created_at")[:limit]
        )
        for job in rows:
            record = job.params.get(TASK_RECORD) or {}
            task = task_by_name(record.get("name", ""))
            if task is None:
                report.unknown_task.append(job.pk)
                continue
            if not _stale_before(record, cutoff):
                continue
            if dry_run:
                report.requeued.append(job.pk)
                continue
            attempt = int(record.get("attempts", 0)) + 1
            record = {**record, "enqueued_at": timezone.now().isoformat(), "attempts": attempt}
            job.params = {**job.params, TASK_RECORD: record}
            job.messages = [*job.messages, str(REQUEUED_MESSAGE % {"attempt": attempt})]
            job.save(update_fields=["params", "messages"])
            handed.append((job.pk, task, record.get("args", [])))
    for job_id, task, args in handed:  # after the commit: the worker must see the stamped row
        try:
            task.apply_async(args=args, retry=False, task_id=job_task_id(job_id))
            report.requeued.append(job_id)
        except _connection_errors() as error:
            logger.error("Re-enqueue of job %s failed: %s", job_id, type(error).__name__)
            report.failed.append(job_id)
    report.notices = _notices_requeue(cutoff=cutoff, limit=limit, dry_run=dry_run)
    if report.requeued or report.failed or report.notices:
        logger.info("jobs_requeue: %s", report.as_dict())
    return report


NOTICE_LOOKBACK_DAYS = 7


def _notices_requeue(*, cutoff, limit: int, dry_run: bool) -> list[int]:
    """Results certified in the last week (and before ``cutoff``) without a result notice for their
    version → the notice task again. A per-version stamp in the cache keeps a backlog from being enqueued
    again at every sweep; the notice itself is idempotent (one document per version)."""
    from django.apps import apps
    from django.core.cache import cache
    from django.db.models import CharField, Exists, OuterRef, Value
    from django.db.models.functions import Cast, Concat

    if not apps.is_installed("ballots"):
        return []
    from ballots.models import RoundResult
    from ballots.tasks import result_notice_task

    from .models import Document, DocumentKind

    notice = Document.objects.filter(
        kind=DocumentKind.RESULT_NOTICE,
        subject_type=RoundResult._meta.label_lower,
        subject_id=Cast(OuterRef("pk"), CharField()),
        data_version=Concat(
            Value("result-"),
            Cast(OuterRef("pk"), CharField()),
            Value("-v"),
            Cast(OuterRef("version"), CharField()),
        ),
    )
    missing = (
        RoundResult.objects.filter(
            status="certified",
            is_current=True,
            certified_at__lte=cutoff,
            certified_at__gte=timezone.now() - timedelta(days=NOTICE_LOOKBACK_DAYS),
        )
        .filter(~Exists(notice))
        .order_by("certified_at")
        .values_list("pk", "version")[:limit]
    )
    stamp_seconds = max(int((timezone.now() - cutoff).total_seconds()) * 5, 300)
    sent: list[int] = []
    for result_id, version in missing:
        if dry_run:
            sent.append(result_id)
            continue
        stamp = f"jobs_requeue:notice:{result_id}:v{version}"
        if not cache.add(stamp, 1, timeout=stamp_seconds):
            continue
        try:
            result_notice_task.apply_async(args=[result_id], retry=False)
        except _connection_errors():
            cache.delete(stamp)
            break
        sent.append(result_id)
    return sent


def broker_status(request):
    """Context processor: ``background_tasks_delayed`` is true when a configured broker does not answer."""
    return {"background_tasks_delayed": not broker_is_reachable()}


# --- Database outage (PostgreSQL restarting, failover) ---------------------------------------------
DATABASE_DOWN_PAGE = """<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>{body}</p><p>{retry}</p></body></html>"""


class DatabaseUnavailableMiddleware:
    """A view that loses its database connection (PostgreSQL restarting, a failover) answers 503 with a
    short page saying nothing was saved and to go back and save again — not the 500 "system error" page.
    Its transaction was rolled back, so nothing half-saved remains; the next request reconnects
    (``CONN_HEALTH_CHECKS``), no restart of the web server needed. Plain HTML: no template, no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError
        from django.http import HttpResponse
        from django.utils.html import escape

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error(
            "Database unavailable during %s %s: %s", request.method, request.path, type(exception).__name__
        )
        page = DATABASE_DOWN_PAGE.format(
            title=escape(_("The database is briefly unavailable")),
            body=escape(
                _(
                    "Nothing was saved from this page. Go back (your typed figures are still in the form) and "
                    "save again in a minute."
                )
            ),
            retry=escape(_("If this lasts more than a few minutes, tell the county system administrator.")),
        )
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "30"
        return response
