"""Composition targets (结构目标): the pure rule on people (women, aged 35 or under on election day, 一肩挑),
targets per cycle and body set by the county, evaluated on the candidate list and counted for the county;
the result's targets wait for the ballots app. The reserve pool (后备人才库) and its count per post."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from candidates.choices import Education, PartyMembership, Post
from election_admin.choices_cycles import Body
from election_admin.supervision.choices import ReservePost, TargetKind
from election_admin.supervision.services.targets import (
    Person,
    TargetSpec,
    evaluate,
    reserve_add,
    reserve_counts,
    reserve_remove,
    targets_county_counts,
    targets_for,
    targets_on_candidates,
    targets_on_results,
    targets_set,
)
from tests.candidate_helpers import candidate, confirm, nominate, ready_village

TODAY = timezone.localdate()
DAY = date(2026, 5, 10)
SPECS = [TargetSpec(TargetKind.WOMAN), TargetSpec(TargetKind.YOUNG), TargetSpec(TargetKind.DUAL_ROLE)]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def person(name, gender="male", born=date(1980, 1, 1), post=Post.MEMBER, dual=False):
    return Person(name=name, gender=gender, birth_date=born, post=post, is_dual_role=dual)


def kinds(results):
    return {r.spec.kind: r.is_met for r in results}


def test_women_young_and_dual_role():
    people = [
        person("张明", post=Post.CHAIR, dual=True),
        person("王芳", "female"),
        person("刘洋", born=date(1991, 5, 10)),  # exactly 35 on election day: counts
    ]
    assert kinds(evaluate(SPECS, people, DAY)) == {"woman": True, "young": True, "dual_role": True}
    people = [
        person("张明", post=Post.CHAIR),
        person("赵强", born=date(1991, 5, 9)),
    ]  # 35 and a day... 35 too
    results = evaluate(SPECS, people, DAY)
    assert kinds(results) == {"woman": False, "young": True, "dual_role": False}
    people = [person("赵强", born=date(1991, 5, 11))]  # turns 35 the day after: 34 → young
    assert kinds(evaluate([TargetSpec(TargetKind.YOUNG)], people, DAY)) == {"young": True}
    people = [person("赵强", born=date(1990, 5, 9))]  # 36
    assert kinds(evaluate([TargetSpec(TargetKind.YOUNG)], people, DAY)) == {"young": False}


def test_minimum_and_inactive_and_nothing_yet():
    people = [person("王芳", "female"), person("陈静", "female")]
    assert kinds(evaluate([TargetSpec(TargetKind.WOMAN, minimum=3)], people, DAY)) == {"woman": False}
    results = evaluate([TargetSpec(TargetKind.WOMAN, minimum=2)], people, DAY)
    assert results[0].is_met and results[0].names == ("王芳", "陈静")
    assert evaluate([TargetSpec(TargetKind.WOMAN, is_active=False)], people, DAY) == []
    assert kinds(evaluate(SPECS, [], DAY)) == {"woman": None, "young": None, "dual_role": None}
    assert kinds(evaluate(SPECS, None, DAY)) == {"woman": None, "young": None, "dual_role": None}


def test_defaults_per_body_and_county_sets_them(county_user, township_user, regions):
    from tests.cycle_helpers import open_datong_cycle

    cycle = open_datong_cycle(county_user, regions, optional_bodies=[Body.SUPERVISION_COMMITTEE])
    villagers = {s.kind: s.is_active for s in targets_for(cycle, Body.VILLAGERS_COMMITTEE)}
    assert villagers == {"woman": True, "young": True, "dual_role": True}
    supervision = {s.kind: s.is_active for s in targets_for(cycle, Body.SUPERVISION_COMMITTEE)}
    assert supervision == {"woman": True, "young": False}  # 一肩挑 is not a supervision committee's matter
    targets_set(
        actor=county_user,
        cycle=cycle,
        body=Body.VILLAGERS_COMMITTEE,
        specs=[TargetSpec(TargetKind.WOMAN, minimum=2), TargetSpec(TargetKind.DUAL_ROLE, is_active=False)],
    )
    after = {s.kind: (s.is_active, s.minimum) for s in targets_for(cycle, Body.VILLAGERS_COMMITTEE)}
    assert after == {"woman": (True, 2), "young": (True, 1), "dual_role": (False, 1)}
    with pytest.raises(PermissionDenied):
        targets_set(actor=township_user, cycle=cycle, body=Body.VILLAGERS_COMMITTEE, specs=[])
    with pytest.raises(ValidationError):
        targets_set(
            actor=county_user,
            cycle=cycle,
            body=Body.SUPERVISION_COMMITTEE,
            specs=[TargetSpec(TargetKind.DUAL_ROLE)],
        )
    with pytest.raises(ValidationError, match="does not elect"):
        targets_set(actor=county_user, cycle=cycle, body=Body.PARTY_BRANCH, specs=[])


def test_candidate_list_targets_and_county_count(county_user, township_user, regions):
    village = ready_village(county_user, regions)
    election = village.election
    confirm(
        township_user,
        nominate(township_user, election, village["张明"], Post.CHAIR, 8),
        is_dual_role_intended=True,
    )
    candidate(township_user, election, village["赵强"], Post.CHAIR, 6)
    candidate(township_user, election, village["黄磊"], Post.MEMBER, 6)
    results = {r.spec.kind: r for r in targets_on_candidates(election)}
    assert results["dual_role"].is_met and results["dual_role"].names == ("张明",)
    assert results["woman"].is_met is False and results["young"].is_met is False
    candidate(township_user, election, village["郑丽"], Post.MEMBER, 5)  # a woman of 1992: 34 on election day
    results = {r.spec.kind: r for r in targets_on_candidates(election)}
    assert results["woman"].is_met and results["young"].is_met and results["young"].names == ("郑丽",)
    assert all(r.is_met is None for r in targets_on_results(election))  # nobody counted yet
    elected = [Person("郑丽", "female", date(1992, 3, 15), Post.MEMBER)]
    assert kinds(targets_on_results(election, elected=elected)) == {
        "woman": True,
        "young": True,
        "dual_role": False,
    }
    counts = {
        (c.body, c.spec.kind): c for c in targets_county_counts(county_user, election.cycle, today=TODAY)
    }
    woman = counts[(Body.VILLAGERS_COMMITTEE, "woman")]
    assert (woman.elections, woman.with_list, woman.met, woman.not_met) == (5, 1, 1, 0)
    assert counts[(Body.RESIDENTS_COMMITTEE, "woman")].with_list == 0
    party = counts[(Body.PARTY_BRANCH, "woman")]  # ready_village opens the cycle with the party branch
    assert party.elections == 7 and party.with_list == 0
    assert (Body.PARTY_BRANCH, "dual_role") not in counts


def test_reserve_pool_and_count_per_post(township_user, neighbour_township_user, county_user, regions):
    reserve_add(
        actor=township_user,
        region=regions["630121100201"],
        post=ReservePost.CHAIR,
        name="马燕",
        gender="female",
        birth_date=TODAY.replace(year=TODAY.year - 30) - timedelta(days=1),
        education=Education.BACHELOR,
        party_membership=PartyMembership.CPC_MEMBER,
    )
    reserve_add(
        actor=township_user,
        region=regions["630121100200"],
        post=ReservePost.CHAIR,
        name="李强",
        gender="male",
        age=45,
        education=Education.SENIOR,
    )
    third = reserve_add(
        actor=township_user,
        region=regions["630121100200"],
        post=ReservePost.SECRETARY,
        name="祁生",
        gender="male",
        age=40,
        education=Education.COLLEGE,
        party_membership=PartyMembership.CPC_MEMBER,
    )
    with pytest.raises(ValidationError) as caught:
        reserve_add(
            actor=township_user,
            region=regions["630121100200"],
            post="mayor",
            name="",
            gender="male",
            education=Education.COLLEGE,
        )
    assert set(caught.value.message_dict) == {"post", "name", "birth_date"}
    with pytest.raises(ValidationError):
        reserve_add(
            actor=neighbour_township_user,
            region=regions["630121100200"],
            post=ReservePost.CHAIR,
            name="x",
            gender="male",
            age=30,
            education=Education.COLLEGE,
        )
    counts = {c.post: c for c in reserve_counts(county_user, area_code="630121", today=TODAY)}
    chair = counts[ReservePost.CHAIR]
    assert (chair.total, chair.women, chair.young, chair.party_members, chair.college) == (2, 1, 1, 1, 1)
    assert counts[ReservePost.SECRETARY].total == 1 and counts[ReservePost.MEMBER].total == 0
    reserve_remove(actor=township_user, reserve=third, reason="已当选村党支部书记")
    assert {c.post: c.total for c in reserve_counts(county_user, today=TODAY)}[ReservePost.SECRETARY] == 0
    assert reserve_counts(neighbour_township_user, today=TODAY)[0].total == 0
