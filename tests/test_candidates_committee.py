"""The election committee and the candidates: a member who stands leaves and the next reserve of the
original selection result steps in (VCOL §12); under 浙江's rule set a member whose close relative stands
leaves too; candidates and their relatives are kept from counting (for the ballots app)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from audit.models import AuditEvent
from candidates.choices import NominationMethod, Post, RelationKind
from candidates.selectors import count_staff_conflict
from candidates.services import committee as committee_services
from candidates.services import nominations as nomination_services
from election_admin.choices_cycles import Body
from election_admin.models import CommitteeMember
from election_admin.services.elections import committee_member_add
from tests.candidate_helpers import confirm, nominate, province_village, ready_village
from tests.voters.files import make_id


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


def member(election, name) -> CommitteeMember:
    return CommitteeMember.objects.get(election=election, name=name)


def serving(election) -> list[str]:
    return list(
        CommitteeMember.objects.filter(election=election, is_active=True)
        .order_by("selection_order")
        .values_list("name", flat=True)
    )


def test_a_member_who_stands_leaves_and_the_first_reserve_steps_in(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    election = village.election
    assert serving(election) == ["马成林", "李秀兰", "祁永寿"]
    nomination = nominate(township_user, election, village["马成林"], Post.CHAIR)
    assert serving(election) == ["马成林", "李秀兰", "祁永寿"]  # nominated, not yet standing
    result = confirm(township_user, nomination)
    assert serving(election) == ["李秀兰", "祁永寿", "张国栋"]
    (recusal,) = result.recusals
    assert recusal.member.name == "马成林" and recusal.replaced_by.name == "张国栋"
    assert "stepped in" in recusal.message
    left = member(election, "马成林")
    assert not left.is_active and "nominated as a candidate for Chair" in left.left_reason
    stepped_in = member(election, "张国栋")
    assert stepped_in.replaces == left and not stepped_in.is_reserve
    assert member(election, "赵玉梅").is_reserve
    for event_type in ("committee.member_left", "committee.member_stepped_in", "committee.member_recused"):
        assert AuditEvent.objects.filter(event_type=event_type, region_code=election.region_id).exists()


def test_reserves_who_stand_themselves_are_passed_over(county_user, regions, township_user):
    village = ready_village(county_user, regions, reserves=[])
    election = village.election
    committee_services.committee_member_add_identified(
        actor=township_user, election=election, voter=village["徐军"], is_reserve=True
    )
    confirm(township_user, nominate(township_user, election, village["徐军"], Post.MEMBER))
    committee_services.committee_member_add_identified(
        actor=township_user,
        election=election,
        name="张国栋",
        id_number=make_id(date(1966, 3, 15), 121),
        is_reserve=True,
    )
    confirm(township_user, nominate(township_user, election, village["李秀兰"], Post.MEMBER))
    assert serving(election) == ["马成林", "祁永寿", "张国栋"]
    assert member(election, "徐军").is_reserve


def test_no_reserve_left_says_the_assembly_must_choose(county_user, regions, township_user):
    village = ready_village(county_user, regions, reserves=[])
    result = confirm(township_user, nominate(township_user, village.election, village["祁永寿"], Post.MEMBER))
    (recusal,) = result.recusals
    assert recusal.replaced_by is None and "the village assembly must choose a new member" in recusal.message
    assert serving(village.election) == ["马成林", "李秀兰"]


def test_member_identified_after_standing_leaves_at_once(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    election = village.election
    committee_member_add(actor=township_user, election=election, name="张明")  # no ID: not recognised
    confirm(township_user, nominate(township_user, election, village["张明"], Post.CHAIR))
    assert "张明" in serving(election)
    recusals = committee_services.committee_member_identify_by(
        actor=township_user, member=member(election, "张明"), voter=village["张明"]
    )
    assert [r.member.name for r in recusals] == ["张明"] and recusals[0].replaced_by.name == "张国栋"
    assert "张明" not in serving(election)


def test_a_candidate_cannot_join_the_committee(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    confirm(township_user, nominate(township_user, village.election, village["张明"], Post.CHAIR))
    with pytest.raises(ValidationError) as error:
        committee_services.committee_member_add_identified(
            actor=township_user, election=village.election, voter=village["张明"], is_reserve=True
        )
    assert "张明 cannot sit on the election committee: nominated as a candidate for Chair" in " ".join(
        error.value.messages
    )


def test_bad_id_number_for_a_member_is_refused(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    with pytest.raises(ValidationError) as error:
        committee_services.committee_member_add_identified(
            actor=township_user, election=village.election, name="某人", id_number="630121198001011234"
        )
    assert "id_number" in error.value.message_dict


def test_national_rules_keep_a_candidates_relative_on_the_committee(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    assert not village.election.cycle.rule_set.committee_recuses_relatives
    result = confirm(township_user, nominate(township_user, village.election, village["张明"], Post.CHAIR))
    relation = nomination_services.close_relation_declare(
        actor=township_user, candidate=result.candidate, relative=village["李秀兰"], kind=RelationKind.SPOUSE
    )
    assert relation.recusals == [] and "李秀兰" in serving(village.election)


def test_zhejiang_removes_a_member_whose_close_relative_stands(db):
    village = province_village("33")
    actor, election = village.actor, village.election
    rules = election.cycle.rule_set
    assert rules.committee_recuses_relatives and rules.election_committee_size_min == 5
    assert "浙江" in rules.citations["committee_recuses_relatives"]
    assert serving(election) == ["马成林", "李秀兰", "祁永寿", "选委4", "选委5"]
    result = confirm(actor, nominate(actor, election, village["张明"], Post.CHAIR))
    assert result.recusals == []
    declared = nomination_services.close_relation_declare(
        actor=actor,
        candidate=result.candidate,
        relative=village["李秀兰"],
        kind=RelationKind.SPOUSE,
        note="夫妻",
    )
    (recusal,) = declared.recusals
    assert recusal.member.name == "李秀兰" and recusal.replaced_by.name == "张国栋"
    assert "close relative (Spouse) of candidate 张明" in recusal.reason
    assert AuditEvent.objects.filter(event_type="candidate.relation_declared").exists()


def test_zhejiang_relation_declared_first_applies_at_confirmation(db):
    village = province_village("33")
    actor, election = village.actor, village.election
    sibling = confirm(actor, nominate(actor, election, village["王芳"], Post.WOMEN_MEMBER)).candidate
    nomination_services.close_relation_declare(
        actor=actor, candidate=sibling, relative=village["张明"], kind=RelationKind.SIBLING
    )
    # 张明 is now a relative of a candidate: he cannot join as a reserve either
    with pytest.raises(ValidationError):
        committee_services.committee_member_add_identified(
            actor=actor, election=election, voter=village["张明"], is_reserve=True
        )
    # 祁永寿, a serving member, is 王芳's father: he leaves as soon as the relation is recorded
    result = nomination_services.close_relation_declare(
        actor=actor, candidate=sibling, relative=village["祁永寿"], kind=RelationKind.PARENT_CHILD
    )
    assert [r.member.name for r in result.recusals] == ["祁永寿"]


def test_relation_refusals(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    cand = confirm(township_user, nominate(township_user, village.election, village["张明"])).candidate
    with pytest.raises(ValidationError):
        nomination_services.close_relation_declare(
            actor=township_user, candidate=cand, relative=village["张明"], kind=RelationKind.SIBLING
        )
    nomination_services.close_relation_declare(
        actor=township_user, candidate=cand, relative=village["王芳"], kind=RelationKind.SIBLING
    )
    with pytest.raises(ValidationError) as error:
        nomination_services.close_relation_declare(
            actor=township_user, candidate=cand, relative=village["王芳"], kind=RelationKind.SPOUSE
        )
    assert "already recorded" in " ".join(error.value.messages)


def test_party_branch_candidates_do_not_touch_the_village_election_committee(
    county_user, regions, township_user
):
    village = ready_village(county_user, regions)
    party = ready_village(
        county_user,
        cycle=village.election.cycle,
        body=Body.PARTY_BRANCH,
        people=[("马成林", 101, 1968)],
        reserves=[],
    )
    result = confirm(
        township_user,
        nominate(
            township_user,
            party.election,
            party["马成林"],
            Post.MEMBER,
            method=NominationMethod.PARTY_COMMITTEE,
        ),
    )
    assert result.recusals == [] and "马成林" in serving(village.election)


def test_candidates_and_their_relatives_may_not_count_votes(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    cand = confirm(township_user, nominate(township_user, village.election, village["张明"])).candidate
    nomination_services.close_relation_declare(
        actor=township_user, candidate=cand, relative=village["王芳"], kind=RelationKind.SPOUSE
    )
    assert count_staff_conflict(election=village.election, voter=village["张明"]) == "张明 is a candidate."
    assert "close relative of candidate 张明" in count_staff_conflict(
        election=village.election, voter=village["王芳"]
    )
    assert count_staff_conflict(election=village.election, voter=village["赵强"]) is None
