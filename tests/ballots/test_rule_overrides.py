"""The counting options of a rule set (计票规则) decide outcomes through the results service: a province's
version with "more than half of the voters who voted" elects fewer people than the national "ballots
cast"; the run-off list follows the pool size; the options are edited on the rule-set form; the shipped
浙江 version says what its text says."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ballots.services.results import election_rules, results_compute
from election_admin.choices import Role
from election_admin.models import Cycle, RuleSet
from election_admin.services.rulesets import ruleset_revise
from tests.ballots.helpers import count_village, enter_twice
from tests.factories import UserFactory

# 14 voted, 12 ballots returned: "more than half" is 7 of 12 ballots cast, but 8 of 14 voters who voted.
FIGURES = {"voted": 14, "issued": 14, "returned": 12, "invalid": 1}


def votes(v) -> dict:
    return {
        v.key("张明"): 7,  # chair: 7 > 12/2, not > 14/2
        v.key("赵强"): 4,
        v.key("王芳"): 9,
        v.key("刘洋"): 2,
        v.key("陈静"): 10,  # the only member over the line either way: 2 member seats left
        v.key("杨帆"): 6,
        v.key("黄磊"): 5,
        v.key("周敏"): 4,
        v.key("吴刚"): 3,
    }


@pytest.fixture
def qinghai_bureau(regions):
    return UserFactory(username="qinghai", role=Role.PROVINCE_BUREAU, region=regions["63"])


@pytest.fixture
def village(county_user, township_user, village_clerk, regions):
    found = count_village(county_user, regions)
    enter_twice(township_user, village_clerk, found.boxes[0], figures=FIGURES, votes=votes(found))
    return found


def use_province_version(bureau, village, **values) -> RuleSet:
    """Qinghai issues its own version with ``values`` and the cycle counts under it."""
    national = village.election.cycle.rule_set
    new = ruleset_revise(
        actor=bureau, rule_set=national, effective_on=date(2026, 1, 1), values=values, citations={}
    )
    Cycle.objects.filter(pk=village.election.cycle_id).update(rule_set=new)
    village.election.refresh_from_db()
    return new


def elected(result) -> dict:
    return {e["name"]: e["post"] for e in result.outcome["decision"]["elected"]}


def test_majority_of_ballots_cast_by_default(village, township_user):
    result = results_compute(actor=township_user, election=village.election)
    assert elected(result) == {"张明": "chair", "王芳": "vice_chair", "陈静": "member"}


def test_majority_of_voters_who_voted_under_the_province_version(village, township_user, qinghai_bureau):
    use_province_version(qinghai_bureau, village, majority_base="voted")
    result = results_compute(actor=township_user, election=village.election)
    assert elected(result) == {"王芳": "vice_chair", "陈静": "member"}  # 张明's 7 of 14 is not more than half
    assert result.outcome["needs_runoff"]


def run_off_members(result) -> list[str]:
    names = result.outcome["candidates"]
    seats = {s["post"]: s for s in result.outcome["plan"]["seats"]}
    return [names[p]["name"] for p in seats["member"]["pool"]]


@pytest.mark.parametrize(
    ("pool", "members"),
    [("seats_times_two", ["杨帆", "黄磊", "周敏", "吴刚"]), ("seats_plus_one", ["杨帆", "黄磊", "周敏"])],
)
def test_run_off_list_follows_the_pool_size(village, township_user, qinghai_bureau, pool, members):
    use_province_version(qinghai_bureau, village, runoff_pool=pool)
    result = results_compute(actor=township_user, election=village.election)
    assert run_off_members(result) == members  # 2 member seats left: × 2 = 4, + 1 = 3


def test_seats_may_stay_empty_once_enough_are_elected(village, township_user, qinghai_bureau):
    assert election_rules(village.election).min_members_to_leave_seats_empty is None
    use_province_version(qinghai_bureau, village, min_members_to_leave_seats_empty=3)
    result = results_compute(actor=township_user, election=village.election)
    assert result.outcome["plan"]["may_leave_seats_empty"]  # 3 elected: the 2 member seats may stay empty


def test_party_branch_keeps_cpc_majority_whatever_the_rule_set(village, qinghai_bureau):
    use_province_version(qinghai_bureau, village, majority_base="returned", overvote_voids="ballot")
    rules = election_rules(village.election)
    assert (rules.majority_base, rules.overvote_voids) == ("returned", "ballot")
    village.election.body = "party_branch"
    rules = election_rules(village.election)
    assert (rules.majority_base, rules.overvote_voids) == ("voted", "ballot")


def test_shipped_zhejiang_text(db):
    zhejiang = RuleSet.objects.get(province_code="33", revision=1)
    assert (zhejiang.same_person_voids, zhejiang.min_members_to_leave_seats_empty) == ("ballot", 3)
    assert "第三十条" in zhejiang.citations["min_members_to_leave_seats_empty"]
    national = RuleSet.objects.get(province_code="", revision=1)
    assert (national.overvote_voids, national.same_person_voids, national.runoff_pool) == (
        "post",
        "none",
        "seats_times_two",
    )
    assert (national.min_members_to_leave_seats_empty, national.majority_base) == (0, "returned")


def test_cascade_needs_a_rule_for_the_same_person(regions, qinghai_bureau):
    national = RuleSet.objects.get(province_code="", revision=1)
    with pytest.raises(ValidationError) as error:
        ruleset_revise(
            actor=qinghai_bureau,
            rule_set=national,
            effective_on=date(2026, 1, 1),
            values={"has_cascade": True},
            citations={},
        )
    assert "same_person_voids" in error.value.message_dict


def form_data(rule_set: RuleSet, **changes) -> dict:
    data = {"effective_on": "2026-02-01"}
    for name, value in rule_set.values().items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    data.update(changes)
    return data


def test_rule_set_form_shows_and_saves_the_counting_options(client, regions, qinghai_bureau):
    national = RuleSet.objects.get(province_code="", revision=1)
    client.force_login(qinghai_bureau)
    page = client.get(reverse("ruleset_edit", args=[national.pk])).content.decode()
    assert 'name="majority_base"' in page and 'name="min_members_to_leave_seats_empty"' in page
    response = client.post(
        reverse("ruleset_edit", args=[national.pk]),
        form_data(national, majority_base="voted", runoff_pool="seats_plus_one", overvote_voids="ballot"),
    )
    assert response.status_code == 302
    new = RuleSet.objects.get(province_code="63")
    assert (new.majority_base, new.runoff_pool, new.overvote_voids) == ("voted", "seats_plus_one", "ballot")
    assert new.min_members_to_leave_seats_empty == 0
    detail = client.get(reverse("ruleset_detail", args=[new.pk])).content.decode()
    assert "a winner needs more than half of" in detail or "当选" in detail


def test_rule_set_form_names_a_bad_value(client, regions, qinghai_bureau):
    national = RuleSet.objects.get(province_code="", revision=1)
    client.force_login(qinghai_bureau)
    response = client.post(
        reverse("ruleset_edit", args=[national.pk]),
        form_data(national, min_members_to_leave_seats_empty="12"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["min_members_to_leave_seats_empty"]
    assert not RuleSet.objects.filter(province_code="63").exists()
