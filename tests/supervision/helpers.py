"""Helpers for supervision tests: the 大通县 cycle with 桥头镇 voting in ten days (its rolls overdue), leaders
assigned through the real bulk service, complaints through the real services."""

from datetime import timedelta

from django.utils import timezone

from election_admin.choices_cycles import Body
from election_admin.models import Election
from election_admin.services.elections import election_days_set_bulk
from election_admin.supervision.choices import AssignmentKind
from election_admin.supervision.services.assignments import AssignmentRow, assignments_set_bulk
from tests.cycle_helpers import open_datong_cycle

QIAOTOU, CHENGGUAN = "630121100", "630121101"
YUANSHUER = "630121100201"  # 元树尔村委会, 桥头镇


def datong_cycle(county_user, regions, *, days_ahead: int = 10):
    """The 大通县 cycle; 桥头镇's five units vote in ``days_ahead`` days (10: the roll, due D-20, is 10 days
    overdue), 城关镇 has no election day yet."""
    cycle = open_datong_cycle(county_user, regions)
    election_days_set_bulk(
        actor=county_user,
        cycle=cycle,
        area_code=QIAOTOU,
        election_day=timezone.localdate() + timedelta(days=days_ahead),
    )
    return cycle


def yuanshuer(cycle) -> Election:
    return Election.objects.get(cycle=cycle, region_id=YUANSHUER, body=Body.VILLAGERS_COMMITTEE)


def assign_datong(county_user, township_user, cycle):
    """County leaders for both townships; a township leader and a resident cadre for 元树尔村."""
    assignments_set_bulk(
        actor=county_user,
        cycle=cycle,
        rows=[
            AssignmentRow(QIAOTOU, AssignmentKind.COUNTY_LEADER, "王建国", "副县长", "13897001234"),
            AssignmentRow(CHENGGUAN, AssignmentKind.COUNTY_LEADER, "马秀英", "县委常委", "13897005678"),
        ],
    )
    assignments_set_bulk(
        actor=township_user,
        cycle=cycle,
        rows=[
            AssignmentRow(YUANSHUER, AssignmentKind.TOWNSHIP_LEADER, "李明", "副镇长", "13909711111"),
            AssignmentRow(YUANSHUER, AssignmentKind.RESIDENT_CADRE, "张华", "驻村干部", "0971-2721234"),
        ],
    )


def certified(actor, election, day, *, registered=1200, voted=1080, filled=True):
    """Walk an election with its election day ``day`` (in the past) to "results certified" on ``day``, every
    step on its lawful date, with results recorded."""
    from election_admin.choices_cycles import Stage
    from election_admin.services.elections import committee_member_add, election_day_set
    from election_admin.services.stages import election_results_record, election_stage_advance

    election_day_set(actor=actor, election=election, election_day=day)
    names = ["马成林", "李秀兰", "祁永寿", "张国栋", "赵玉梅", "韩生福", "马兰英"]
    for index, name in enumerate(names[: election.cycle.rule_set.election_committee_size_min]):
        committee_member_add(
            actor=actor, election=election, name=name, role="chair" if index == 0 else "member"
        )
    election = election_stage_advance(
        actor=actor, election=election, to_stage=Stage.COMMITTEE_FORMED, today=day - timedelta(days=34)
    )
    election = election_stage_advance(
        actor=actor, election=election, to_stage=Stage.ROLL_PUBLISHED, today=day - timedelta(days=22)
    )
    election = election_stage_advance(
        actor=actor, election=election, to_stage=Stage.CANDIDATES_PUBLISHED, today=day - timedelta(days=6)
    )
    election = election_stage_advance(actor=actor, election=election, to_stage=Stage.VOTING_DONE, today=day)
    election = election_results_record(
        actor=actor,
        election=election,
        registered_count=registered,
        voted_count=voted,
        filled_in_first_round=filled,
        today=day,
    )
    return election_stage_advance(actor=actor, election=election, to_stage=Stage.RESULTS_CERTIFIED, today=day)
