"""Background job bookkeeping (后台任务): create, start, report progress, finish. Used by every Celery task."""

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone

from ..choices_cycles import JobStatus
from ..models import Job, Region


def job_create(*, actor, kind: str, region: Region, total: int = 0, params: dict | None = None) -> Job:
    """A job row the browser polls; the caller enqueues the task with ``transaction.on_commit``."""
    job = Job(kind=kind, region=region, created_by=actor, total=total, params=params or {})
    job.full_clean()
    job.save()
    return job


def job_started(*, job_id: int, task_id: str = "") -> None:
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), celery_task_id=task_id
    )


def job_progress(*, job_id: int, processed_increment: int) -> None:
    """Add to the processed count (inside the batch's transaction, so progress and work commit together)."""
    Job.objects.filter(pk=job_id).update(processed=Least(F("processed") + processed_increment, F("total")))


def job_message(*, job_id: int, message: str) -> None:
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        job.messages = [*job.messages, message]
        job.save(update_fields=["messages"])


def job_succeeded(*, job_id: int, result_url: str = "", message: str = "") -> None:
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        job.status = JobStatus.SUCCEEDED
        job.finished_at = timezone.now()
        job.processed = job.total
        job.result_url = result_url or job.result_url
        if message:
            job.messages = [*job.messages, message]
        job.save()


def job_failed(*, job_id: int, message: str) -> None:
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        job.status = JobStatus.FAILED
        job.finished_at = timezone.now()
        job.messages = [*job.messages, message]
        job.save()
