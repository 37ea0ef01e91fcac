"""Demo statistics for 西宁市 (6301): a closed 2021 city cycle and the 2026 city cycle, every village's
committee and party branch election with certified figures and its people elected (synthetic people,
generated directly — not through the tally flow — but with the same models and rules: ages on the
election day, ID numbers only as keyed hashes, party posts, 一肩挑, 交叉任职, re-elected matched by hash).

大通县 (630121) runs its own 2026 county cycle in the demo (election_admin/demo/cycles.py), so the
2026 city cycle covers the city's other counties; the 2021 cycle covers the whole city, so 大通县's
cycle is compared with it too. Idempotent: a second call finds the cycles and returns."""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from django.db import transaction

from election_admin.choices import RegionLevel
from election_admin.choices_cycles import Body, CycleStatus, Stage
from election_admin.models import Cycle, Election, Region, User
from election_admin.services.cycles import default_seats, main_body_for
from election_admin.services.progress import progress_add_many, progress_snapshot
from election_admin.services.rulesets import ruleset_applicable

from . import arithmetic as ar
from .models import ElectedMember, ElectionDayFigures, level_codes
from .services import flags_apply, previous_index, tally_refresh

CITY = "6301"
OWN_COUNTY_CYCLE = "630121"  # 大通县: its own 2026 cycle in the demo
CYCLES = [
    # (name, window start, window end, status, skip the county with its own cycle)
    ("2021年西宁市村（社区）两委换届", date(2021, 3, 1), date(2021, 6, 30), CycleStatus.CLOSED, False),
    (
        "2026年西宁市村（社区）两委换届（统计演示）",
        date(2026, 3, 1),
        date(2026, 10, 31),
        CycleStatus.OPEN,
        True,
    ),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高祁韩冶鲁"
GIVEN = "建国志强秀英玉兰海军永福国栋成林春梅晓燕立新桂花明德文杰丽娟正平小龙红霞德才金花有福"
ETHNICITIES = ["汉族"] * 14 + ["回族"] * 3 + ["土族", "藏族", "撒拉族"]
OCCUPATIONS = [
    "农民",
    "个体工商户",
    "企业职工",
    "合作社负责人",
    "退役军人",
    "社区工作者",
    "返乡大学生",
    "村医",
]
EDUCATION_2021 = ["junior"] * 3 + ["senior"] * 4 + ["college"] * 3 + ["bachelor"] * 2
EDUCATION_2026 = ["junior"] * 1 + ["senior"] * 3 + ["college"] * 4 + ["bachelor"] * 4 + ["postgraduate"]


def _hash(seed: str) -> str:
    return hashlib.sha256(f"demo-statistics:{seed}".encode()).hexdigest()


class _People:
    """A village's pool of people: the same person (hash) may serve in both terms and on both bodies."""

    def __init__(self, village: str, rng: random.Random):
        self.village, self.rng, self.count = village, rng, 0
        self.known: dict[str, dict] = {}

    def new(self, born_from: int, born_to: int, woman: bool | None = None) -> dict:
        self.count += 1
        rng = self.rng
        woman = rng.random() < 0.3 if woman is None else woman
        person = {
            "id_hash": _hash(f"{self.village}-{self.count}"),
            "name": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
            "gender": "female" if woman else "male",
            "ethnicity": rng.choice(ETHNICITIES),
            "birth_date": date(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28)),
            "occupation": rng.choice(OCCUPATIONS),
        }
        self.known[person["id_hash"]] = person
        return person


def _cycle(name, start, end, status, actor) -> Cycle:
    return Cycle.objects.create(
        name=name,
        region_id=CITY,
        rule_set=ruleset_applicable(province_code="63", on=start),
        term_start=end + timedelta(days=30),
        window_start=start,
        window_end=end,
        bodies=[Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE, Body.PARTY_BRANCH],
        status=status,
        created_by=actor,
    )


