"""The re-enqueue sweep (后台任务补发): a job requested while the broker was down is handed over again once
the broker is back — once per sweep interval, never when it started or finished, never by two sweeps at
once — from the beat task and from ``manage.py jobs_requeue``."""

import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from election_admin import health
from election_admin.celery import app
from election_admin.choices_cycles import JobStatus
from election_admin.models import Job
from tests.test_broker_down import broker_down  # noqa: F401 - fixture
from tests.voter_helpers import village_election

CARDS_TASK = "voters.tasks.voter_cards_task"


@pytest.fixture
def handed(monkeypatch):
    """The broker is back: connection checks succeed and every hand-over is recorded instead of sent."""
    calls: list[dict] = []
    monkeypatch.setattr(health, "_connect", lambda url: True)
    health.broker_check_reset()

    def record(task_name):
        def apply_async(args=None, kwargs=None, **options):
            calls.append({"task": task_name, "args": list(args or []), **options})

        return apply_async

    for name in (CARDS_TASK, "ballots.tasks.result_notice_task"):
        monkeypatch.setattr(health.task_by_name(name), "apply_async", record(name))
    return calls


@pytest.fixture
def waiting_job(client, township_user, county_user, regions, broker_down, django_capture_on_commit_callbacks):  # noqa: F811
    """The voter cards requested while Redis was down: a pending job with its task record."""
    election = village_election(county_user, regions)
    client.force_login(township_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("voter_cards", args=[election.pk]))
    job = Job.objects.get(kind="voter_cards")
    return job, election


def _age(job: Job, seconds: int) -> None:
    """Pretend the job was created and last handed over ``seconds`` ago."""
    job.refresh_from_db()
    past = timezone.now() - timedelta(seconds=seconds)
    record = {**job.params["_task"], "enqueued_at": past.isoformat()}
    Job.objects.filter(pk=job.pk).update(created_at=past, params={**job.params, "_task": record})


def test_waiting_job_is_handed_over_once_the_broker_is_back(waiting_job, township_user, handed):
    job, election = waiting_job
    assert job.status == JobStatus.PENDING
    assert job.params["_task"]["name"] == CARDS_TASK
    assert job.params["_task"]["args"] == [job.pk, election.pk, township_user.pk]
    assert any("服务恢复后几分钟内会自动开始" in m for m in job.messages)
    _age(job, 300)

    report = health.jobs_requeue(older_than_seconds=120)
    assert report.broker_reachable and report.requeued == [job.pk]
    assert len(handed) == 1
    assert handed[0]["args"] == [job.pk, election.pk, township_user.pk]
    assert handed[0]["task_id"].startswith(f"job-{job.pk}-")
    assert health.job_id_from_task_id(handed[0]["task_id"]) == job.pk
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING and job.params["_task"]["attempts"] == 2
    assert any("已重新提交给后台任务服务（第 2 次）" in m for m in job.messages)

    # The next sweep a minute later: just handed over, so not again …
    assert health.jobs_requeue(older_than_seconds=120).requeued == []
    assert len(handed) == 1
    # … but still waiting after the interval (the message was lost again): once more.
    _age(job, 300)
    assert health.jobs_requeue(older_than_seconds=120).requeued == [job.pk]
    assert len(handed) == 2


def test_nothing_is_handed_over_while_the_broker_is_down(waiting_job, monkeypatch):
    job, _election = waiting_job
    _age(job, 300)
    sent = []
    monkeypatch.setattr(health.task_by_name(CARDS_TASK), "apply_async", lambda *a, **k: sent.append(a))
    report = health.jobs_requeue(older_than_seconds=120)
    assert not report.broker_reachable and report.requeued == [] and sent == []
    with pytest.raises(CommandError, match="后台任务服务不可达"):
        call_command("jobs_requeue")


@pytest.mark.parametrize(
    "change",
    [
        {"status": JobStatus.RUNNING},
        {"status": JobStatus.SUCCEEDED},
        {"status": JobStatus.FAILED},
        {"started_at": timezone.now()},
    ],
    ids=["running", "succeeded", "failed", "started"],
)
def test_started_or_finished_jobs_are_left_alone(waiting_job, handed, change):
    job, _election = waiting_job
    _age(job, 300)
    Job.objects.filter(pk=job.pk).update(**change)
    assert health.jobs_requeue(older_than_seconds=120).requeued == []
    assert handed == []


