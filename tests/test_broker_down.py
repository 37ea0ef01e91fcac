"""Redis (the Celery broker) down: pages still render with a banner, and enqueueing leaves the Job pending
with a message instead of a server error."""

import time

import pytest
from django.urls import reverse
from django.utils import translation

from election_admin import health
from election_admin.celery import app
from election_admin.choices_cycles import JobStatus
from election_admin.models import Job

UNUSED_BROKER = "redis://127.0.0.1:6390/0"
BANNER = 'data-testid="tasks-delayed"'


@pytest.fixture
def broker_down(settings, monkeypatch):
    """A broker nobody listens on, and the app not eager (as in production)."""
    settings.CELERY_BROKER_URL = UNUSED_BROKER
    monkeypatch.setenv("CELERY_BROKER_URL", UNUSED_BROKER)  # Celery's conf prefers the environment
    saved = (app.conf.broker_url, app.conf.task_always_eager, app._pool, app.amqp._producer_pool)
    app.conf.broker_url = UNUSED_BROKER
    app._pool = app.amqp._producer_pool = None  # connections made from the unused address
    app.conf.task_always_eager = False
    health.broker_check_reset()
    with translation.override("zh-hans"):
        yield
    app.conf.broker_url, app.conf.task_always_eager, app._pool, app.amqp._producer_pool = saved
    health.broker_check_reset()


def test_no_broker_configured_means_no_banner(client, township_user, settings):
    settings.CELERY_BROKER_URL = ""
    health.broker_check_reset()
    client.force_login(township_user)
    assert BANNER not in client.get(reverse("home")).content.decode()


def test_home_renders_with_the_banner_and_the_check_is_cached(
    client, township_user, broker_down, monkeypatch
):
    client.force_login(township_user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert BANNER in body and "后台任务暂时延迟：" in body
    calls = []
    monkeypatch.setattr(health, "_connect", lambda url: calls.append(url) or False)
    client.get(reverse("home"))
    assert calls == []  # answered from the 30-second cache


def test_enqueue_while_down_leaves_the_job_waiting(
    client, township_user, county_user, regions, broker_down, django_capture_on_commit_callbacks
):
    from tests.voter_helpers import village_election

    election = village_election(county_user, regions)
    client.force_login(township_user)
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("voter_cards", args=[election.pk]))
    assert time.perf_counter() - started < 15
    assert response.status_code == 302
    job = Job.objects.get(kind="voter_cards")
    assert job.status == JobStatus.PENDING
    assert any("暂时无法连接后台任务服务" in message for message in job.messages)
    page = client.get(response["Location"])
    assert page.status_code == 200 and BANNER in page.content.decode()