def _member(cycle, election, person, *, post, party_post="", day, education, party, round_number=1):
    return ElectedMember(
        cycle=cycle,
        election=election,
        region_id=election.region_id,
        **level_codes(election.region_id),
        body=election.body,
        post=post,
        party_post=party_post,
        name=person["name"],
        gender=person["gender"],
        ethnicity=person["ethnicity"],
        birth_date=person["birth_date"],
        election_day=day,
        age=ar.age_on(person["birth_date"], day),
        education=education,
        party_membership=party,
        occupation=person["occupation"],
        id_hash=person["id_hash"],
        elected_round=round_number,
    )


def _village_term(cycle, term, village, kind, pools, rng, previous_people, year):
    """One village's two elections in one term and the people elected; returns (elections, members, days)."""
    main = main_body_for(kind)
    seats = {body: default_seats(body, cycle.rule_set) for body in (main, Body.PARTY_BRANCH)}
    start, end = cycle.window_start, cycle.window_end
    day = start + timedelta(days=rng.randint(10, (end - start).days - 20))
    fate = rng.random()
    runoff = fate < 0.06
    failed = 0.06 <= fate < 0.075
    late = 0.075 <= fate < 0.09
    certified_on = day + timedelta(days=rng.randint(3, 14)) if runoff else day
    if late:
        certified_on = end + timedelta(days=rng.randint(3, 20))
    stage_dates = {Stage.VOTING_DONE: day.isoformat()}
    if runoff:
        stage_dates[Stage.RUNOFF] = day.isoformat()
    if failed:
        stage_dates[Stage.FAILED] = day.isoformat()
        stage = Stage.FAILED
    else:
        stage_dates[Stage.RESULTS_CERTIFIED] = certified_on.isoformat()
        stage = Stage.RESULTS_CERTIFIED if term == 1 else Stage.HANDED_OVER
        if stage == Stage.HANDED_OVER:
            stage_dates[Stage.HANDED_OVER] = (certified_on + timedelta(days=5)).isoformat()
    registered = rng.randint(380, 3600) if kind == "village" else rng.randint(1500, 9000)
    voted = int(registered * rng.uniform(0.78, 0.96))
    committee = Election(
        cycle=cycle,
        region_id=village,
        body=main,
        election_day=day,
        stage=stage,
        stage_dates=stage_dates,
        registered_count=None if failed else registered,
        voted_count=None if failed else voted,
        filled_in_first_round=None if failed else not runoff,
        results_on=None if failed else certified_on,
        **seats[main],
    )
    branch = Election(
        cycle=cycle,
        region_id=village,
        body=Body.PARTY_BRANCH,
        election_day=day - timedelta(days=20),
        stage=Stage.RESULTS_CERTIFIED,
        stage_dates={
            Stage.VOTING_DONE: (day - timedelta(days=20)).isoformat(),
            Stage.RESULTS_CERTIFIED: (day - timedelta(days=20)).isoformat(),
        },
        registered_count=rng.randint(20, 90),
        filled_in_first_round=True,
        results_on=day - timedelta(days=20),
        **seats[Body.PARTY_BRANCH],
    )
    branch.voted_count = int(branch.registered_count * rng.uniform(0.85, 1.0))
    pool = pools[village]
    education = EDUCATION_2021 if year == 2021 else EDUCATION_2026
    born_from, born_to = (1955, 1988) if year == 2021 else (1970, 2000)

    def pick(post_woman=None, keep_share=0.5):
        earlier = [p for p in previous_people.get(village, []) if p["id_hash"] not in used]
        if earlier and rng.random() < keep_share:
            chosen = rng.choice(earlier)
            if post_woman is None or (chosen["gender"] == "female") == post_woman:
                used.add(chosen["id_hash"])
                return chosen
        person = pool.new(born_from, born_to, post_woman)
        used.add(person["id_hash"])
        return person

    used: set[str] = set()
    branch_people = [pick() for _ in range(branch.seats_total)]
    party = [(p, rng.choice(education)) for p in branch_people]
    secretary = branch_people[0]
    dual = rng.random() < (0.45 if year == 2021 else 0.75)
    committee_people = []
    if not failed:
        chair = secretary if dual else pick()
        committee_people.append(("chair", chair))
        for _ in range(committee.seats_vice_chair):
            committee_people.append(("vice_chair", branch_people[1] if rng.random() < 0.5 else pick()))
        if committee.seats_women_member:
            committee_people.append(("women_member", pick(post_woman=True)))
        for _ in range(committee.seats_member):
            committee_people.append(("member", pick()))
    return committee, branch, party, committee_people, runoff, failed, day


