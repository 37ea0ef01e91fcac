"""The people elected are recorded from a real certification (the ballots app's signal), idempotently,
with ages on the election day and without ID numbers; the rebuild command gives the same rows."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEvent
from ballots.services.results import results_certify, results_compute
from election_admin.reporting.arithmetic import age_on
from election_admin.reporting.models import ElectedMember, ElectionDayFigures
from election_admin.reporting.selectors import member_statistics, round_statistics
from election_admin.reporting.services import members_record
from tests.ballots.helpers import count_village, enter_twice, good_votes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def certified(county_user, regions, township_user, village_clerk, django_capture_on_commit_callbacks):
    village = count_village(county_user, regions)
    enter_twice(township_user, village_clerk, village.boxes[0], votes=good_votes(village))
    election = village.election
    result = results_compute(actor=township_user, election=election)
    with django_capture_on_commit_callbacks(execute=True):
        results_certify(actor=township_user, result=result, confirmed=True, today=election.election_day)
    election.refresh_from_db()
    return village


def test_certification_records_the_people_elected(certified, regions):
    election = certified.election
    rows = {m.name: m for m in ElectedMember.objects.filter(election=election)}
    assert set(rows) == {"张明", "王芳", "陈静", "杨帆", "黄磊"}
    chair = rows["张明"]
    voter = certified.candidates["张明"].voter
    assert chair.post == "chair" and chair.elected_round == 1 and chair.cycle_id == election.cycle_id
    assert chair.id_hash == voter.id_hash and chair.id_hash != voter.id_masked
    assert chair.township_code == "630121100" and chair.city_code == "6301"
    assert (
        chair.age == age_on(voter.birth_date, election.election_day)
        and chair.election_day == election.election_day
    )
    assert AuditEvent.objects.filter(event_type="statistics.members_recorded").exists()
    figures = ElectionDayFigures.objects.get(election=election)
    assert figures.boxes == 1 and figures.mobile_boxes == 0 and figures.ballot_writer_voters is None
    stats = member_statistics(regions["630121100"], election.cycle)
    assert stats["committee"]["count"] == 5 and stats["chairs"]["count"] == 1
    rounds = round_statistics(regions["630121"], election.cycle)["committee"]
    assert rounds["elected"] == 1 and rounds["first_round_success"] == 1
    assert (rounds["registered"], rounds["voted"], rounds["turnout_pct"]) == (16, 14, 87.5)


def test_recording_again_and_the_rebuild_command_are_idempotent(certified):
    election = certified.election
    before = sorted(ElectedMember.objects.filter(election=election).values_list("name", "post", "age"))
    assert members_record(election=election) == 5
    call_command("statistics_rebuild", "--cycle", str(election.cycle_id))
    after = sorted(ElectedMember.objects.filter(election=election).values_list("name", "post", "age"))
    assert before == after and ElectedMember.objects.count() == 5


def test_a_runoff_adds_its_winner_in_round_two(
    county_user, regions, township_user, village_clerk, django_capture_on_commit_callbacks
):
    """Round 1 leaves a member seat open: its winners are recorded at once; the certified run-off adds
    its winner (elected in round 2), and the village counts as a run-off, not a first-round success."""
    from ballots.services.tally import tally_entry_save

    village = count_village(county_user, regions)
    votes = good_votes(village)
    votes[village.key("黄磊")] = 5  # not more than half of 14: one member seat left
    enter_twice(township_user, village_clerk, village.boxes[0], votes=votes)
    election = village.election
    first = results_compute(actor=township_user, election=election)
    with django_capture_on_commit_callbacks(execute=True):
        results_certify(actor=township_user, result=first, confirmed=True, today=election.election_day)
    assert ElectedMember.objects.filter(election=election).count() == 4
    runoff_votes = {village.key("黄磊"): 9, village.key("周敏"): 4}
    figures = {"voted": 14, "issued": 14, "returned": 14, "invalid": 1}
    for actor in (township_user, village_clerk):
        tally_entry_save(
            actor=actor, box=village.boxes[0], figures=figures, votes=runoff_votes, round_number=2
        )
    runoff = results_compute(
        actor=township_user, election=election, round_number=2, runoff_day=election.election_day
    )
    with django_capture_on_commit_callbacks(execute=True):
        results_certify(actor=township_user, result=runoff, confirmed=True, today=election.election_day)
    rows = {m.name: m.elected_round for m in ElectedMember.objects.filter(election=election)}
    assert len(rows) == 5 and rows["黄磊"] == 2 and rows["张明"] == 1
    election.refresh_from_db()
    stats = round_statistics(regions["630121"], election.cycle)["committee"]
    assert (stats["runoff"], stats["first_round_success"], stats["elected"]) == (1, 0, 1)


def test_election_page_links_to_its_people_elected_once_certified(certified, client, township_user):
    election = certified.election
    client.force_login(township_user)
    page = client.get(reverse("election_detail", args=[election.pk])).content.decode()
    link = reverse("statistics_election_members", args=[election.pk])
    assert f'href="{link}"' in page
    members_page = client.get(link).content.decode()
    assert "张明" in members_page and "黄磊" in members_page
    ElectedMember.objects.filter(election=election).delete()
    assert f'href="{link}"' not in client.get(reverse("election_detail", args=[election.pk])).content.decode()
