"""Closing a cycle (结束换届): its elections leave the progress dashboards — so the last term, kept for the
statistics' comparison, is not counted with the next round — with a reason while some are not complete,
audited, by the bureau over the cycle only; the running counters stay equal to a rebuild."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from election_admin.choices_cycles import CycleStatus, Stage
from election_admin.models import Cycle, Election
from election_admin.selectors_dashboard import progress_for_region
from election_admin.services import elections as election_services
from election_admin.services import stages as stage_services
from election_admin.services.cycles import cycle_open
from election_admin.services.rulesets import ruleset_applicable

from .cycle_helpers import open_datong_cycle
from .test_cycles import assert_counters_match_elections

TODAY = timezone.localdate()


@pytest.fixture
def cycle(county_user, regions):
    return open_datong_cycle(county_user, regions)


def _county_total(user, regions) -> int:
    return progress_for_region(user=user, region=regions["630121"], today=TODAY).totals.total


def _close(client, cycle, reason=""):
    return client.post(reverse("cycle_close", args=[cycle.pk]), {"reason": reason}, follow=True)


def test_closing_takes_the_cycle_off_the_dashboards(cycle, county_user, township_user, regions, client):
    assert _county_total(county_user, regions) == 7
    client.force_login(county_user)
    page = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert 'data-testid="cycle-unfinished"' in page and "还有 7 个选举未完成" in page

    refused = _close(client, cycle).content.decode()
    assert "本次换届还有 7 个选举未完成" in refused
    assert Cycle.objects.get(pk=cycle.pk).status == CycleStatus.OPEN

    _close(client, cycle, reason="两个村选举未成功，转入下一轮专项处理")
    assert Cycle.objects.get(pk=cycle.pk).status == CycleStatus.CLOSED
    event = AuditEvent.objects.get(event_type="cycle.closed")
    assert event.after["unfinished"] == 7 and event.after["reason"].startswith("两个村")
    assert _county_total(county_user, regions) == 0
    assert_counters_match_elections()
    township = progress_for_region(user=township_user, region=regions["630121100"], today=TODAY)
    assert township.totals.total == 0

    # A change to one of its elections afterwards moves no counter.
    election = Election.objects.get(cycle=cycle, region_id="630121100201")
    election_services.election_days_set_bulk(
        actor=county_user, cycle=cycle, area_code="630121100", election_day=TODAY + timedelta(days=10)
    )
    for name in ["甲", "乙", "丙"]:
        election_services.committee_member_add(actor=township_user, election=election, name=name)
    stage_services.election_stage_advance(
        actor=township_user, election=election, to_stage=Stage.COMMITTEE_FORMED
    )
    assert _county_total(county_user, regions) == 0
    assert_counters_match_elections()

    # The next round's cycle is what the dashboards count.
    cycle_open(
        actor=county_user,
        region=regions["630121"],
        name="2031年大通县村（社区）两委换届",
        rule_set=ruleset_applicable(province_code="63", on=TODAY),
        term_start=TODAY + timedelta(days=5 * 365 + 100),
        window_start=TODAY + timedelta(days=5 * 365 - 60),
        window_end=TODAY + timedelta(days=5 * 365 + 90),
        optional_bodies=[],
    )
    assert _county_total(county_user, regions) == 7
    assert_counters_match_elections()


def test_a_closed_cycle_cannot_be_closed_again_and_has_no_button(cycle, county_user, client):
    client.force_login(county_user)
    _close(client, cycle, reason="测试")
    page = _close(client, cycle, reason="测试").content.decode()
    assert "只有进行中的换届才能结束。" in page
    assert AuditEvent.objects.filter(event_type="cycle.closed").count() == 1
    assert (
        'data-testid="cycle-close"'
        not in client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    )


def test_only_the_bureau_over_the_cycle_closes_it(
    cycle, township_user, city_user, neighbour_county_user, client
):
    client.force_login(township_user)
    assert (
        'data-testid="cycle-close"'
        not in client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    )
    assert client.post(reverse("cycle_close", args=[cycle.pk]), {"reason": "x"}).status_code == 403
    client.force_login(neighbour_county_user)
    assert client.post(reverse("cycle_close", args=[cycle.pk]), {"reason": "x"}).status_code == 404
    assert Cycle.objects.get(pk=cycle.pk).status == CycleStatus.OPEN
    client.force_login(city_user)  # the city covers the county
    _close(client, cycle, reason="全市统一结束")
    assert Cycle.objects.get(pk=cycle.pk).status == CycleStatus.CLOSED