@transaction.atomic
def demo_statistics_create(*, actor: User) -> list[Cycle]:
    """Create the two 西宁市 cycles with elections, figures and people elected (idempotent)."""
    names = [c[0] for c in CYCLES]
    existing = list(Cycle.objects.filter(region_id=CITY, name__in=names))
    if existing:
        return existing
    rng = random.Random(6301)
    villages = list(
        Region.objects.filter(code__startswith=CITY, level=RegionLevel.VILLAGE_LEVEL)
        .exclude(kind="other")
        .order_by("code")
        .values_list("code", "kind")
    )
    pools = {code: _People(code, rng) for code, _kind in villages}
    previous_people: dict[str, list[dict]] = {}
    terms: list[dict] = []
    made = []
    for term, (name, start, end, status, skip_own) in enumerate(CYCLES):
        cycle = _cycle(name, start, end, status, actor)
        made.append(cycle)
        elections, plans = [], []
        for code, kind in villages:
            if skip_own and code.startswith(OWN_COUNTY_CYCLE):
                continue
            committee, branch, party, committee_people, runoff, failed, day = _village_term(
                cycle, term, code, kind, pools, rng, previous_people, start.year
            )
            elections += [committee, branch]
            plans.append((committee, branch, party, committee_people, runoff, failed, day))
        Election.objects.bulk_create(elections, batch_size=1000)
        # the dashboards' counters always equal a rebuild from the elections (services.progress)
        progress_add_many(progress_snapshot(e) for e in elections)
        cycle.election_count = len(elections)
        cycle.save(update_fields=["election_count"])
        members, days = [], []
        education = EDUCATION_2021 if start.year == 2021 else EDUCATION_2026
        this_term: dict[str, list[dict]] = {}
        for committee, branch, party, committee_people, runoff, failed, day in plans:
            for index, (person, edu) in enumerate(party):
                members.append(
                    _member(
                        cycle,
                        branch,
                        person,
                        post="member",
                        party_post="secretary"
                        if index == 0
                        else ("deputy_secretary" if index == 1 else "member"),
                        day=branch.election_day,
                        education=edu,
                        party=rng.choice(["cpc_member"] * 9 + ["cpc_probationary"]),
                    )
                )
            party_hashes = {p["id_hash"] for p, _edu in party}
            for post, person in committee_people:
                members.append(
                    _member(
                        cycle,
                        committee,
                        person,
                        post=post,
                        day=day,
                        education=rng.choice(education),
                        party="cpc_member"
                        if person["id_hash"] in party_hashes or rng.random() < 0.3
                        else "none",
                        round_number=2 if runoff and post == "member" else 1,
                    )
                )
            this_term[committee.region_id] = [p for p, _e in party] + [p for _post, p in committee_people]
            if not failed:
                days.append(
                    ElectionDayFigures(
                        election=committee,
                        cycle=cycle,
                        region_id=committee.region_id,
                        body=committee.body,
                        proxy_voters=int(committee.voted_count * rng.uniform(0.01, 0.06)),
                        mobile_box_voters=int(committee.voted_count * rng.uniform(0.0, 0.12)),
                        ballot_writer_voters=rng.randint(0, 15),
                        boxes=rng.randint(2, 6),
                        mobile_boxes=rng.randint(0, 2),
                        booths=rng.randint(1, 4),
                        polling_stations=rng.randint(0, 4),
                    )
                )
        # one person per body and village (the unique key); a demo draw could repeat someone
        seen, unique = set(), []
        for m in members:
            key = (m.region_id, m.body, m.id_hash)
            if key not in seen:
                seen.add(key)
                unique.append(m)
        flags_apply(unique, previous_index(cycle, [code for code, _kind in villages]))
        ElectedMember.objects.bulk_create(unique, batch_size=2000)
        ElectionDayFigures.objects.bulk_create(days, batch_size=1000)
        tally_refresh(cycle=cycle, prefix=CITY)
        previous_people = this_term
        terms.append(this_term)
    _county_cycle_members(rng, pools, terms[0])
    return made


