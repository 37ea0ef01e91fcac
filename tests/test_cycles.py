"""Cycles and elections: opening a cycle, election days, seats, the stage machine, pages and permissions."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from election_admin.choices_cycles import Body, CycleStatus, JobStatus, Stage
from election_admin.models import Cycle, Election, Job, ProgressCounter
from election_admin.services import cycles as cycle_services
from election_admin.services import elections as election_services
from election_admin.services import stages as stage_services
from election_admin.services.progress import COUNTER_CODE_LENGTHS, counter_totals_from_elections
from election_admin.services.rulesets import ruleset_applicable

from .cycle_helpers import open_datong_cycle
from .permissions import assert_scoped_get

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are checked in English (the interface shows them in Chinese)."""
    with translation.override("en"):
        yield


def assert_counters_match_elections():
    """The running counters equal a fresh computation from the elections."""
    for length in COUNTER_CODE_LENGTHS:
        expected = {
            (r["code"], r["stage"], r["day"], r["due"]): (r["n"], r["reg"], r["vot"], r["first"])
            for r in counter_totals_from_elections(length)
        }
        actual = {
            (c.region_code, c.stage, c.election_day, c.due_on): (
                c.elections,
                c.registered,
                c.voted,
                c.first_round_filled,
            )
            for c in ProgressCounter.objects.all()
            if len(c.region_code) == length and c.elections
        }
        assert actual == expected


def datong_villages(regions):
    return [r for code, r in regions.items() if code.startswith("630121") and len(code) == 12]


def committee(actor, election, n=3):
    for i in range(n):
        election_services.committee_member_add(actor=actor, election=election, name=f"委员{i}")


# --- Opening a cycle ----------------------------------------------------------------------------------


def test_open_cycle_creates_one_election_per_unit_and_body(county_user, regions):
    cycle = open_datong_cycle(county_user, regions, optional_bodies=[Body.PARTY_BRANCH])
    units = datong_villages(regions)
    assert cycle.status == CycleStatus.OPEN
    assert cycle.election_count == 2 * len(units)
    for unit in units:
        bodies = set(Election.objects.filter(cycle=cycle, region=unit).values_list("body", flat=True))
        main = Body.VILLAGERS_COMMITTEE if unit.kind == "village" else Body.RESIDENTS_COMMITTEE
        assert bodies == {main, Body.PARTY_BRANCH}
    assert not Election.objects.exclude(region__code__startswith="630121").exists()
    assert AuditEvent.objects.filter(event_type="cycle.opened", object_id=str(cycle.pk)).exists()
    assert_counters_match_elections()


def test_cycle_keeps_rule_set_version_and_units_of_kind_other_get_no_election(county_user, regions):
    from tests.factories import make_region

    make_region("630121100400", "某农场生活区")
    cycle = open_datong_cycle(county_user, regions)
    assert not Election.objects.filter(region_id="630121100400").exists()
    assert cycle.rule_set.province_code == ""  # 青海 ships no own rule set: the national default applies


def test_only_bureaus_open_cycles_and_only_for_their_area(
    county_user, township_user, neighbour_county_user, regions
):
    with pytest.raises(PermissionDenied):
        open_datong_cycle(township_user, regions)
    with pytest.raises(ValidationError):
        open_datong_cycle(neighbour_county_user, regions)
    assert not Cycle.objects.exists()


def test_overlapping_cycle_for_the_same_villages_is_refused(county_user, city_user, regions):
    open_datong_cycle(county_user, regions)
    with pytest.raises(ValidationError, match="overlapping"):
        cycle_services.cycle_open(
            actor=city_user,
            region=regions["6301"],
            name="西宁市换届",
            rule_set=ruleset_applicable(province_code="63", on=TODAY),
            term_start=TODAY + timedelta(days=30),
            window_start=TODAY,
            window_end=TODAY + timedelta(days=20),
            optional_bodies=[],
        )
    assert Cycle.objects.count() == 1


