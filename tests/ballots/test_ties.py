"""Tie re-vote (再次投票): a worked example — 黄磊 and 周敏 tie for the last member seat with 9 votes each;
the first re-vote ties again (7 : 7), the second elects 黄磊 (8 : 6); the results are computed again
and can then be certified. Validation, audit, scope and the pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from ballots.models import RoundResult, TieRevoteRecord
from ballots.services.results import results_certify, results_compute
from ballots.services.ties import pending_ties, tie_revote_record
from election_admin.models import Election
from tests.ballots.helpers import count_village, enter_twice, good_votes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def tied(county_user, regions, township_user, village_clerk):
    village = count_village(county_user, regions)
    Election.objects.filter(pk=village.election.pk).update(election_day=timezone.localdate())
    village.election.refresh_from_db()
    votes = {
        **good_votes(village),
        village.key("陈静"): 11,
        village.key("杨帆"): 10,
        village.key("黄磊"): 9,
        village.key("周敏"): 9,
        village.key("吴刚"): 0,
    }
    enter_twice(township_user, village_clerk, village.boxes[0], votes=votes)
    village.result = results_compute(actor=township_user, election=village.election)
    return village


def pid(village, name):
    return str(village.candidates[name].pk)


def test_worked_tie_example(tied, township_user):
    result = tied.result
    assert not result.outcome["is_decided"]
    (tie,) = result.outcome["decision"]["ties"]
    assert tie["kind"] == "cutoff" and tie["post"] == "member" and tie["seats"] == 1 and tie["votes"] == 9
    assert sorted(tie["candidates"]) == sorted([pid(tied, "黄磊"), pid(tied, "周敏")])
    with pytest.raises(ValidationError, match="tie must be decided"):
        results_certify(actor=township_user, result=result, confirmed=True)

    today = timezone.localdate()
    huang, zhou = pid(tied, "黄磊"), pid(tied, "周敏")
    first = tie_revote_record(
        actor=township_user,
        result=result,
        tie_id=tie["id"],
        held_on=today,
        ballots=14,
        votes={huang: 7, zhou: 7},
    )
    assert not first.is_settled and first.attempt == 1
    result.refresh_from_db()
    assert not result.outcome["is_decided"]  # not recomputed: still tied
    (pending,) = pending_ties(result)
    assert len(pending.held) == 1 and set(pending.candidates) == {huang, zhou}

    second = tie_revote_record(
        actor=township_user,
        result=result,
        tie_id=tie["id"],
        held_on=today,
        ballots=14,
        votes={huang: 8, zhou: 6},
    )
    assert second.is_settled and second.chosen == [huang] and second.attempt == 2
    result = RoundResult.objects.get(election=tied.election, is_current=True)
    assert result.outcome["is_decided"] and not result.outcome["decision"]["ties"]
    members = [e["name"] for e in result.outcome["decision"]["elected"] if e["post"] == "member"]
    assert sorted(members) == sorted(["陈静", "杨帆", "黄磊"])
    assert any(r["code"] == "A20" for p in result.outcome["decision"]["posts"] for r in p["reasons"])
    assert AuditEvent.objects.filter(event_type="tie.revote_recorded").count() == 2
    results_certify(actor=township_user, result=result, confirmed=True)
    result.refresh_from_db()
    assert result.is_certified
    # Recomputing (a correction) keeps the re-vote: the same tie is settled by the same record.
    again = results_compute(actor=township_user, election=tied.election, correction_reason="复核")
    assert again.version == 2 and again.outcome["is_decided"]


def test_validation(tied, township_user, village_clerk, neighbour_township_user):
    result = tied.result
    tie_id = result.outcome["decision"]["ties"][0]["id"]
    huang, zhou = pid(tied, "黄磊"), pid(tied, "周敏")
    today = timezone.localdate()

    def record(actor=township_user, **kwargs):
        values = {"held_on": today, "ballots": 14, "votes": {huang: 8, zhou: 6}, **kwargs}
        return tie_revote_record(actor=actor, result=result, tie_id=tie_id, **values)

    with pytest.raises(ValidationError, match="Only the people tied"):
        record(votes={huang: 8, zhou: 6, pid(tied, "陈静"): 1})
    with pytest.raises(ValidationError) as error:
        record(votes={huang: -1, zhou: 6})
    assert f"p_{huang}" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        record(votes={huang: 15, zhou: 0})
    assert f"p_{huang}" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        record(held_on=today + timedelta(days=1))
    assert "held_on" in error.value.message_dict
    with pytest.raises(ValidationError, match="no such tie"):
        tie_revote_record(
            actor=township_user, result=result, tie_id="member:nothing", held_on=today, ballots=1, votes={}
        )
    with pytest.raises(PermissionDenied):
        record(actor=village_clerk)
    with pytest.raises(PermissionDenied):
        record(actor=neighbour_township_user)
    assert not TieRevoteRecord.objects.exists()


def test_results_page_and_tie_page(client, tied, township_user, village_clerk, neighbour_township_user):
    result = tied.result
    client.force_login(township_user)
    page = client.get(reverse("ballots_results", args=[tied.election.pk])).content.decode()
    assert 'data-testid="ties"' in page and "黄磊" in page and "周敏" in page
    url = reverse("ballots_tie_revote", args=[result.pk, 0])
    assert client.get(url).status_code == 200
    huang, zhou = pid(tied, "黄磊"), pid(tied, "周敏")
    today = timezone.localdate().isoformat()
    client.force_login(village_clerk)  # a village clerk enters the count but does not decide ties
    assert (
        client.post(url, {"held_on": today, "ballots": "14", f"p_{huang}": "5", f"p_{zhou}": "9"}).status_code
        == 403
    )
    client.force_login(township_user)
    response = client.post(url, {"held_on": today, "ballots": "14", f"p_{huang}": "-2", f"p_{zhou}": "6"})
    assert response.status_code == 200 and not TieRevoteRecord.objects.exists()
    again = client.post(url, {"held_on": today, "ballots": "14", f"p_{huang}": "7", f"p_{zhou}": "7"})
    assert again.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-testid="held"' in page and "黄磊 7" in page and "周敏 7" in page
    response = client.post(url, {"held_on": today, "ballots": "14", f"p_{huang}": "5", f"p_{zhou}": "9"})
    assert response.status_code == 302
    page = client.get(reverse("ballots_results", args=[tied.election.pk])).content.decode()
    assert 'data-testid="ties"' not in page
    elected = RoundResult.objects.get(election=tied.election, is_current=True).outcome["decision"]["elected"]
    assert "周敏" in [e["name"] for e in elected]
    client.force_login(neighbour_township_user)
    assert client.get(url).status_code == 404
