"""Nominations: a nominee comes from the village's roll (party: the party roll), is nominated by a method
the body allows with counts that add up, stands for one post only; bad input is refused with the rule and
the number, and nothing is partly saved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from audit.models import AuditEvent
from candidates.choices import CandidateStatus, NominationMethod, NominationStatus, PartyMembership, Post
from candidates.models import Candidate, Nomination
from candidates.services import nominations as services
from election_admin.choices_cycles import Body, Stage
from election_admin.models import Election
from tests.candidate_helpers import confirm, nominate, ready_village, record_round, register_people
from voters.services.registration import voter_strike


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


@pytest.fixture
def village(county_user, regions):
    return ready_village(county_user, regions)


def message(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_township_clerk_nominates_a_voter_of_the_roll_and_it_is_audited(village, township_user):
    record_round(township_user, village.election, ballots=16)
    nomination = services.nomination_record(
        actor=township_user,
        election=village.election,
        voter=village["张明"],
        post=Post.CHAIR,
        method=NominationMethod.DIRECT,
        nominating_count=9,
    )
    assert nomination.status == NominationStatus.NOMINATED
    assert nomination.tally == 9  # the nominators' count fixes the order unless a tally is given
    event = AuditEvent.objects.get(event_type="nomination.recorded", object_id=str(nomination.pk))
    assert event.after["post"] == "chair" and event.after["voter"] == village["张明"].id_masked
    assert "id_hash" not in str(event.after)


def test_nominee_not_on_the_roll_is_refused(village, township_user, regions, county_user):
    other = ready_village(
        county_user,
        regions,
        cycle=village.election.cycle,
        code="630121100207",
        people=[("毛一", 201, 1980)],
        reserves=[],
    )
    with pytest.raises(ValidationError) as error:
        nominate(township_user, village.election, other["毛一"])
    assert "not on the voter roll of 元树尔村委会" in message(error.value)
    assert not Nomination.objects.filter(voter=other["毛一"]).exists()


def test_struck_voter_is_refused_with_the_reason(village, township_user, county_user):
    record_round(township_user, village.election, ballots=10)
    voter_strike(actor=county_user, voter=village["张明"], reason="迁出本村", correction_reason="户口迁出")
    with pytest.raises(ValidationError) as error:
        nominate(township_user, village.election, village["张明"])
    assert "struck off the voter roll (迁出本村)" in message(error.value)
    assert not Nomination.objects.exists()


def test_party_branch_needs_a_member_on_the_party_roll(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    party = ready_village(
        county_user,
        cycle=village.election.cycle,
        body=Body.PARTY_BRANCH,
        people=[("张明", 105, 1980)],
        reserves=[],
    )
    with pytest.raises(ValidationError) as error:
        nominate(
            township_user,
            party.election,
            village["王芳"],
            Post.MEMBER,
            method=NominationMethod.PARTY_COMMITTEE,
        )
    assert "not on the party members' roll" in message(error.value)
    assert "full party member" in message(error.value)
    ok = nominate(
        township_user, party.election, party["张明"], Post.MEMBER, method=NominationMethod.PARTY_COMMITTEE
    )
    assert ok.nominating_count == 0


def test_nomination_methods_follow_the_body(village, township_user):
    with pytest.raises(ValidationError) as error:
        nominate(
            township_user,
            village.election,
            village["张明"],
            method=NominationMethod.JOINT,
            nominating_count=12,
        )
    assert "cannot be nominated this way (Joint nomination" in message(error.value)
    with pytest.raises(ValidationError):
        nominate(township_user, village.election, village["张明"], method=NominationMethod.PARTY_COMMITTEE)
    self_nominated = nominate(
        township_user, village.election, village["张明"], method=NominationMethod.SELF, tally=0
    )
    assert self_nominated.method == NominationMethod.SELF and self_nominated.nominating_count == 0


def test_joint_nomination_of_a_residents_committee_needs_ten_voters_or_five_households(
    county_user, regions, township_user
):
    village = ready_village(county_user, regions, code="630121100001")  # 人民路南居委会
    assert village.election.body == Body.RESIDENTS_COMMITTEE
    with pytest.raises(ValidationError) as error:
        nominate(
            township_user,
            village.election,
            village["张明"],
            method=NominationMethod.JOINT,
            tally=9,
            nominating_count=9,
        )
    assert "at least 10 voters; this one has 9" in message(error.value)
    with pytest.raises(ValidationError) as error:
        nominate(
            township_user,
            village.election,
            village["张明"],
            method=NominationMethod.JOINT,
            tally=4,
            nominating_count=4,
            by_households=True,
        )
    assert "at least 5 household representatives; this one has 4" in message(error.value)
    ok = nominate(
        township_user,
        village.election,
        village["张明"],
        method=NominationMethod.JOINT,
        tally=5,
        nominating_count=5,
        by_households=True,
    )
    assert ok.by_households and Nomination.objects.count() == 1


def test_each_voter_nominates_no_more_names_than_seats(village, township_user):
    record_round(township_user, village.election, ballots=10)
    nominate(township_user, village.election, village["张明"], Post.CHAIR, tally=7)
    with pytest.raises(ValidationError) as error:
        nominate(township_user, village.election, village["王芳"], Post.CHAIR, tally=4)
    assert "10 ballots × 1 seat(s) for Chair allow 10 nominations in all, and these would make 11" in message(
        error.value
    )
    nominate(township_user, village.election, village["王芳"], Post.CHAIR, tally=3)  # exactly 10 is fine
    # members: 3 seats, so 30 nominations in all
    nominate(township_user, village.election, village["赵强"], Post.MEMBER, tally=10)
    nominate(township_user, village.election, village["刘洋"], Post.MEMBER, tally=10)
    nominate(township_user, village.election, village["陈静"], Post.MEMBER, tally=10)
    with pytest.raises(ValidationError):
        nominate(township_user, village.election, village["杨帆"], Post.MEMBER, tally=1)


def test_nomination_round_refuses_proxies_and_more_ballots_than_voters(village, township_user):
    kwargs = {"actor": township_user, "election": village.election, "held_on": timezone.localdate()}
    with pytest.raises(ValidationError) as error:
        services.nomination_round_record(**kwargs, ballots_returned=10, in_person_confirmed=False)
    assert "by proxy" in message(error.value)
    with pytest.raises(ValidationError) as error:
        services.nomination_round_record(**kwargs, ballots_returned=17, in_person_confirmed=True)
    assert "there are 16 voters on the voter roll" in message(error.value)
    with pytest.raises(ValidationError) as error:
        services.nomination_record(
            actor=township_user,
            election=village.election,
            voter=village["张明"],
            post=Post.CHAIR,
            method=NominationMethod.DIRECT,
            nominating_count=3,
        )
    assert "Record the nomination round first" in message(error.value)
    services.nomination_round_record(**kwargs, ballots_returned=16, in_person_confirmed=True)
    nominate(township_user, village.election, village["张明"], Post.CHAIR, tally=9)
    with pytest.raises(ValidationError) as error:  # lowering the ballots below what is recorded
        services.nomination_round_record(**kwargs, ballots_returned=8, in_person_confirmed=True)
    assert "add up to 9, more than 8 ballots × 1 seat(s) allow" in message(error.value)


def test_more_nominators_than_voters_is_refused(village, township_user):
    with pytest.raises(ValidationError) as error:
        nominate(township_user, village.election, village["张明"], method=NominationMethod.SELF, tally=40)
    assert "40 nominations: there are only 16 voters" in message(error.value)


def test_womens_post_only_where_the_election_has_one_and_only_for_women(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    with pytest.raises(ValidationError) as error:
        nominate(township_user, village.election, village["王芳"], Post.WOMEN_MEMBER)
    assert "has no seat for Women's member" in message(error.value)


def test_same_post_twice_is_refused(village, township_user):
    nominate(township_user, village.election, village["张明"], Post.CHAIR, tally=3)
    with pytest.raises(ValidationError) as error:
        nominate(township_user, village.election, village["张明"], Post.CHAIR, tally=2)
    assert "already nominated for Chair" in message(error.value)


def test_a_person_nominated_for_several_posts_confirms_one(village, township_user):
    chair = nominate(township_user, village.election, village["张明"], Post.CHAIR, tally=5)
    member = nominate(township_user, village.election, village["张明"], Post.MEMBER, tally=8)
    vice = nominate(township_user, village.election, village["张明"], Post.VICE_CHAIR, tally=2)
    result = confirm(township_user, member)
    assert result.candidate.post == Post.MEMBER and result.candidate.status == CandidateStatus.IN_REVIEW
    assert {n.pk for n in result.declined} == {chair.pk, vice.pk}
    chair.refresh_from_db()
    assert chair.status == NominationStatus.DECLINED and "stands for Member" in chair.decline_reason
    with pytest.raises(ValidationError) as error:
        confirm(township_user, chair)
    assert "only an open nomination can be confirmed" in message(error.value)


def test_a_person_already_on_another_posts_list_is_refused(village, township_user):
    member = nominate(township_user, village.election, village["张明"], Post.MEMBER, tally=8)
    confirm(township_user, member)
    # a nomination recorded after the confirmation (e.g. a late joint list) cannot be confirmed too
    chair = Nomination.objects.create(
        election=village.election,
        voter=village["张明"],
        post=Post.CHAIR,
        method=NominationMethod.SELF,
        recorded_by=township_user,
    )
    with pytest.raises(ValidationError) as error:
        confirm(township_user, chair)
    assert (
        "already stands for Member of the committee in this election: a person stands for one post only"
        in message(error.value)
    )
    assert Candidate.objects.count() == 1
    chair.refresh_from_db()
    assert chair.status == NominationStatus.NOMINATED  # nothing partly saved


def test_candidate_record_comes_from_the_voter_with_party_membership_from_the_party_roll(
    county_user, regions, township_user
):
    village = ready_village(county_user, regions)
    ready_village(
        county_user,
        cycle=village.election.cycle,
        body=Body.PARTY_BRANCH,
        people=[("张明", 105, 1980)],
        reserves=[],
    )
    assert services.default_party_membership(village.election, village["张明"]) == PartyMembership.CPC_MEMBER
    assert services.default_party_membership(village.election, village["王芳"]) == PartyMembership.NONE
    result = confirm(
        township_user,
        nominate(township_user, village.election, village["张明"], Post.CHAIR),
        party_membership=PartyMembership.CPC_MEMBER,
        is_dual_role_intended=True,
        is_incumbent=True,
    )
    candidate = result.candidate
    assert candidate.voter == village["张明"] and candidate.is_dual_role_intended and candidate.is_incumbent
    event = AuditEvent.objects.get(event_type="nomination.confirmed", object_id=str(candidate.pk))
    assert event.after["name"] == "张明"


def test_dual_role_only_for_a_chair_candidate(village, township_user):
    nomination = nominate(township_user, village.election, village["张明"], Post.MEMBER)
    with pytest.raises(ValidationError) as error:
        confirm(township_user, nomination, is_dual_role_intended=True)
    assert "only a chair candidate" in message(error.value)
    assert not Candidate.objects.exists()


def test_decline_needs_a_reason(village, township_user):
    nomination = nominate(township_user, village.election, village["张明"], Post.CHAIR)
    with pytest.raises(ValidationError):
        services.nomination_decline(actor=township_user, nomination=nomination, reason=" ")
    services.nomination_decline(actor=township_user, nomination=nomination, reason="本人不同意参选")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.DECLINED


def test_nominations_open_only_between_roll_and_list(county_user, regions, township_user):
    from tests.voter_helpers import village_election

    election = village_election(county_user, regions, code="630121100207")
    voters = register_people(county_user, election, [("毛一", 201, 1980)])
    with pytest.raises(ValidationError) as error:
        nominate(township_user, election, voters["毛一"])
    assert "Nominations open once the voter roll of 毛家寨村委会 is published" in message(error.value)


def test_city_bureau_and_village_clerk_do_not_nominate(village, city_user, village_clerk):
    for user in (city_user, village_clerk):
        with pytest.raises(PermissionDenied):
            nominate(user, village.election, village["张明"])


def test_out_of_area_township_cannot_nominate(village, neighbour_township_user):
    with pytest.raises(ValidationError) as error:
        nominate(
            neighbour_township_user, village.election, village["张明"], method=NominationMethod.SELF, tally=0
        )
    assert "outside your area" in message(error.value)


def test_nominations_close_when_the_list_is_published(village, township_user, county_user):
    nomination = nominate(township_user, village.election, village["张明"], Post.CHAIR)
    Election.objects.filter(pk=village.election.pk).update(stage=Stage.CANDIDATES_PUBLISHED)
    with pytest.raises(ValidationError) as error:
        confirm(township_user, nomination)
    assert "is published: nominations and reviews are closed" in message(error.value)


def test_database_refuses_two_confirmed_posts_and_thin_joint_lists(village, township_user):
    from django.db import IntegrityError, transaction

    Nomination.objects.create(
        election=village.election,
        voter=village["张明"],
        post=Post.CHAIR,
        method=NominationMethod.SELF,
        status=NominationStatus.CONFIRMED,
        recorded_by=township_user,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(
            election=village.election,
            voter=village["张明"],
            post=Post.MEMBER,
            method=NominationMethod.SELF,
            status=NominationStatus.CONFIRMED,
            recorded_by=township_user,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(
            election=village.election,
            voter=village["王芳"],
            post=Post.MEMBER,
            method=NominationMethod.JOINT,
            nominating_count=9,
            recorded_by=township_user,
        )