def test_large_cycle_runs_as_a_job(
    county_user, regions, settings, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(cycle_services, "SYNC_ELECTION_LIMIT", 3)
    monkeypatch.setattr(cycle_services, "BATCH_UNITS", 2)
    with django_capture_on_commit_callbacks(execute=True):
        cycle = open_datong_cycle(county_user, regions)
    cycle.refresh_from_db()
    job = Job.objects.get(pk=cycle.job_id)
    assert job.status == JobStatus.SUCCEEDED and job.processed == job.total == len(datong_villages(regions))
    assert cycle.status == CycleStatus.OPEN and cycle.election_count == job.total
    # Idempotent: running the creation again adds nothing.
    assert cycle_services.cycle_populate(job_id=job.pk) == 0
    Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.CREATING)
    assert cycle_services.cycle_populate(job_id=job.pk) == 0
    assert Election.objects.filter(cycle=cycle).count() == job.total
    assert_counters_match_elections()


# --- Election days ------------------------------------------------------------------------------------


def test_bulk_election_day_for_a_township_sets_deadlines(county_user, regions):
    cycle = open_datong_cycle(county_user, regions)
    day = TODAY + timedelta(days=40)
    count, warnings = election_services.election_days_set_bulk(
        actor=county_user, cycle=cycle, area_code="630121100", election_day=day
    )
    elections = Election.objects.filter(cycle=cycle, region__code__startswith="630121100")
    assert count == elections.count() == 5
    assert warnings == []
    for election in elections:
        assert election.election_day == day
        assert election.deadlines["roll_published"] == (day - timedelta(days=20)).isoformat()
        assert election.next_deadline_on == day - timedelta(days=20)
    assert not Election.objects.filter(
        region__code__startswith="630121101", election_day__isnull=False
    ).exists()
    assert_counters_match_elections()


def test_bulk_day_outside_the_users_area_is_refused_and_nothing_applied(township_user, county_user, regions):
    cycle = open_datong_cycle(county_user, regions)
    with pytest.raises(ValidationError, match="outside"):
        election_services.election_days_set_bulk(
            actor=township_user, cycle=cycle, area_code="630121101", election_day=TODAY + timedelta(days=30)
        )
    with pytest.raises(ValidationError, match="outside"):
        election_services.election_days_set_bulk(
            actor=township_user,
            cycle=cycle,
            area_code="630121100",
            region_codes=["630121100201", "630121101201"],
            election_day=TODAY + timedelta(days=30),
        )
    assert not Election.objects.filter(election_day__isnull=False).exists()


def test_election_day_outside_the_window_is_refused_for_the_whole_township(county_user, regions):
    cycle = open_datong_cycle(county_user, regions)
    with pytest.raises(ValidationError, match="window"):
        election_services.election_days_set_bulk(
            actor=county_user,
            cycle=cycle,
            area_code="630121100",
            election_day=cycle.window_end + timedelta(days=1),
        )
    assert not Election.objects.filter(election_day__isnull=False).exists()


def test_moving_election_day_warns_about_missed_deadlines(county_user, regions):
    cycle = open_datong_cycle(county_user, regions)
    election = Election.objects.filter(cycle=cycle).first()
    warnings = election_services.election_day_set(
        actor=county_user, election=election, election_day=TODAY + timedelta(days=40)
    )
    assert warnings == []
    warnings = election_services.election_day_set(
        actor=county_user, election=election, election_day=TODAY + timedelta(days=10)
    )
    assert len(warnings) == 1 and "missed" in warnings[0]
    election.refresh_from_db()
    assert election.next_deadline_on == TODAY - timedelta(days=10)
    assert AuditEvent.objects.filter(event_type="election.day_set", object_id=str(election.pk)).count() == 2


# --- Seats and risk class ------------------------------------------------------------------------------


