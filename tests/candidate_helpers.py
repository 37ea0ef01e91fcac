"""Helpers for candidate tests: a village election with its roll published and an election committee whose
members are identified (ID hashes), nominations through the real services, and the joint review run to the
end. Provincial variants (浙江, 上海, 北京) open a cycle under their own rule set in a real county of theirs."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from candidates.choices import Education, NominationMethod, Outcome, PartyMembership, Post
from candidates.models import Candidate, Department, NominationRound
from candidates.services import committee as committee_services
from candidates.services import nominations as nomination_services
from candidates.services import review as review_services
from election_admin.choices import Role
from election_admin.choices_cycles import Body, Stage
from election_admin.models import Election, Region, RuleSet
from election_admin.services.cycles import cycle_open
from election_admin.services.elections import election_day_set, election_update
from election_admin.services.stages import election_stage_advance
from tests.cycle_helpers import ensure_shipped_rulesets, huangyuan_objects
from tests.factories import UserFactory, make_region
from tests.voters.files import make_id
from voters.services.publication import roll_publish
from voters.services.registration import voter_register

VILLAGE = "630121100201"  # 元树尔村委会, 桥头镇, 大通县 (青海: the national rule set)

# People of the test village: (name, sequence — odd for a man, even for a woman — and birth year).
PEOPLE = [
    ("马成林", 101, 1968),  # election committee chair
    ("李秀兰", 102, 1972),  # election committee member
    ("祁永寿", 103, 1975),  # election committee member
    ("张明", 105, 1980),
    ("王芳", 104, 1985),
    ("赵强", 107, 1978),
    ("刘洋", 109, 1990),
    ("陈静", 106, 1988),
    ("杨帆", 111, 1982),
    ("黄磊", 113, 1979),
    ("周敏", 108, 1983),
    ("吴刚", 115, 1970),
    ("郑丽", 110, 1992),
    ("孙伟", 117, 1986),
    ("朱红", 112, 1976),
    ("徐军", 119, 1969),
]
RESERVES = [("张国栋", 121, 1966), ("赵玉梅", 114, 1974)]  # next in the selection result, not on this roll

# Real units of the provinces whose rule sets are shipped.
PROVINCE_UNITS = {
    "33": [
        ("33", "浙江省"),
        ("3301", "杭州市"),
        ("330110", "余杭区"),
        ("330110009", "仁和街道"),
        ("330110009202", "新桥村委会"),
    ],
    "31": [
        ("31", "上海市"),
        ("3101", "市辖区"),
        ("310151", "崇明区"),
        ("310151101", "城桥镇"),
        ("310151101201", "城桥村村委会"),
    ],
    "11": [
        ("11", "北京市"),
        ("1101", "市辖区"),
        ("110117", "平谷区"),
        ("110117101", "东高村镇"),
        ("110117101200", "东高村村委会"),
    ],
}


def ensure_candidate_data() -> None:
    """Shipped rule sets (with this app's numbers) and the configurable lists, after a transactional
    test's flush emptied the tables."""
    from django.apps import apps

    ensure_shipped_rulesets()
    importlib.import_module("election_admin.migrations.0005_candidates_support").ship(apps, None)
    if not Department.objects.exists():
        importlib.import_module("candidates.migrations.0002_seed_lists").seed(apps, None)


@dataclass
class Village:
    """One village election ready for nominations: roll published, committee formed and identified."""

    election: Election
    actor: object
    voters: dict = field(default_factory=dict)  # name → Voter

    def __getitem__(self, name):
        return self.voters[name]


def _open_cycle(actor, county: Region, rule_set: RuleSet, optional_bodies=()):
    today = timezone.localdate()
    return cycle_open(
        actor=actor,
        region=county,
        name=f"2026年{county.name}村（社区）两委换届",
        rule_set=rule_set,
        term_start=today + timedelta(days=100),
        window_start=today - timedelta(days=60),
        window_end=today + timedelta(days=90),
        optional_bodies=list(optional_bodies),
    )


def province_county_user(province: str):
    """The county bureau of the real county of ``province`` in PROVINCE_UNITS (regions made on the way)."""
    for code, name in PROVINCE_UNITS[province]:
        make_region(code, name)
    county_code = PROVINCE_UNITS[province][2][0]
    return UserFactory(
        username=f"county-{county_code}", role=Role.COUNTY_BUREAU, region=Region.objects.get(code=county_code)
    )


def register_people(actor, election, people=PEOPLE) -> dict:
    voters = {}
    for name, sequence, year in people:
        voters[name] = voter_register(
            actor=actor, election=election, name=name, id_number=make_id(date(year, 3, 15), sequence)
        )
    return voters


def ready_village(
    actor,
    regions=None,
    *,
    cycle=None,
    code: str = VILLAGE,
    body: str | None = None,
    days_ahead: int = 30,
    seats: tuple[int, int, int] | None = None,
    people=PEOPLE,
    reserves=RESERVES,
    party_people=None,
) -> Village:
    """A village election at "roll published": voters registered, the election committee formed from the
    roll (as many members as the rule set requires, identified by ID) with two reserves, the roll
    published. ``seats`` = (vice-chairs, members, women's post)."""
    ensure_candidate_data()
    if cycle is None:
        from tests.cycle_helpers import open_datong_cycle

        cycle = open_datong_cycle(actor, regions, optional_bodies=[Body.PARTY_BRANCH])
    body = body or (Body.RESIDENTS_COMMITTEE if code[9] == "0" else Body.VILLAGERS_COMMITTEE)
    election = Election.objects.get(cycle=cycle, region_id=code, body=body)
    election_day_set(
        actor=actor, election=election, election_day=timezone.localdate() + timedelta(days=days_ahead)
    )
    if seats is not None:
        vice, members, women = seats
        election = election_update(
            actor=actor,
            election=election,
            seats_vice_chair=vice,
            seats_member=members,
            seats_women_member=women,
            risk_class="normal",
            risk_reason="",
        )
    election.refresh_from_db()
    voters = register_people(actor, election, party_people or people)
    rules = cycle.rule_set
    committee_from = list(voters.values()) if body != Body.PARTY_BRANCH else []
    for index in range(rules.election_committee_size_min):
        if index < len(committee_from) and index < 3:
            committee_services.committee_member_add_identified(
                actor=actor,
                election=election,
                voter=committee_from[index],
                role="chair" if index == 0 else "member",
            )
        else:
            committee_services.committee_member_add_identified(
                actor=actor,
                election=election,
                name=f"选委{index + 1}",
                id_number=make_id(date(1960, 1, 1), 601 + index * 2),
            )
    for name, sequence, year in reserves:
        committee_services.committee_member_add_identified(
            actor=actor,
            election=election,
            name=name,
            id_number=make_id(date(year, 3, 15), sequence),
            is_reserve=True,
        )
    election_stage_advance(actor=actor, election=election, to_stage=Stage.COMMITTEE_FORMED)
    roll_publish(actor=actor, election=election)
    election.refresh_from_db()
    return Village(election=election, actor=actor, voters=voters)


def record_round(actor, election, ballots: int = 16):
    if not NominationRound.objects.filter(election=election).exists():
        nomination_services.nomination_round_record(
            actor=actor,
            election=election,
            held_on=timezone.localdate(),
            ballots_returned=ballots,
            in_person_confirmed=True,
        )


def nominate(actor, election, voter, post=Post.CHAIR, tally=5, method=NominationMethod.DIRECT, **fields):
    if method == NominationMethod.DIRECT:
        record_round(actor, election)
        fields.setdefault("nominating_count", tally)
    return nomination_services.nomination_record(
        actor=actor, election=election, voter=voter, post=post, method=method, tally=tally, **fields
    )


def confirm(actor, nomination, **fields):
    fields.setdefault("education", Education.SENIOR)
    fields.setdefault("party_membership", PartyMembership.NONE)
    return nomination_services.nomination_confirm(actor=actor, nomination=nomination, **fields)


def candidate(
    actor, election, voter, post=Post.CHAIR, tally=5, *, passed_township=True, **fields
) -> Candidate:
    """Nominate, confirm and (by default) pass the township review."""
    result = confirm(actor, nominate(actor, election, voter, post, tally, **fields))
    if passed_township:
        review_services.qualification_review_record(
            actor=actor, candidate=result.candidate, outcome=Outcome.PASS
        )
    result.candidate.refresh_from_db()
    return result.candidate


def joint_review_all_pass(county_actor, cycle, county: Region, *, departments=None, fail=None):
    """Open the county's joint review, enter every department's verdicts on its behalf (``fail``: a
    {candidate: (department code, negative-list code)} of fails) and close it."""
    from candidates.models import NegativeListItem

    departments = departments or list(Department.objects.active()[:3])
    review = review_services.joint_review_open(
        actor=county_actor, cycle=cycle, county=county, departments=departments
    )
    for cand, (code, item) in (fail or {}).items():
        review_services.department_verdict_enter(
            actor=county_actor,
            review=review,
            candidate=cand,
            department=Department.objects.get(code=code),
            outcome=Outcome.FAIL,
            negative_item=NegativeListItem.objects.get(code=item),
            paper_reference="县公安局复函〔2026〕1号",
        )
    for department in departments:
        review_services.department_verdicts_pass_remaining(
            actor=county_actor,
            review=review,
            department=department,
            paper_reference=f"{department.name}复函〔2026〕1号",
        )
    return review_services.joint_review_close(actor=county_actor, review=review)


# --- Crawl: out-of-area objects in 湟源县 ------------------------------------------------------------------


def huangyuan_candidate_objects(canaries) -> dict:
    """A nomination, a candidate and a joint review in 湟源县 (another county), on the canary voter of
    ``tests.voter_helpers.huangyuan_voter_objects``: out of area for every 大通县 user."""
    if "hy_candidate" not in canaries:
        from election_admin.models import User
        from tests.voter_helpers import huangyuan_voter_objects

        ensure_candidate_data()
        huangyuan_voter_objects(canaries)
        county = User.objects.get(username="canary-huangyuan-bureau")
        election = canaries["hy_election"]
        nomination = nominate(
            county, election, canaries["hy_voter"], Post.CHAIR, tally=0, method=NominationMethod.SELF
        )
        result = confirm(county, nomination)
        review_services.qualification_review_record(
            actor=county, candidate=result.candidate, outcome=Outcome.PASS
        )
        review = review_services.joint_review_open(
            actor=county,
            cycle=huangyuan_objects(canaries)["cycle"],
            county=Region.objects.get(code="630123"),
            departments=list(Department.objects.active()[:2]),
        )
        canaries.update(hy_nomination=nomination, hy_candidate=result.candidate, hy_review=review)
    return canaries


def _hy(key):
    return lambda c: huangyuan_candidate_objects(c)[key].pk


# Out-of-area values for tests/test_crawl.py: every candidates URL parameter, in 湟源县.
CANDIDATES_OUT_OF_AREA = {
    **{
        (name, "election_id"): _hy("hy_election")
        for name in (
            "candidate_election",
            "nomination_round",
            "nomination_create",
            "candidate_list_publish",
            "committee_members",
        )
    },
    **{
        (name, "nomination_id"): _hy("hy_nomination") for name in ("nomination_confirm", "nomination_decline")
    },
    **{
        (name, "candidate_id"): _hy("hy_candidate")
        for name in ("candidate_detail", "candidate_reveal_id", "verdict_enter")
    },
    **{
        (name, "review_id"): _hy("hy_review")
        for name in ("joint_review_detail", "joint_review_close", "verdicts_pass_remaining", "verdict_enter")
    },
}


def province_village(province: str, **kwargs) -> Village:
    """A village of 浙江 ("33"), 上海 ("31") or 北京 ("11") under the province's shipped rule set."""
    ensure_candidate_data()
    actor = province_county_user(province)
    rule_set = RuleSet.objects.filter(province_code=province, revision=1).get()
    cycle = _open_cycle(actor, actor.region, rule_set, kwargs.pop("optional_bodies", ()))
    return ready_village(actor, cycle=cycle, code=PROVINCE_UNITS[province][4][0], **kwargs)
