"""Celery task of the statistics: the workbook of a region and cycle (thin: ids in, a service does it)."""

from celery import shared_task

from election_admin.services import jobs as job_services


@shared_task(bind=True, acks_late=True)
def statistics_workbook_task(self, cycle_id: int, region_code: str, job_id: int | None = None) -> int:
    """Make and store the statistics workbook; the job's result link downloads it."""
    from django.urls import reverse

    from .services import statistics_workbook_make

    if job_id:
        job_services.job_started(job_id=job_id, task_id=self.request.id or "")
    try:
        from election_admin.models import Cycle, Job, Region

        actor = Job.objects.select_related("created_by").get(pk=job_id).created_by if job_id else None
        document = statistics_workbook_make(
            actor=actor, cycle=Cycle.objects.get(pk=cycle_id), region=Region.objects.get(code=region_code)
        )
    except Exception as error:
        if job_id:
            job_services.job_failed(job_id=job_id, message=f"{type(error).__name__}: {error}")
        raise
    if job_id:
        job_services.job_succeeded(
            job_id=job_id, result_url=reverse("document_download", args=[document.pk]), message=document.title
        )
    return document.pk
