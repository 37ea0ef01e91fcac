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


@shared_task
def jobs_requeue_task() -> dict:
    """Every minute (celery beat): hand pending jobs that never started back to the broker
    (``election_admin.health.jobs_requeue``); safe to run on several workers at once."""
    from .health import jobs_requeue

    return jobs_requeue().as_dict()
