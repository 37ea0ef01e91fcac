"""Helpers for cycle tests: open the 大通县 test cycle through the real service."""

import importlib
from datetime import date, timedelta

from django.utils import timezone

from election_admin.models import RuleSet
from election_admin.services.cycles import cycle_open
from election_admin.services.rulesets import ruleset_applicable


def ensure_shipped_rulesets() -> None:
    """Put the shipped rule sets back after a transactional test's flush emptied the table."""
    if not RuleSet.objects.exists():
        from django.apps import apps

        importlib.import_module("election_admin.migrations.0003_shipped_rulesets").ship(apps, None)


def national_rules() -> RuleSet:
    return RuleSet.objects.get(province_code="", revision=1)


def open_datong_cycle(county_user, regions, *, today: date | None = None, optional_bodies=()):
    today = today or timezone.localdate()
    ensure_shipped_rulesets()
    return cycle_open(
        actor=county_user,
        region=regions["630121"],
        name="2026年大通县村（社区）两委换届",
        rule_set=ruleset_applicable(province_code="63", on=today),
        term_start=today + timedelta(days=100),
        window_start=today - timedelta(days=60),
        window_end=today + timedelta(days=90),
        optional_bodies=list(optional_bodies),
    )


def huangyuan_objects(canaries) -> dict:
    """A cycle, election and job of 湟源县 (outside 大通县), made once per crawl for its out-of-area ids."""
    if "cycle" not in canaries:
        from election_admin.choices import Role
        from election_admin.models import Election, Region
        from election_admin.services.jobs import job_create

        from .factories import UserFactory

        ensure_shipped_rulesets()
        bureau = UserFactory(username="canary-huangyuan-bureau", role=Role.COUNTY_BUREAU, region_id="630123")
        today = timezone.localdate()
        cycle = cycle_open(
            actor=bureau,
            region=Region.objects.get(code="630123"),
            name="2026年湟源县换届",
            rule_set=ruleset_applicable(province_code="63", on=today),
            term_start=today + timedelta(days=100),
            window_start=today - timedelta(days=60),
            window_end=today + timedelta(days=90),
            optional_bodies=[],
        )
        canaries["cycle"] = cycle
        canaries["election"] = Election.objects.filter(cycle=cycle).first()
        canaries["job"] = job_create(actor=bureau, kind="cycle_populate", region=cycle.region, total=1)
    return canaries


def crawl_out_of_area() -> dict:
    """Out-of-area values for tests/test_crawl.py: objects of 湟源县, and 浙江's rule set."""
    return {
        ("ruleset_detail", "pk"): lambda c: RuleSet.objects.get(province_code="33", revision=1).pk,
        ("ruleset_edit", "pk"): lambda c: RuleSet.objects.get(province_code="33", revision=1).pk,
        ("cycle_detail", "pk"): lambda c: huangyuan_objects(c)["cycle"].pk,
        ("cycle_set_days", "pk"): lambda c: huangyuan_objects(c)["cycle"].pk,
        ("cycle_close", "pk"): lambda c: huangyuan_objects(c)["cycle"].pk,
        ("election_detail", "pk"): lambda c: huangyuan_objects(c)["election"].pk,
        ("job_detail", "pk"): lambda c: huangyuan_objects(c)["job"].pk,
    }
