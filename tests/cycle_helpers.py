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