def test_seats_outside_the_legal_range_and_misplaced_womens_post_are_refused(county_user, regions):
    cycle = open_datong_cycle(county_user, regions, optional_bodies=[Body.PARTY_BRANCH])
    villagers = Election.objects.get(cycle=cycle, region_id="630121100201", body=Body.VILLAGERS_COMMITTEE)
    party = Election.objects.get(cycle=cycle, region_id="630121100201", body=Body.PARTY_BRANCH)
    update = dict(seats_vice_chair=1, seats_women_member=0, risk_class="normal", risk_reason="")
    with pytest.raises(ValidationError, match="3–7"):
        election_services.election_update(actor=county_user, election=villagers, seats_member=6, **update)
    with pytest.raises(ValidationError):
        election_services.election_update(
            actor=county_user,
            election=party,
            seats_vice_chair=1,
            seats_member=2,
            seats_women_member=1,
            risk_class="normal",
            risk_reason="",
        )
    with pytest.raises(ValidationError):  # the national rule set has no separate women's post
        election_services.election_update(
            actor=county_user,
            election=villagers,
            seats_vice_chair=1,
            seats_member=2,
            seats_women_member=1,
            risk_class="normal",
            risk_reason="",
        )
    with pytest.raises(ValidationError):  # a difficult village needs a reason
        election_services.election_update(
            actor=county_user,
            election=villagers,
            seats_vice_chair=1,
            seats_member=3,
            seats_women_member=0,
            risk_class="difficult",
            risk_reason="",
        )
    election_services.election_update(
        actor=county_user,
        election=villagers,
        seats_vice_chair=2,
        seats_member=4,
        seats_women_member=0,
        risk_class="difficult",
        risk_reason="宗族矛盾突出",
    )
    villagers.refresh_from_db()
    assert villagers.seats_total == 7 and villagers.risk_class == "difficult"


def test_database_refuses_seats_outside_any_legal_size(county_user, regions):
    cycle = open_datong_cycle(county_user, regions)
    with pytest.raises(IntegrityError), transaction.atomic():
        Election.objects.filter(cycle=cycle).update(seats_member=20)


# --- Stages -------------------------------------------------------------------------------------------


@pytest.fixture
def election(county_user, regions):
    cycle = open_datong_cycle(county_user, regions)
    election = Election.objects.get(cycle=cycle, region_id="630121100201")
    election_services.election_day_set(
        actor=county_user, election=election, election_day=TODAY + timedelta(days=30)
    )
    return election


def test_stages_move_in_order_and_check_the_law(election, township_user):
    with pytest.raises(ValidationError, match="at least 3"):
        stage_services.election_stage_advance(
            actor=township_user, election=election, to_stage=Stage.COMMITTEE_FORMED
        )
    committee(township_user, election)
    with pytest.raises(ValidationError):
        stage_services.election_stage_advance(
            actor=township_user, election=election, to_stage=Stage.CANDIDATES_PUBLISHED
        )
    stage_services.election_stage_advance(
        actor=township_user, election=election, to_stage=Stage.COMMITTEE_FORMED
    )
    stage_services.election_stage_advance(
        actor=township_user, election=election, to_stage=Stage.ROLL_PUBLISHED
    )
    election.refresh_from_db()
    assert election.stage == Stage.ROLL_PUBLISHED
    assert election.next_deadline_key == "candidates_published"
    stage_services.election_stage_advance(
        actor=township_user, election=election, to_stage=Stage.CANDIDATES_PUBLISHED
    )
    with pytest.raises(ValidationError, match="before the election day"):
        stage_services.election_stage_advance(
            actor=township_user, election=election, to_stage=Stage.VOTING_DONE
        )
    assert_counters_match_elections()


def test_candidates_cannot_be_published_before_the_roll(election, township_user):
    committee(township_user, election)
    stage_services.election_stage_advance(
        actor=township_user, election=election, to_stage=Stage.COMMITTEE_FORMED
    )
    with pytest.raises(ValidationError, match="cannot move"):
        stage_services.election_stage_advance(
            actor=township_user, election=election, to_stage=Stage.CANDIDATES_PUBLISHED
        )


