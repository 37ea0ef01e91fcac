"""Celery tasks of the election-cycle domain: thin, take ids, call a service, report through a Job row."""

from celery import shared_task

from .services import jobs as job_services


@shared_task(bind=True, acks_late=True)
def cycle_populate_task(self, job_id: int) -> int:
    """Create the elections of a large cycle (a city or province) in batches; safe to run twice."""
    from .services.cycles import cycle_populate

    job_services.job_started(job_id=job_id, task_id=self.request.id or "")
    try:
        return cycle_populate(job_id=job_id)
    except Exception as error:
        job_services.job_failed(job_id=job_id, message=f"{type(error).__name__}: {error}")
        raise
