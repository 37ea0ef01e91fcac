"""Helpers for voter-roll tests: a village election with its day set, voters through the real service."""

from datetime import date, timedelta

from django.utils import timezone

from election_admin.choices import Role
from election_admin.choices_cycles import Body, Stage
from election_admin.models import Election
from election_admin.services.cycles import cycle_open
from election_admin.services.elections import committee_member_add, election_day_set
from election_admin.services.rulesets import ruleset_applicable
from election_admin.services.stages import election_stage_advance
from tests.cycle_helpers import ensure_shipped_rulesets, open_datong_cycle
from tests.factories import UserFactory
from tests.voters.files import make_id
from voters.services.registration import voter_register

VILLAGE = "630121100201"  # 元树尔村委会, 桥头镇


def village_election(county_user, regions, *, code: str = VILLAGE, days_ahead: int = 30, cycle=None, body=None):
    """The villagers' committee election of a 大通县 village, election day ``days_ahead`` from today."""
    cycle = cycle or open_datong_cycle(county_user, regions)
    body = body or (Body.RESIDENTS_COMMITTEE if code[9] == "0" else Body.VILLAGERS_COMMITTEE)
    election = Election.objects.get(cycle=cycle, region_id=code, body=body)
    election_day_set(
        actor=county_user, election=election, election_day=timezone.localdate() + timedelta(days=days_ahead)
    )
    election.refresh_from_db()
    return election


def form_committee(actor, election):
    """Three committee members and the stage moved to 选委会已推选, so the roll can be published."""
    for name in ("马成林", "李秀兰", "祁永寿"):
        committee_member_add(actor=actor, election=election, name=name)
    return election_stage_advance(actor=actor, election=election, to_stage=Stage.COMMITTEE_FORMED)


def register(actor, election, name="张三", *, born=date(1980, 5, 3), sequence=123, **fields):
    return voter_register(actor=actor, election=election, name=name, id_number=make_id(born, sequence), **fields)


def huangyuan_canaries(regions):
    """A cycle, election and voter in 湟源县 (another county): out of area for every 大通县 user."""
    ensure_shipped_rulesets()
    county = UserFactory(username="canary-huangyuan-county", role=Role.COUNTY_BUREAU, region=regions["630123"])
    today = timezone.localdate()
    cycle = cycle_open(
        actor=county,
        region=regions["630123"],
        name="2026年湟源县村（社区）两委换届",
        rule_set=ruleset_applicable(province_code="63", on=today),
        term_start=today + timedelta(days=100),
        window_start=today - timedelta(days=60),
        window_end=today + timedelta(days=90),
        optional_bodies=[],
    )
    election = village_election(county, regions, code="630123100200", cycle=cycle)
    voter = register(county, election, "CANARY-HUANGYUAN", sequence=451)
    return {"hy_county": county, "hy_election": election, "hy_voter": voter}