def test_late_roll_needs_an_audited_exception(county_user, township_user, regions):
    cycle = open_datong_cycle(county_user, regions)
    election = Election.objects.get(cycle=cycle, region_id="630121100201")
    election_services.election_day_set(
        actor=county_user, election=election, election_day=TODAY + timedelta(days=10)
    )
    committee(township_user, election)
    stage_services.election_stage_advance(
        actor=township_user, election=election, to_stage=Stage.COMMITTEE_FORMED
    )
    with pytest.raises(ValidationError, match="exception"):
        stage_services.election_stage_advance(
            actor=township_user, election=election, to_stage=Stage.ROLL_PUBLISHED
        )
    stage_services.election_stage_advance(
        actor=township_user,
        election=election,
        to_stage=Stage.ROLL_PUBLISHED,
        exception_reason="选委会补选延误",
    )
    election.refresh_from_db()
    assert election.stage == Stage.ROLL_PUBLISHED
    assert election.exceptions[0]["reason"] == "选委会补选延误"
    event = AuditEvent.objects.get(event_type="election.deadline_exception", object_id=str(election.pk))
    assert event.after["due"] == (TODAY - timedelta(days=10)).isoformat()


def test_full_run_to_handover_with_results(county_user, township_user, regions):
    cycle = open_datong_cycle(county_user, regions)
    election = Election.objects.get(cycle=cycle, region_id="630121100201")
    past = TODAY - timedelta(days=2)
    election_services.election_day_set(actor=county_user, election=election, election_day=past)
    committee(township_user, election)
    start = past - timedelta(days=30)
    for stage, on in [
        (Stage.COMMITTEE_FORMED, start),
        (Stage.ROLL_PUBLISHED, start + timedelta(days=2)),
        (Stage.CANDIDATES_PUBLISHED, past - timedelta(days=6)),
        (Stage.VOTING_DONE, past),
    ]:
        stage_services.election_stage_advance(
            actor=township_user, election=election, to_stage=stage, today=on
        )
    stage_services.election_results_record(
        actor=township_user,
        election=election,
        registered_count=1000,
        voted_count=870,
        filled_in_first_round=True,
        today=past,
    )
    stage_services.election_stage_advance(
        actor=township_user, election=election, to_stage=Stage.RESULTS_CERTIFIED
    )
    stage_services.election_stage_advance(actor=township_user, election=election, to_stage=Stage.HANDED_OVER)
    election.refresh_from_db()
    assert election.stage == Stage.HANDED_OVER and election.next_deadline_on is None
    assert_counters_match_elections()
    assert (
        AuditEvent.objects.filter(event_type="election.stage_advanced", object_id=str(election.pk)).count()
        == 6
    )


def test_city_bureau_watches_but_does_not_move_stages(election, city_user):
    with pytest.raises(PermissionDenied):
        stage_services.election_stage_advance(
            actor=city_user, election=election, to_stage=Stage.COMMITTEE_FORMED
        )


def test_other_area_cannot_touch_an_election(election, neighbour_township_user):
    with pytest.raises(ValidationError, match="outside"):
        election_services.election_day_set(
            actor=neighbour_township_user, election=election, election_day=TODAY + timedelta(days=20)
        )


# --- Pages --------------------------------------------------------------------------------------------


def test_cycle_pages_are_scoped(
    client, county_user, neighbour_county_user, township_user, neighbour_township_user, regions
):
    cycle = open_datong_cycle(county_user, regions)
    assert_scoped_get(
        client,
        reverse("cycle_detail", args=[cycle.pk]),
        own=county_user,
        other=neighbour_county_user,
        contains="桥头镇",
    )
    # A township sees its county's cycle but only its own villages in it.
    client.force_login(township_user)
    page = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "元树尔村委会" in page and "上毛佰胜村委会" not in page
    election = Election.objects.get(cycle=cycle, region_id="630121100201")
    assert_scoped_get(
        client,
        reverse("election_detail", args=[election.pk]),
        own=township_user,
        other=neighbour_township_user,
    )
    assert_scoped_get(
        client, reverse("cycle_set_days", args=[cycle.pk]), own=township_user, other=neighbour_county_user
    )
    client.force_login(neighbour_county_user)
    assert "大通" not in client.get(reverse("cycle_list")).content.decode()