def test_a_recent_job_waits_for_its_first_hand_over(waiting_job, handed):
    job, _election = waiting_job
    assert health.jobs_requeue(older_than_seconds=120).requeued == []
    assert handed == []


def test_a_job_without_a_task_record_is_reported_not_guessed(waiting_job, handed):
    job, _election = waiting_job
    _age(job, 300)
    Job.objects.filter(pk=job.pk).update(params={"election_id": 1})
    report = health.jobs_requeue(older_than_seconds=120)
    assert report.unknown_task == [job.pk] and report.requeued == [] and handed == []


def test_command_dry_run_and_run(waiting_job, handed, capsys):
    job, _election = waiting_job
    _age(job, 300)
    call_command("jobs_requeue", "--dry-run")
    assert f"would hand over 1 job(s): [{job.pk}]" in capsys.readouterr().out
    assert handed == []
    call_command("jobs_requeue")
    assert f"handed over 1 job(s): [{job.pk}]" in capsys.readouterr().out
    assert len(handed) == 1


def test_command_help_explains_itself():
    from election_admin.management.commands.jobs_requeue import Command

    text = Command().create_parser("manage.py", "jobs_requeue").format_help()
    assert "补发未开始的后台任务" in text and "--older-than" in text and "--dry-run" in text


def test_beat_runs_the_sweep_every_minute(settings, waiting_job, handed):
    from election_admin.tasks import jobs_requeue_task

    entry = settings.CELERY_BEAT_SCHEDULE["jobs-requeue"]
    assert entry["task"] == "election_admin.tasks.jobs_requeue_task" and entry["schedule"] == 60.0
    assert entry["task"] in app.tasks
    job, _election = waiting_job
    _age(job, 300)
    assert jobs_requeue_task.apply().get()["requeued"] == [job.pk]


def test_a_certified_result_without_its_notice_gets_it(
    county_user, regions, township_user, village_clerk, handed
):
    """The certification enqueued the notice while the broker was down: the sweep sends it again, once."""
    from ballots.services.results import results_certify, results_compute
    from tests.ballots.helpers import count_village, enter_twice, good_votes

    village = count_village(county_user, regions)
    enter_twice(township_user, village_clerk, village.boxes[0], votes=good_votes(village))
    result = results_compute(actor=township_user, election=village.election)
    results_certify(actor=township_user, result=result, confirmed=True, today=village.election.election_day)
    # (certified results are read-only, even to tests: the sweep is asked with no waiting time instead)
    from django.core.cache import cache

    cache.clear()
    assert health.jobs_requeue(older_than_seconds=0).notices == [result.pk]
    assert handed == [{"task": "ballots.tasks.result_notice_task", "args": [result.pk], "retry": False}]
    assert health.jobs_requeue(older_than_seconds=0).notices == []  # stamped: not every minute
    # Once the notice exists it is never asked for again.
    from ballots.tasks import result_notice_task

    cache.clear()
    result_notice_task(result.pk)
    assert health.jobs_requeue(older_than_seconds=0).notices == []


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_hand_a_job_over_once(
    client,
    township_user,
    county_user,
    regions,
    broker_down,  # noqa: F811
    handed,
):
    """A sweep holding a job row (SELECT … FOR UPDATE) makes the other sweep skip it (SKIP LOCKED)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (CI runs on it)")
    election = village_election(county_user, regions)
    client.force_login(township_user)
    client.post(reverse("voter_cards", args=[election.pk]))  # on_commit runs: transactional test
    handed.clear()
    job = Job.objects.get(kind="voter_cards")
    _age(job, 300)
    locked, release = threading.Event(), threading.Event()

    def other_sweep():
        with transaction.atomic():
            Job.objects.select_for_update().get(pk=job.pk)
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_sweep)
    thread.start()
    try:
        assert locked.wait(10)
        assert health.jobs_requeue(older_than_seconds=120).requeued == []
    finally:
        release.set()
        thread.join()
    assert handed == []
    assert health.jobs_requeue(older_than_seconds=120).requeued == [job.pk]