def _county_cycle_members(rng: random.Random, pools: dict, people_2021: dict) -> None:
    """People elected in the certified elections of 大通县's own 2026 demo cycle (its stages come from
    election_admin/demo/cycles.py), so that cycle's statistics and comparison are not empty."""
    from election_admin.demo.cycles import DEMO_CYCLE_NAME

    cycle = Cycle.objects.filter(region_id=OWN_COUNTY_CYCLE, name=DEMO_CYCLE_NAME).first()
    if cycle is None or ElectedMember.objects.filter(cycle=cycle).exists():
        return
    members, days = [], []
    elections = Election.objects.filter(cycle=cycle, stage__in=[Stage.RESULTS_CERTIFIED, Stage.HANDED_OVER])
    for election in elections.order_by("region_id"):
        day = election.election_day
        pool = pools.get(election.region_id)
        if pool is None or day is None:
            continue
        earlier = list(people_2021.get(election.region_id, []))
        used: set[str] = set()

        def pick(woman=None, earlier=earlier, used=used, pool=pool):
            keep = [
                p
                for p in earlier
                if p["id_hash"] not in used and (woman is None or (p["gender"] == "female") == woman)
            ]
            person = rng.choice(keep) if keep and rng.random() < 0.5 else pool.new(1970, 2000, woman)
            used.add(person["id_hash"])
            return person

        posts = [("chair", None)] + [("vice_chair", None)] * election.seats_vice_chair
        posts += [("women_member", True)] * election.seats_women_member + [
            ("member", None)
        ] * election.seats_member
        for post, woman in posts:
            person = pick(woman)
            members.append(
                _member(
                    cycle,
                    election,
                    person,
                    post=post,
                    day=day,
                    education=rng.choice(EDUCATION_2026),
                    party="cpc_member" if rng.random() < 0.5 else "none",
                )
            )
        voted = election.voted_count or 0
        days.append(
            ElectionDayFigures(
                election=election,
                cycle=cycle,
                region_id=election.region_id,
                body=election.body,
                proxy_voters=int(voted * rng.uniform(0.01, 0.06)),
                mobile_box_voters=int(voted * rng.uniform(0.0, 0.12)),
                ballot_writer_voters=rng.randint(0, 15),
                boxes=rng.randint(2, 6),
                mobile_boxes=rng.randint(0, 2),
                booths=rng.randint(1, 4),
                polling_stations=rng.randint(0, 4),
            )
        )
    flags_apply(members, previous_index(cycle, sorted({m.region_id for m in members})))
    ElectedMember.objects.bulk_create(members, batch_size=2000)
    ElectionDayFigures.objects.bulk_create(days, batch_size=1000)
    tally_refresh(cycle=cycle, prefix=OWN_COUNTY_CYCLE)


def demo_statistics_step(stdout) -> None:
    """The demo_setup step: statistics of 西宁市 for the city account ``xining``."""
    actor = User.objects.filter(username="xining", region__code=CITY).first()
    if (
        actor is None
        or not Region.objects.filter(code__startswith=CITY, level=RegionLevel.VILLAGE_LEVEL).exists()
    ):
        stdout.write("统计演示：缺少 xining 账号或西宁市区划，跳过。")
        return
    cycles = demo_statistics_create(actor=actor)
    people = ElectedMember.objects.filter(cycle__in=cycles).count()
    stdout.write(f"统计演示：西宁市 {len(cycles)} 届换届，{people} 名当选人。")
