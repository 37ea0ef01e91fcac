"""Fault (#8-5): the same job enqueued twice (a double click, a redelivery, the re-enqueue sweep) gives one
result, and a job another worker is running is not started a second time — on the real Celery worker."""

import time

import pytest
from django.db import connection

from election_admin.celery import claimed
from election_admin.choices_cycles import JobStatus
from election_admin.health import job_task_id
from election_admin.models import Document, DocumentKind, Job
from election_admin.services.jobs import job_create
from tests.voter_helpers import register, village_election


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def cards_job(county_user, township_user, regions):
    election = village_election(county_user, regions)
    register(county_user, election, "张三", sequence=123)
    register(county_user, election, "李四", sequence=125)
    job = job_create(actor=township_user, kind="voter_cards", region=election.region, total=1)
    return job, election, township_user


def _wait_finished(job: Job, seconds: float = 60) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job still {job.status} after {seconds} s: {job.messages}")


def test_the_same_job_enqueued_twice_runs_once(celery_worker_real, cards_job):
    from voters.tasks import voter_cards_task

    job, election, user = cards_job
    first_id, second_id = job_task_id(job.pk), job_task_id(job.pk)
    first = voter_cards_task.apply_async(args=[job.pk, election.pk, user.pk], task_id=first_id)
    second = voter_cards_task.apply_async(args=[job.pk, election.pk, user.pk], task_id=second_id)
    first.get(timeout=60)
    second.get(timeout=60)  # delivered and answered: dropped by the worker's claim
    job = _wait_finished(job)
    assert job.status == JobStatus.SUCCEEDED
    assert job.celery_task_id == first_id  # the second delivery never started the job again
    assert Document.objects.filter(kind=DocumentKind.VOTER_CARDS).count() == 1


def test_a_job_running_elsewhere_is_not_started_again(celery_worker_real, cards_job):
    """While another worker holds the job's claim, a second delivery is dropped; the job is untouched."""
    from voters.tasks import voter_cards_task

    if connection.vendor != "postgresql":
        pytest.skip("the claim is a PostgreSQL advisory lock (CI runs on PostgreSQL)")
    job, election, user = cards_job
    with claimed(f"job:{job.pk}") as got:
        assert got
        voter_cards_task.apply_async(args=[job.pk, election.pk, user.pk], task_id=job_task_id(job.pk)).get(
            timeout=60
        )
        job.refresh_from_db()
        assert job.status == JobStatus.PENDING and job.started_at is None
        assert not Document.objects.filter(kind=DocumentKind.VOTER_CARDS).exists()
    # Claim released (the other worker died or finished without finishing the job): it runs.
    voter_cards_task.apply_async(args=[job.pk, election.pk, user.pk], task_id=job_task_id(job.pk)).get(
        timeout=60
    )
    assert _wait_finished(job).status == JobStatus.SUCCEEDED
    assert Document.objects.filter(kind=DocumentKind.VOTER_CARDS).count() == 1


def test_a_notice_enqueued_twice_is_stored_once(
    celery_worker_real, county_user, regions, township_user, village_clerk
):
    """A task without a job (the result notice) is claimed by its name and arguments."""
    from ballots.services.results import results_certify, results_compute
    from ballots.tasks import result_notice_task
    from tests.ballots.helpers import count_village, enter_twice, good_votes

    village = count_village(county_user, regions)
    enter_twice(township_user, village_clerk, village.boxes[0], votes=good_votes(village))
    result = results_compute(actor=township_user, election=village.election)
    result = results_certify(
        actor=township_user, result=result, confirmed=True, today=village.election.election_day
    )
    answers = [result_notice_task.apply_async(args=[result.pk]) for _ in range(3)]
    ids = {answer.get(timeout=90) for answer in answers}
    notices = Document.objects.filter(kind=DocumentKind.RESULT_NOTICE, data_version=f"result-{result.pk}-v1")
    assert notices.count() == 1
    assert ids == {notices.get().pk}