def test_open_cycle_through_the_form(client, county_user, regions):
    client.force_login(county_user)
    response = client.get(reverse("cycle_create"))
    assert response.status_code == 200
    rule_set = ruleset_applicable(province_code="63", on=TODAY)
    response = client.post(
        reverse("cycle_create"),
        {
            "name": "2026年大通县村（社区）两委换届",
            "region": "630121",
            "rule_set": rule_set.pk,
            "window_start": TODAY.isoformat(),
            "window_end": (TODAY + timedelta(days=60)).isoformat(),
            "term_start": (TODAY + timedelta(days=70)).isoformat(),
            "optional_bodies": ["supervision_committee"],
        },
    )
    cycle = Cycle.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cycle_detail", args=[cycle.pk])
    assert cycle.election_count == 2 * len(datong_villages(regions))


def test_township_staff_cannot_open_cycles(client, township_user):
    client.force_login(township_user)
    assert client.get(reverse("cycle_create")).status_code == 403


def test_bulk_days_form_refuses_a_township_outside_the_area(client, county_user, township_user, regions):
    cycle = open_datong_cycle(county_user, regions)
    client.force_login(township_user)
    response = client.post(
        reverse("cycle_set_days", args=[cycle.pk]),
        {"township": "630121101", "election_day": (TODAY + timedelta(days=30)).isoformat()},
    )
    assert response.status_code == 200
    assert not Election.objects.filter(election_day__isnull=False).exists()
    response = client.post(
        reverse("cycle_set_days", args=[cycle.pk]),
        {"township": "630121100", "election_day": (TODAY + timedelta(days=30)).isoformat()},
    )
    assert response.status_code == 302
    assert Election.objects.filter(election_day__isnull=False).count() == 5


def test_election_page_advances_stage_and_asks_for_exception(client, county_user, township_user, regions):
    cycle = open_datong_cycle(county_user, regions)
    election = Election.objects.get(cycle=cycle, region_id="630121100201")
    client.force_login(township_user)
    url = reverse("election_detail", args=[election.pk])
    response = client.post(url, {"action": "day", "election_day": (TODAY + timedelta(days=12)).isoformat()})
    assert response.status_code == 302
    for name in ["张三", "李四", "王五"]:
        client.post(url, {"action": "member", "name": name, "role": "member"})
    client.post(url, {"action": "stage", "to_stage": "committee_formed"})
    response = client.post(url, {"action": "stage", "to_stage": "roll_published"})
    assert response.status_code == 200
    assert response.context["stage_form"].non_field_errors()
    response = client.post(
        url, {"action": "stage", "to_stage": "roll_published", "exception_reason": "补登记"}
    )
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.stage == Stage.ROLL_PUBLISHED


def test_job_page_is_scoped(client, county_user, neighbour_county_user, regions):
    from election_admin.services.jobs import job_create

    job = job_create(actor=county_user, kind="cycle_populate", region=regions["630121"], total=10)
    assert_scoped_get(
        client, reverse("job_detail", args=[job.pk]), own=county_user, other=neighbour_county_user
    )
    client.force_login(county_user)
    response = client.get(reverse("job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in response.content.decode()


def test_demo_cycle_is_spread_over_stages_and_idempotent(county_user, regions):
    from election_admin.demo.cycles import demo_cycle_create

    cycle = demo_cycle_create(county_user=county_user)
    assert cycle.election_count == len(datong_villages(regions))
    stages = set(Election.objects.filter(cycle=cycle).values_list("stage", flat=True))
    assert Stage.HANDED_OVER in stages and len(stages) >= 3
    assert demo_cycle_create(county_user=county_user).pk == cycle.pk
    assert Cycle.objects.count() == 1
    assert_counters_match_elections()


def test_results_are_not_certified_through_the_general_stage_form(regions, county_user):
    """Certification goes through the count's results page (figures and serious complaints checked)."""
    from election_admin.forms_cycles import StageAdvanceForm

    cycle = open_datong_cycle(county_user, regions)
    election = cycle.elections.first()
    election.stage = Stage.VOTING_DONE
    form = StageAdvanceForm({"to_stage": Stage.RESULTS_CERTIFIED}, election=election)
    assert Stage.RESULTS_CERTIFIED not in dict(form.fields["to_stage"].choices)
    assert not form.is_valid()
