"""Background work of the ballots app: thin tasks taking ids (enqueued with ``transaction.on_commit``)."""

from celery import shared_task


@shared_task
def result_notice_task(result_id: int) -> int | None:
    """Make the result notice of a certified result; safe to run twice (one document per version)."""
    from .models import RoundResult
    from .services.notices import result_notice_generate

    result = RoundResult.objects.filter(pk=result_id, status="certified").first()
    if result is None:
        return None
    return result_notice_generate(actor=None, result=result).pk


@shared_task(bind=True)
def tally_report_task(self, election_id: int, job_id: int) -> int | None:
    """Make the tally report of one election for the job's user."""
    from django.urls import reverse

    from election_admin.models import Election, Job
    from election_admin.services import jobs as job_services

    from .services.reports import tally_report_make

    job_services.job_started(job_id=job_id, task_id=self.request.id or "")
    try:
        actor = Job.objects.select_related("created_by").get(pk=job_id).created_by
        election = Election.objects.select_related("region", "cycle").get(pk=election_id)
        document = tally_report_make(actor=actor, election=election)
    except Exception as error:
        job_services.job_failed(job_id=job_id, message=f"{type(error).__name__}: {error}")
        raise
    job_services.job_succeeded(job_id=job_id, result_url=reverse("document_download", args=[document.pk]))
    return document.pk
