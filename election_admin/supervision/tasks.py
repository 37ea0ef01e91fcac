"""Celery tasks of the supervision app: thin, take ids, call a service.

``weekly_reports_enqueue_task`` runs every Monday at 07:00 (``CELERY_BEAT_SCHEDULE`` in settings) and queues
one ``weekly_report_task`` per county and city with an open cycle; both are safe to run twice (a week's
report is made once)."""

from celery import shared_task
from django.utils import timezone

from election_admin.models import Job, Region
from election_admin.services import jobs as job_services


@shared_task(bind=True, acks_late=True)
def weekly_report_task(self, region_code: str, report_on: str = "", job_id: int | None = None) -> int:
    """Make the weekly report of one county or city (on demand: with the job row the page polls)."""
    from datetime import date

    from django.urls import reverse

    from .services.reports import weekly_report_make

    if job_id:
        job_services.job_started(job_id=job_id, task_id=self.request.id or "")
    try:
        region = Region.objects.get(code=region_code)
        actor = None
        if job_id:
            actor = Job.objects.select_related("created_by").get(pk=job_id).created_by
        report = weekly_report_make(
            actor=actor,
            region=region,
            report_on=date.fromisoformat(report_on) if report_on else timezone.localdate(),
        )
    except Exception as error:
        if job_id:
            job_services.job_failed(job_id=job_id, message=f"{type(error).__name__}: {error}")
        raise
    if job_id:
        job_services.job_succeeded(
            job_id=job_id,
            result_url=reverse("supervision_report_list", args=[region_code]),
            message=report.week,
        )
    return report.pk


@shared_task(acks_late=True)
def weekly_reports_enqueue_task(report_on: str = "") -> list[str]:
    """Celery beat, Mondays 07:00: one report task per county and city with an open cycle."""
    from .services.reports import regions_due_weekly_report

    day = report_on or timezone.localdate().isoformat()
    codes = regions_due_weekly_report()
    for code in codes:
        weekly_report_task.delay(code, day)
    return codes
