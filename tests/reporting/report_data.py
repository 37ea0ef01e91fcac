"""The quoted city report, as a data set: 45 community party organisations all re-elected on time, all at
the first ballot; 225 members, average age 38.7 (previous term 40.9: "down 2.2"), 125 with a bachelor's
degree or above (55.6 %, previous 112 = 49.8 %: "up 5.8 points"), 82 aged 35 or under, secretaries'
average age 42.5. Built through the models (the previous term through the import service)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.utils import timezone

from election_admin.choices_cycles import Body, Stage
from election_admin.models import Election
from election_admin.reporting.models import ElectedMember, level_codes
from election_admin.reporting.services import flags_refresh, previous_members_import
from tests.cycle_helpers import open_datong_cycle
from tests.factories import make_region

TOWNSHIP = "630121199"
COMMUNITIES = [f"{TOWNSHIP}{n:03d}" for n in range(1, 46)]


def person_hash(n: int) -> str:
    return hashlib.sha256(f"person-{n}".encode()).hexdigest()


def birth_for(age: int, day: date) -> date:
    """Born on 1 January: exactly ``age`` on ``day``."""
    return date(day.year - age, 1, 1)


def current_ages() -> list[int]:
    """225 ages: 45 secretaries (22×42 + 23×43, average 42.5), 82 aged 30, 83 aged 44, 15 aged 45."""
    secretaries = [42] * 22 + [43] * 23
    others = [30] * 82 + [44] * 83 + [45] * 15
    return secretaries + others


def build_report(county_user, regions):
    """The 45 communities of a test street (街道) in 大通县, their party branch elections certified on time
    at the first ballot, 225 people elected, and the previous term imported. Returns the cycle."""
    make_region(TOWNSHIP, "测试街道")
    for n, code in enumerate(COMMUNITIES, start=1):
        make_region(code, f"测试第{n}社区居委会")
    cycle = open_datong_cycle(county_user, regions, optional_bodies=[Body.PARTY_BRANCH])
    today = timezone.localdate()
    day = today - timedelta(days=10)
    branches = Election.objects.filter(cycle=cycle, region_id__in=COMMUNITIES, body=Body.PARTY_BRANCH)
    assert branches.count() == 45
    branches.update(
        stage=Stage.RESULTS_CERTIFIED,
        election_day=day,
        stage_dates={Stage.VOTING_DONE: day.isoformat(), Stage.RESULTS_CERTIFIED: day.isoformat()},
        filled_in_first_round=True,
        registered_count=60,
        voted_count=57,
        results_on=day,
    )
    by_region = {e.region_id: e for e in branches}
    ages = current_ages()
    rows = []
    for i, age in enumerate(ages):
        # secretaries are people 0–44 (one per community); the others fill four seats per community
        community = COMMUNITIES[i] if i < 45 else COMMUNITIES[(i - 45) // 4]
        election = by_region[community]
        rows.append(
            ElectedMember(
                cycle=cycle,
                election=election,
                region_id=community,
                **level_codes(community),
                body=Body.PARTY_BRANCH,
                post="member",
                party_post="secretary" if i < 45 else "member",
                name=f"当选人{i:03d}",
                gender="female" if i % 3 == 0 else "male",
                ethnicity="回族" if i % 10 == 0 else "汉族",
                birth_date=birth_for(age, day),
                election_day=day,
                age=age,
                education="bachelor" if i < 125 else "college",
                party_membership="cpc_member",
                occupation="社区工作者",
                id_hash=person_hash(i),
            )
        )
    ElectedMember.objects.bulk_create(rows)
    flags_refresh(cycle=cycle, village_codes=COMMUNITIES)
    previous_day = date(day.year - 5, day.month, 1)
    previous = []
    for i in range(225):
        community = COMMUNITIES[i] if i < 45 else COMMUNITIES[(i - 45) // 4]
        # people 0–99 served before (re-elected now); 100–224 of the previous term left
        n = i if i < 100 else 1000 + i
        age = 41 if i < 200 else 40
        previous.append(
            {
                "village_code": community,
                "body": Body.PARTY_BRANCH,
                "post": "member",
                "party_post": "secretary" if i < 45 else "member",
                "name": f"上届{i:03d}",
                "gender": "female" if i % 4 == 0 else "male",
                "ethnicity": "汉族",
                "birth_date": birth_for(age, previous_day),
                "education": "bachelor" if i < 112 else "senior",
                "party_membership": "cpc_member",
                "occupation": "",
                "id_hash": person_hash(n),
            }
        )
    previous_members_import(actor=county_user, cycle=cycle, rows=previous, election_day=previous_day)
    return cycle
