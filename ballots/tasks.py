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


def _area_job(task, job_id: int, make) -> int | None:
    """Run ``make(actor, progress)`` for the job's user, reporting progress and the download on the job."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.urls import reverse

    from election_admin.models import Job
    from election_admin.services import jobs as job_services

    job_services.job_started(job_id=job_id, task_id=task.request.id or "")
    try:
        actor = Job.objects.select_related("created_by").get(pk=job_id).created_by

        def progress(done: int) -> None:
            from election_admin.models import Job as JobModel

            JobModel.objects.filter(pk=job_id, processed__lt=done, total__gte=done).update(processed=done)

        document = make(actor, progress)
    except (ValidationError, PermissionDenied) as error:  # said to the user on the job page, not a crash
        messages = getattr(error, "messages", None) or [str(error)]
        job_services.job_failed(job_id=job_id, message="；".join(str(m) for m in messages))
        return None
    except Exception as error:
        job_services.job_failed(job_id=job_id, message=f"{type(error).__name__}: {error}")
        raise
    job_services.job_succeeded(job_id=job_id, result_url=reverse("document_download", args=[document.pk]))
    return document.pk


@shared_task(bind=True)
def summary_workbook_task(self, cycle_id: int, area_code: str, job_id: int) -> int | None:
    """Make the summary workbook of an area (one row per village election) for the job's user."""
    from election_admin.models import Cycle, Region

    from .services.area_documents import summary_workbook_make

    def make(actor, progress):
        return summary_workbook_make(
            actor=actor,
            cycle=Cycle.objects.get(pk=cycle_id),
            area=Region.objects.get(code=area_code),
            progress=progress,
        )

    return _area_job(self, job_id, make)


@shared_task(bind=True)
def batch_notices_task(self, cycle_id: int, area_code: str, file_format: str, job_id: int) -> int | None:
    """Put every certified result notice of an area into one PDF or zip, making missing notices on the way."""
    from election_admin.models import Cycle, Region

    from .services.area_documents import batch_notices_make

    def make(actor, progress):
        return batch_notices_make(
            actor=actor,
            cycle=Cycle.objects.get(pk=cycle_id),
            area=Region.objects.get(code=area_code),
            file_format=file_format,
            progress=progress,
        )

    return _area_job(self, job_id, make)
