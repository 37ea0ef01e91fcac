"""Demo data: the 大通县 2026 cycle with its elections spread across stages, so that every dashboard shows
something real — done and handed-over villages, a polling week, overdue rolls, idle townships.

Everything goes through the real services (audited, counters kept), dated in the past where the story
needs it. Idempotent: a second call returns the existing cycle untouched.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .. import legal_calendar as cal
from ..choices import RegionLevel
from ..choices_cycles import RiskClass, Stage
from ..models import Cycle, Election, Region, User
from ..services.cycles import cycle_open
from ..services.elections import committee_member_add, election_days_set_bulk, election_update
from ..services.rulesets import ruleset_applicable
from ..services.stages import election_results_record, election_stage_advance

DEMO_CYCLE_NAME = "2026年大通县村（社区）两委换届"
COMMITTEE_NAMES = ["马成林", "李秀兰", "祁永寿", "张国栋", "赵玉梅"]
DIFFICULT_REASONS = ["宗族矛盾突出，上届选举曾有信访", "村集体经济纠纷未结", "村“两委”班子长期不团结"]


def _advance_to(actor, election: Election, target: str, day, rng: random.Random, today) -> Election:
    """Walk one election along the main line up to ``target``, each step on its lawful date (never later
    than today)."""
    steps = [
        (Stage.COMMITTEE_FORMED, day - timedelta(days=34)),
        (Stage.ROLL_PUBLISHED, day - timedelta(days=22)),
        (Stage.CANDIDATES_PUBLISHED, day - timedelta(days=6)),
        (Stage.VOTING_DONE, day),
    ]
    for stage, on in steps:
        if cal.stage_reached(election.stage, stage):
            continue
        if stage == Stage.COMMITTEE_FORMED:
            for index, name in enumerate(COMMITTEE_NAMES[: rng.choice([3, 5])]):
                committee_member_add(
                    actor=actor, election=election, name=name, role="chair" if index == 0 else "member"
                )
        election = election_stage_advance(
            actor=actor, election=election, to_stage=stage, today=min(on, today)
        )
        if stage == target:
            return election
    if target in (Stage.RESULTS_CERTIFIED, Stage.HANDED_OVER, Stage.RUNOFF, Stage.FAILED):
        registered = rng.randint(600, 4200)
        if target == Stage.FAILED:
            return election_stage_advance(actor=actor, election=election, to_stage=Stage.FAILED, today=day)
        election = election_results_record(
            actor=actor,
            election=election,
            registered_count=registered,
            voted_count=int(registered * rng.uniform(0.82, 0.97)),
            filled_in_first_round=target != Stage.RUNOFF,
            today=day,
        )
        if target == Stage.RUNOFF:
            return election_stage_advance(actor=actor, election=election, to_stage=Stage.RUNOFF, today=day)
        election = election_stage_advance(
            actor=actor, election=election, to_stage=Stage.RESULTS_CERTIFIED, today=day
        )
        if target == Stage.HANDED_OVER:
            election = election_stage_advance(
                actor=actor, election=election, to_stage=Stage.HANDED_OVER, today=day + timedelta(days=3)
            )
    return election


@transaction.atomic
def demo_cycle_create(*, county_user: User) -> Cycle:
    """Open the 大通县 demo cycle and spread its elections over the stages (idempotent)."""
    existing = Cycle.objects.filter(region=county_user.region, name=DEMO_CYCLE_NAME).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    rng = random.Random(2026)
    county = county_user.region
    cycle = cycle_open(
        actor=county_user,
        region=county,
        name=DEMO_CYCLE_NAME,
        rule_set=ruleset_applicable(province_code=county.code[:2], on=today),
        term_start=today + timedelta(days=70),
        window_start=today - timedelta(days=45),
        window_end=today + timedelta(days=60),
        optional_bodies=[],
    )
    townships = list(Region.objects.filter(parent=county, level=RegionLevel.TOWNSHIP).order_by("code"))
    # (days from today to election day, how the township's elections are spread over stages)
    plans = [
        (-12, [Stage.HANDED_OVER] * 6 + [Stage.RESULTS_CERTIFIED] * 3 + [Stage.RUNOFF]),
        (-5, [Stage.RESULTS_CERTIFIED] * 7 + [Stage.VOTING_DONE] * 2 + [Stage.FAILED]),
        (-2, [Stage.RESULTS_CERTIFIED] * 4 + [Stage.VOTING_DONE] * 5 + [Stage.CANDIDATES_PUBLISHED]),
        (3, [Stage.CANDIDATES_PUBLISHED] * 8 + [Stage.ROLL_PUBLISHED] * 2),
        (6, [Stage.CANDIDATES_PUBLISHED] * 6 + [Stage.ROLL_PUBLISHED] * 4),
        (12, [Stage.ROLL_PUBLISHED] * 7 + [Stage.COMMITTEE_FORMED] * 3),
        (16, [Stage.ROLL_PUBLISHED] * 5 + [Stage.COMMITTEE_FORMED] * 3 + [Stage.PREPARATION] * 2),
        (24, [Stage.ROLL_PUBLISHED] * 3 + [Stage.COMMITTEE_FORMED] * 6 + [Stage.PREPARATION]),
        (30, [Stage.COMMITTEE_FORMED] * 5 + [Stage.PREPARATION] * 5),
        (40, [Stage.COMMITTEE_FORMED] * 2 + [Stage.PREPARATION] * 8),
        (45, [Stage.PREPARATION]),
    ]
    for index, township in enumerate(townships):
        if index >= len(plans):
            break  # the remaining townships have no election day yet: they stand out as idle
        offset, spread = plans[index]
        day = today + timedelta(days=offset)
        election_days_set_bulk(
            actor=county_user, cycle=cycle, area_code=township.code, election_day=day, today=today
        )
        elections = list(
            Election.objects.filter(cycle=cycle, region__code__startswith=township.code).order_by("region_id")
        )
        for position, election in enumerate(elections):
            target = spread[(position * 7) % len(spread)]  # stride 7: townships get a mix
            if target != Stage.PREPARATION:
                election = _advance_to(county_user, election, target, day, rng, today)
            if position % 9 == 4:
                difficult = position % 2 == 0
                election_update(
                    actor=county_user,
                    election=election,
                    seats_vice_chair=election.seats_vice_chair,
                    seats_member=election.seats_member,
                    seats_women_member=election.seats_women_member,
                    risk_class=RiskClass.DIFFICULT if difficult else RiskClass.WATCH,
                    risk_reason=rng.choice(DIFFICULT_REASONS) if difficult else "外出务工人员多，参选率偏低",
                )
    cycle.refresh_from_db()
    return cycle


def demo_cycle_step(stdout) -> None:
    """The demo_setup step: open the 大通县 cycle as the demo county bureau account ``datong``."""
    county_user = User.objects.filter(username="datong", region__code="630121").first()
    if (
        county_user is None
        or not Region.objects.filter(code__startswith="630121", level=RegionLevel.VILLAGE_LEVEL).exists()
    ):
        stdout.write("大通县换届演示：缺少 datong 账号或大通县区划，跳过。")
        return
    cycle = demo_cycle_create(county_user=county_user)
    stdout.write(f"大通县换届演示：{cycle.name}，共 {cycle.election_count} 个选举。")
