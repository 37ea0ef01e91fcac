"""Election-day, tally, comparison and results pages: scoped (anonymous / other area / own area), and the
main flow through the pages: two clerks enter a sheet, one difference resolved, results computed and
certified, the notice linked."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ballots.choices import SheetStatus
from ballots.models import RoundResult, TallySheet
from ballots.selectors import vote_lines
from election_admin.choices_cycles import Stage
from election_admin.models import Document, DocumentKind, Election
from tests.ballots.helpers import FIGURES, count_village, good_votes
from tests.permissions import assert_scoped_get


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def village(county_user, regions):
    return count_village(county_user, regions)


def _post_data(village, votes, figures=FIGURES, version=""):
    data = {**{k: str(v) for k, v in figures.items()}, "expected_version": version}
    for line in vote_lines(village.election):
        data[line.field] = str(votes.get(line.key, 0))
    return data


def test_pages_are_scoped(client, village, township_user, neighbour_township_user):
    election = village.election
    box = village.boxes[0]
    assert_scoped_get(
        client,
        reverse("ballots_election_day", args=[election.pk]),
        own=township_user,
        other=neighbour_township_user,
        contains=box.label,
    )
    assert_scoped_get(
        client,
        reverse("ballots_tally_entry", args=[box.pk]),
        own=township_user,
        other=neighbour_township_user,
    )
    assert_scoped_get(
        client,
        reverse("ballots_results", args=[election.pk]),
        own=township_user,
        other=neighbour_township_user,
    )
    client.force_login(township_user)
    page = client.get(reverse("election_detail", args=[election.pk]))
    assert reverse("ballots_election_day", args=[election.pk]) in page.content.decode()


def test_entry_form_fields_start_blank(client, village, township_user):
    client.force_login(township_user)
    page = client.get(reverse("ballots_tally_entry", args=[village.boxes[0].pk])).content.decode()
    assert 'name="voted"' in page and 'name="voted" value' not in page
    assert "张明" in page


def test_main_flow_through_the_pages(
    client, village, township_user, village_clerk, county_user, django_capture_on_commit_callbacks
):
    election = village.election
    box = village.boxes[0]
    votes = good_votes(village)
    url = reverse("ballots_tally_entry", args=[box.pk])
    client.force_login(township_user)
    assert client.post(url, _post_data(village, votes)).status_code == 302
    client.force_login(village_clerk)
    wrong = {**votes, village.key("张明"): 11}
    assert client.post(url, _post_data(village, wrong)).status_code == 302
    sheet = TallySheet.objects.get(box=box)
    assert sheet.status == SheetStatus.MISMATCH
    compare = reverse("ballots_tally_compare", args=[sheet.pk])
    page = client.get(compare).content.decode()
    assert page.count('data-testid="differs"') == 1 and 'data-testid="resolve-form"' not in page
    client.force_login(county_user)
    assert 'data-testid="resolve-form"' in client.get(compare).content.decode()
    response = client.post(compare, {**_post_data(village, votes), "note": "核对原始计票单"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.AGREED
    client.force_login(township_user)
    client.post(reverse("ballots_results_compute", args=[election.pk]))
    result = RoundResult.objects.get(election=election)
    page = client.get(reverse("ballots_results", args=[election.pk])).content.decode()
    assert "张明" in page and "当选" in page
    Election.objects.filter(pk=election.pk).update(election_day=timezone.localdate())  # polling day is today
    client.post(reverse("ballots_results_certify", args=[result.pk]), {})
    result.refresh_from_db()
    assert not result.is_certified  # no confirmation, nothing happens
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ballots_results_certify", args=[result.pk]), {"confirmed": "on"})
    result.refresh_from_db()
    assert result.is_certified
    election.refresh_from_db()
    assert election.stage == Stage.RESULTS_CERTIFIED
    notice = Document.objects.get(kind=DocumentKind.RESULT_NOTICE)
    page = client.get(reverse("ballots_results", args=[election.pk])).content.decode()
    assert reverse("document_download", args=[notice.pk]) in page


def test_write_in_lines_on_the_entry_form(client, village, township_user, village_clerk):
    """另选他人: a name written in with its votes is saved under its write-in key and shown again."""
    box = village.boxes[0]
    url = reverse("ballots_tally_entry", args=[box.pk])
    votes = good_votes(village)
    data = {**_post_data(village, votes), "wi_member_0_name": " 孙  伟 ", "wi_member_0_votes": "3"}
    client.force_login(township_user)
    page = client.get(url).content.decode()
    assert 'name="wi_member_0_name"' in page and 'name="wi_chair_1_votes"' in page
    assert client.post(url, data).status_code == 302
    entry = TallySheet.objects.get(box=box).entries.get()
    assert entry.votes["member|write_in:孙 伟"] == 3
    page = client.get(url).content.decode()
    assert 'value="孙 伟"' in page
    missing = {**_post_data(village, votes), "wi_chair_0_name": "郑丽", "expected_version": entry.version}
    assert client.post(url, missing).status_code == 200
    client.force_login(village_clerk)
    assert client.post(url, data).status_code == 302
    sheet = TallySheet.objects.get(box=box)
    assert sheet.status == SheetStatus.AGREED and sheet.votes["member|write_in:孙 伟"] == 3
