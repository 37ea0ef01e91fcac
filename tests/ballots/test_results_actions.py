"""Results actions: a certified result whose notice was never made (the broker was down) gets it on request
— scoped, audited, idempotent; certified results are read-only in the database itself (raw SQL refused);
results go from computed straight to certified by the township (no separate "reviewed" status)."""

import json

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from audit.models import AuditEvent
from ballots.choices import ResultStatus
from ballots.models import RoundResult
from ballots.services.results import results_certify, results_compute
from election_admin.models import Document, DocumentKind
from tests.ballots.helpers import count_village, enter_twice, good_votes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def computed(county_user, township_user, village_clerk, regions):
    village = count_village(county_user, regions)
    enter_twice(township_user, village_clerk, village.boxes[0], votes=good_votes(village))
    return results_compute(actor=township_user, election=village.election)


@pytest.fixture
def certified(computed, township_user):
    """Certified while the broker was down: the commit callback that enqueues the notice never ran."""
    return results_certify(
        actor=township_user, result=computed, confirmed=True, today=computed.election.election_day
    )


def test_notice_requested_again_once(client, certified, township_user, django_capture_on_commit_callbacks):
    url = reverse("ballots_results", args=[certified.election_id])
    client.force_login(township_user)
    assert not Document.objects.filter(kind=DocumentKind.RESULT_NOTICE).exists()
    page = client.get(url).content.decode()
    assert 'data-testid="notice-request-form"' in page and 'data-testid="notice-link"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ballots_result_notice", args=[certified.pk]))
    notice = Document.objects.get(kind=DocumentKind.RESULT_NOTICE)
    assert notice.subject_id == str(certified.pk) and len(notice.sha256) == 64
    page = client.get(url).content.decode()
    assert 'data-testid="notice-link"' in page and 'data-testid="notice-request-form"' not in page
    event = AuditEvent.objects.get(event_type="results.notice_requested")
    assert event.actor_id == township_user.pk and event.region_code == certified.election.region_id
    # asked again: the stored notice, nothing new
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ballots_result_notice", args=[certified.pk]))
    assert Document.objects.filter(kind=DocumentKind.RESULT_NOTICE).count() == 1
    assert AuditEvent.objects.filter(event_type="results.notice_requested").count() == 1


def test_notice_request_is_scoped_and_only_for_certified(
    client, computed, neighbour_township_user, township_user, city_user
):
    client.force_login(neighbour_township_user)
    assert client.post(reverse("ballots_result_notice", args=[computed.pk])).status_code == 404
    client.force_login(city_user)  # sees the village, does not take part in the count
    assert client.post(reverse("ballots_result_notice", args=[computed.pk])).status_code == 403
    client.force_login(township_user)
    response = client.post(reverse("ballots_result_notice", args=[computed.pk]), follow=True)
    assert "certified" in response.content.decode() or "确认" in response.content.decode()
    assert not Document.objects.filter(kind=DocumentKind.RESULT_NOTICE).exists()
    assert not AuditEvent.objects.filter(event_type="results.notice_requested").exists()


def raw_update(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_database_refuses_to_change_a_certified_result(computed, township_user):
    table = RoundResult._meta.db_table
    jsonb = "::jsonb" if connection.vendor == "postgresql" else ""
    # not certified yet: the figures may still change
    totals = json.dumps({**computed.totals, "checked": True})
    raw_update(f"UPDATE {table} SET totals = %s{jsonb} WHERE id = %s", [totals, computed.pk])
    certified = results_certify(
        actor=township_user, result=computed, confirmed=True, today=computed.election.election_day
    )
    for column, value, cast in (
        ("totals", '{"registered": 16, "voted": 15}', jsonb),
        ("outcome", "{}", jsonb),
        ("status", "computed", ""),
        ("version", 7, ""),
    ):
        with pytest.raises(IntegrityError, match="read-only"):
            raw_update(f"UPDATE {table} SET {column} = %s{cast} WHERE id = %s", [value, certified.pk])
    certified.refresh_from_db()
    assert certified.status == ResultStatus.CERTIFIED and certified.totals["voted"] == 14
    assert certified.totals["checked"] and certified.version == 1
    # a correction is a new version: only the old one's "current" flag changes
    corrected = results_compute(
        actor=township_user, election=certified.election, correction_reason="计票单第 2 页誊写错误"
    )
    assert corrected.version == 2 and corrected.status == ResultStatus.COMPUTED
    old = RoundResult.objects.get(pk=certified.pk)
    assert not old.is_current and old.status == ResultStatus.CERTIFIED


def test_results_go_from_computed_to_certified():
    assert [s.value for s in ResultStatus] == ["computed", "certified"]
