"""Celery tasks of voter rolls: thin, take ids, call a service, report through a Job row."""

from celery import shared_task

from election_admin.services import jobs as job_services


def _already_succeeded(job_id: int) -> bool:
    """A redelivered task (acks_late) of a job that has finished: nothing to do again."""
    from election_admin.models import Job

    return Job.objects.filter(pk=job_id, status="succeeded").exists()


@shared_task(bind=True, acks_late=True)
def roll_import_check_task(self, import_id: int, job_id: int) -> None:
    """Check an uploaded roll file in the background (读取、校验、查重); safe to run twice."""
    from .services.imports import roll_import_check, roll_import_fail

    job_services.job_started(job_id=job_id, task_id=self.request.id or "")
    try:
        roll_import_check(import_id=import_id, job_id=job_id)
    except Exception as error:
        roll_import_fail(import_id=import_id, job_id=job_id, message=f"{type(error).__name__}: {error}")
        raise


@shared_task(bind=True, acks_late=True)
def voter_cards_task(self, job_id: int, election_id: int, user_id: int) -> None:
    """Make the voter cards of a roll in the background (选民证): a large community has 30,000 of them."""
    from .services.cards import voter_cards_job

    job_services.job_started(job_id=job_id, task_id=self.request.id or "")
    try:
        voter_cards_job(job_id=job_id, election_id=election_id, user_id=user_id)
    except Exception as error:
        job_services.job_failed(job_id=job_id, message=f"{type(error).__name__}: {error}")
        raise


@shared_task(bind=True, acks_late=True)
def roll_import_apply_task(self, import_id: int, job_id: int, user_id: int) -> None:
    """Write a confirmed roll file in the background (导入) in one transaction; safe to run twice."""
    from .services.imports import roll_import_apply_fail, roll_import_apply_job

    if _already_succeeded(job_id):
        return
    job_services.job_started(job_id=job_id, task_id=self.request.id or "")
    try:
        roll_import_apply_job(import_id=import_id, job_id=job_id, user_id=user_id)
    except Exception as error:
        roll_import_apply_fail(import_id=import_id, job_id=job_id, message=f"{type(error).__name__}: {error}")
        raise


@shared_task(bind=True, acks_late=True)
def roll_publish_task(self, job_id: int, election_id: int, user_id: int) -> None:
    """Publish a roll in the background (公布选民名单): the notice PDF of a large roll takes seconds."""
    from .services.publication import roll_publish_job

    if _already_succeeded(job_id):
        return
    job_services.job_started(job_id=job_id, task_id=self.request.id or "")
    try:
        roll_publish_job(job_id=job_id, election_id=election_id, user_id=user_id)
    except Exception as error:
        job_services.job_failed(job_id=job_id, message=f"{type(error).__name__}: {error}")
        raise
