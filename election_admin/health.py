"""Health of the background-task service (后台任务): is the Celery broker reachable, and enqueueing that
never turns a broker outage into a server error.

``broker_is_reachable`` is cached for ``BROKER_CHECK_SECONDS`` per process, so a page costs at most one
short connection attempt every half minute. ``task_enqueue`` is what ``transaction.on_commit`` callbacks
call: when the broker is down the job stays pending with a message saying so, and the request succeeds.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.utils.translation import gettext as _

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


def task_enqueue(task, *args, job_id: int | None = None) -> bool:
    """``task.delay(*args)``, except that an unreachable broker is logged and noted on the Job (which
    stays pending) instead of raising. Returns whether the task was handed over (or run inline)."""
    from .celery import app

    if app.conf.task_always_eager:
        task.delay(*args)  # inline: a failure of the task itself must still be seen
        return True
    try:
        task.apply_async(args=args, retry=False)
        return True
    except _connection_errors() as error:
        logger.error(
            "Could not enqueue %s (job %s): broker unreachable (%s)", task.name, job_id, type(error).__name__
        )
        _last_check[getattr(settings, "CELERY_BROKER_URL", "")] = (time.monotonic(), False)
        if job_id is not None:
            from .services.jobs import job_message

            job_message(
                job_id=job_id,
                message=_(
                    "Not started: the background-task service is unreachable. Request it again once the delay "
                    "notice at the top of the page is gone."
                ),
            )
        return False


def broker_status(request):
    """Context processor: ``background_tasks_delayed`` is true when a configured broker does not answer."""
    return {"background_tasks_delayed": not broker_is_reachable()}
