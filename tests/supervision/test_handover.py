"""Handover and departure (工作移交): due the rule set's days after the results (the seal the same day where
the rule set says so, 上海), items only after the new committee is elected, a late handover needs its reason
and shows as late, a complete one moves the election to "handed over"; departure certificates once."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from election_admin.choices_cycles import Body, Stage
from election_admin.models import Document, DocumentKind, Election, RuleSet
from election_admin.supervision.models import Handover
from election_admin.supervision.services.handover import (
    departure_certificates_make,
    handover_record,
    outgoing_members_set,
)
from tests.candidate_helpers import PROVINCE_UNITS, _open_cycle, province_county_user
from tests.voter_helpers import pdf_text

from .helpers import certified, datong_cycle, yuanshuer

TODAY = timezone.localdate()
DAY = TODAY - timedelta(days=20)  # election day, results the same day


@pytest.fixture(autouse=True)
def _english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


@pytest.fixture
def election(county_user, regions):
    cycle = datong_cycle(county_user, regions)
    return certified(county_user, yuanshuer(cycle), DAY)


def items(on):
    return {"seal_on": on, "accounts_on": on, "files_on": on, "assets_on": on}


def test_shipped_rule_sets_seal_same_day_only_in_shanghai(db):
    assert RuleSet.objects.get(province_code="31", revision=1).seal_same_day is True
    assert RuleSet.objects.get(province_code="", revision=1).seal_same_day is False
    assert "上海" in RuleSet.objects.get(province_code="31", revision=1).citations["seal_same_day"]


def test_handover_in_time_moves_the_election_to_handed_over(election, township_user):
    handover = handover_record(
        actor=township_user,
        election=election,
        audit_done_on=DAY - timedelta(days=40),
        audit_published_on=DAY - timedelta(days=36),
        audit_result="账目清楚，无违纪问题",
        **items(DAY + timedelta(days=3)),
    )
    assert handover.due_on() == DAY + timedelta(days=10)
    assert handover.completed_on == DAY + timedelta(days=3) and handover.days_late(TODAY) == 0
    election.refresh_from_db()
    assert election.stage == Stage.HANDED_OVER
    assert election.stage_dates[Stage.HANDED_OVER] == (DAY + timedelta(days=3)).isoformat()
    assert not election.exceptions


def test_partial_handover_keeps_the_stage_and_items_come_after_results(election, township_user):
    with pytest.raises(ValidationError) as caught:
        handover_record(actor=township_user, election=election, seal_on=DAY - timedelta(days=1))
    assert "seal_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        handover_record(
            actor=township_user,
            election=election,
            audit_published_on=DAY,
            accounts_on=TODAY + timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {"audit_published_on", "accounts_on"}
    handover_record(actor=township_user, election=election, seal_on=DAY)
    election.refresh_from_db()
    assert election.stage == Stage.RESULTS_CERTIFIED


def test_late_handover_needs_a_reason_and_shows_late(election, township_user):
    late = DAY + timedelta(days=13)
    with pytest.raises(ValidationError) as caught:
        handover_record(actor=township_user, election=election, **items(late))
    assert "late_reason" in caught.value.message_dict
    assert not Handover.objects.exists()
    handover = handover_record(
        actor=township_user, election=election, late_reason="原会计住院，账目延后移交", **items(late)
    )
    assert handover.days_late(TODAY) == 3
    assert handover.item_days_late("accounts", TODAY) == 3
    election.refresh_from_db()
    assert election.stage == Stage.HANDED_OVER
    assert election.exceptions[-1]["deadline"] == "handover_by"
    assert election.exceptions[-1]["reason"] == "原会计住院，账目延后移交"


def test_open_handover_past_its_date_counts_its_days(election, township_user):
    handover = handover_record(actor=township_user, election=election, seal_on=DAY + timedelta(days=1))
    assert handover.item_days_late("accounts", TODAY) == 10  # due DAY+10, still not handed over 20 days on
    assert handover.days_late(TODAY) == 10


def test_seal_same_day_under_the_shanghai_rule_set(db):
    actor = province_county_user("31")
    rules = RuleSet.objects.get(province_code="31", revision=1)
    cycle = _open_cycle(actor, actor.region, rules)
    village = Election.objects.get(
        cycle=cycle, region_id=PROVINCE_UNITS["31"][4][0], body=Body.VILLAGERS_COMMITTEE
    )
    village = certified(actor, village, DAY)
    with pytest.raises(ValidationError, match="Seal"):
        handover_record(actor=actor, election=village, seal_on=DAY + timedelta(days=2))
    handover = handover_record(actor=actor, election=village, seal_on=DAY)
    assert handover.item_due_on("seal") == DAY and handover.item_due_on("files") == DAY + timedelta(days=10)


def test_who_records(election, city_user, village_clerk):
    for user in (city_user, village_clerk):
        with pytest.raises(PermissionDenied):
            handover_record(actor=user, election=election, seal_on=DAY)


def test_departure_certificates_once_per_member(election, township_user):
    with pytest.raises(ValidationError, match="departure audit"):
        departure_certificates_make(actor=township_user, election=election)
    outgoing_members_set(
        actor=township_user, election=election, members=[("王建国", "村委会主任"), ("李秀兰", "村委会委员")]
    )
    handover_record(
        actor=township_user,
        election=election,
        audit_done_on=DAY - timedelta(days=40),
        audit_published_on=DAY - timedelta(days=36),
        **items(DAY + timedelta(days=2)),
    )
    members = departure_certificates_make(actor=township_user, election=election)
    assert len({m.certificate_id for m in members}) == 2
    again = departure_certificates_make(actor=township_user, election=election)
    assert [m.certificate_id for m in again] == [m.certificate_id for m in members]
    assert Document.objects.filter(kind=DocumentKind.DEPARTURE_CERTIFICATE).count() == 2
    text = pdf_text(Document.objects.get(pk=members[0].certificate_id).file.read())
    assert "离任证书" in text and "王建国" in text
    with pytest.raises(ValidationError, match="already has a departure certificate"):
        outgoing_members_set(actor=township_user, election=election, members=[("李秀兰", "村委会委员")])
