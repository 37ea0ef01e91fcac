"""Rule sets: shipped versions, legal bounds (service and database), revisions, inheritance, pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from election_admin.models import RuleSet
from election_admin.models.rulesets import RULE_FIELDS
from election_admin.services.rulesets import ruleset_applicable, ruleset_revise

from .cycle_helpers import open_datong_cycle
from .permissions import assert_scoped_get


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are checked in English (the interface shows them in Chinese)."""
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_shipped_rule_sets():
    shipped = {rs.province_code: rs for rs in RuleSet.objects.all()}
    assert set(shipped) == {"", "33", "31", "11", "41"}
    national = shipped[""]
    assert (national.roll_publish_days_before, national.candidate_list_days_before) == (20, 5)
    assert (national.objection_window_days, national.objection_answer_days, national.proxy_limit) == (5, 3, 3)
    assert (national.runoff_threshold_numerator, national.runoff_threshold_denominator) == (1, 3)
    assert (national.runoff_window_days, national.handover_days) == (30, 10)
    assert shipped["33"].has_women_post
    assert shipped["31"].proxy_filing_days_before == 5
    assert shipped["11"].runoff_window_days == 15
    assert shipped["41"].ballots_comparator == "issued"
    for rs in shipped.values():
        assert rs.citations.get("roll_publish_days_before")  # citations are data


@pytest.mark.django_db
def test_provinces_without_a_text_inherit_the_national_default():
    on = date(2026, 6, 1)
    assert ruleset_applicable(province_code="63", on=on).province_code == ""
    assert ruleset_applicable(province_code="33", on=on).province_code == "33"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("roll_publish_days_before", 19),
        ("candidate_list_days_before", 8),
        ("proxy_limit", 4),
        ("runoff_window_days", 31),
    ],
)
def test_database_refuses_numbers_out_of_legal_bounds(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSet.objects.filter(province_code="").update(**{field: value})


@pytest.fixture
def zhejiang_admin(db):
    from election_admin.choices import Role
    from tests.factories import UserFactory, make_region

    return UserFactory(username="zhejiang", role=Role.PROVINCE_BUREAU, region=make_region("33", "浙江省"))


def test_province_admin_revises_own_rule_set_as_new_version(zhejiang_admin):
    current = RuleSet.objects.get(province_code="33")
    new = ruleset_revise(
        actor=zhejiang_admin,
        rule_set=current,
        effective_on=date(2026, 1, 1),
        values={"candidate_list_days_before": 7},
        citations={"candidate_list_days_before": "浙江省村民委员会选举办法（2026）"},
    )
    current.refresh_from_db()
    assert current.candidate_list_days_before == 5  # the old version is untouched
    assert new.candidate_list_days_before == 7 and new.previous == current and new.province_code == "33"
    assert new.citations["candidate_list_days_before"] == "浙江省村民委员会选举办法（2026）"
    event = AuditEvent.objects.get(event_type="ruleset.revised")
    assert event.after["changed"] == {"candidate_list_days_before": [5, 7]}
    assert ruleset_applicable(province_code="33", on=date(2026, 3, 1)) == new
    assert ruleset_applicable(province_code="33", on=date(2025, 3, 1)) == current


def test_rule_set_numbers_out_of_legal_bounds_are_refused(zhejiang_admin):
    current = RuleSet.objects.get(province_code="33")
    with pytest.raises(ValidationError) as error:
        ruleset_revise(
            actor=zhejiang_admin,
            rule_set=current,
            effective_on=date(2026, 1, 1),
            values={
                "roll_publish_days_before": 15,
                "villagers_committee_size_min": 7,
                "villagers_committee_size_max": 5,
            },
            citations={},
        )
    assert set(error.value.message_dict) == {"roll_publish_days_before", "villagers_committee_size_max"}
    assert RuleSet.objects.filter(province_code="33").count() == 1


def test_only_the_own_province_bureau_edits(county_user, province_user, zhejiang_admin):
    zhejiang = RuleSet.objects.get(province_code="33")
    with pytest.raises(PermissionDenied):
        ruleset_revise(
            actor=province_user, rule_set=zhejiang, effective_on=date(2026, 1, 1), values={}, citations={}
        )
    national = RuleSet.objects.get(province_code="")
    with pytest.raises(PermissionDenied):
        ruleset_revise(
            actor=county_user, rule_set=national, effective_on=date(2026, 1, 1), values={}, citations={}
        )
    # A province without its own text starts its own version from the national default.
    own = ruleset_revise(
        actor=province_user,
        rule_set=national,
        effective_on=date(2026, 1, 1),
        values={"has_women_post": True},
        citations={},
    )
    assert own.province_code == "63" and RuleSet.objects.get(province_code="").has_women_post is False


def test_cycle_keeps_the_version_it_started_with(county_user, province_user, regions):
    cycle = open_datong_cycle(county_user, regions)
    started_with = cycle.rule_set
    ruleset_revise(
        actor=province_user,
        rule_set=started_with,
        effective_on=timezone.localdate() - timedelta(days=1),
        values={"roll_publish_days_before": 25},
        citations={},
    )
    cycle.refresh_from_db()
    assert cycle.rule_set == started_with and cycle.rule_set.roll_publish_days_before == 20


def test_rule_set_pages(client, province_user, county_user, regions, zhejiang_admin):
    zhejiang = RuleSet.objects.get(province_code="33")
    national = RuleSet.objects.get(province_code="")
    client.force_login(county_user)
    listing = client.get(reverse("ruleset_list")).content.decode()
    assert national.name in listing and zhejiang.name not in listing
    assert client.get(reverse("ruleset_detail", args=[zhejiang.pk])).status_code == 404
    assert client.get(reverse("ruleset_edit", args=[national.pk])).status_code == 403
    assert_scoped_get(
        client, reverse("ruleset_detail", args=[zhejiang.pk]), own=zhejiang_admin, other=province_user
    )
    client.force_login(county_user)
    assert client.get(reverse("ruleset_detail", args=[national.pk])).status_code == 200
    client.force_login(province_user)
    response = client.get(reverse("ruleset_edit", args=[national.pk]))
    assert response.status_code == 200
    data = {"effective_on": "2026-01-01"}
    for name in RULE_FIELDS:
        value = getattr(national, name)
        if value is True:
            data[name] = "on"
        elif value is not False:
            data[name] = value
    data["handover_days"] = 11  # out of bounds
    response = client.post(reverse("ruleset_edit", args=[national.pk]), data)
    assert response.status_code == 200 and RuleSet.objects.filter(province_code="63").count() == 0
    data["handover_days"] = 7
    response = client.post(reverse("ruleset_edit", args=[national.pk]), data)
    own = RuleSet.objects.get(province_code="63")
    assert response.status_code == 302 and own.handover_days == 7
