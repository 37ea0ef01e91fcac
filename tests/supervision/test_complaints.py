"""Complaints register (信访/举报): due the cycle's answer time after receipt (15 days by default, set per
cycle), an answer after it stays late by its days, anonymous allowed, village clerks never see the register,
objections to the roll listed read-only, and open serious complaints returned for the certification check."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from election_admin.choices_cycles import Body
from election_admin.models import Election
from election_admin.supervision.choices import DEFAULT_COMPLAINT_ANSWER_DAYS
from election_admin.supervision.models import Complaint
from election_admin.supervision.selectors import (
    complaint_blocks_certification,
    complaint_counts,
    complaint_register,
)
from election_admin.supervision.services.complaints import (
    complaint_answer,
    complaint_assign,
    complaint_receive,
    supervision_settings_set,
)
from tests.voter_helpers import form_committee, register, village_election
from voters.services.objections import objection_file
from voters.services.publication import roll_publish

from .helpers import YUANSHUER, datong_cycle, yuanshuer

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(county_user, regions):
    return datong_cycle(county_user, regions)


def receive(actor, cycle, *, days_ago=20, **fields):
    fields.setdefault("channel", "letter")
    fields.setdefault("category", "vote_buying")
    fields.setdefault("summary", "候选人张某向村民发放购物卡拉票")
    return complaint_receive(
        actor=actor,
        cycle=cycle,
        region=cycle.region.__class__.objects.get(code=fields.pop("code", YUANSHUER)),
        received_on=TODAY - timedelta(days=days_ago),
        **fields,
    )


def test_due_fifteen_days_after_receipt_by_default(cycle, township_user):
    complaint = receive(township_user, cycle, complainant="王五", complainant_phone="13800138000")
    assert DEFAULT_COMPLAINT_ANSWER_DAYS == 15
    assert complaint.due_on == TODAY - timedelta(days=5)
    assert complaint.reference == f"{complaint.received_on:%Y}-001"
    assert complaint.days_late(TODAY) == 5  # still open: 5 days overdue today
    event = AuditEvent.objects.get(event_type="complaint.received")
    assert event.after["due_on"] == complaint.due_on.isoformat()


def test_answered_late_shows_days_late(cycle, township_user):
    complaint = receive(township_user, cycle, days_ago=20)
    complaint_assign(
        actor=township_user, complaint=complaint, assigned_to="镇纪委", assigned_on=TODAY - timedelta(days=19)
    )
    complaint = complaint_answer(
        actor=township_user,
        complaint=complaint,
        answered_on=TODAY - timedelta(days=2),
        outcome="not_upheld",
        answer="经核查，购物卡系村集体节日福利，与选举无关。",
    )
    assert complaint.days_late(TODAY) == 3  # due 5 days ago, answered 2 days ago
    assert complaint.days_late(TODAY + timedelta(days=30)) == 3  # an answer's lateness never grows
    entry = complaint_register(township_user, cycle, TODAY)[0]
    assert entry.is_late and entry.days_late == 3 and entry.answered_on == TODAY - timedelta(days=2)
    assert complaint_counts([entry]) == {
        "complaints": 1,
        "open": 0,
        "late": 1,
        "serious_open": 0,
        "objections": 0,
    }
    with pytest.raises(ValidationError, match="already answered"):
        complaint_answer(
            actor=township_user, complaint=complaint, answered_on=TODAY, outcome="upheld", answer="x"
        )


def test_answered_in_time_is_not_late(cycle, township_user):
    complaint = receive(township_user, cycle, days_ago=3)
    complaint = complaint_answer(
        actor=township_user, complaint=complaint, answered_on=TODAY, outcome="upheld", answer="已责令整改"
    )
    assert complaint.days_late(TODAY) == 0


def test_answer_time_is_set_per_cycle(cycle, county_user, township_user):
    supervision_settings_set(actor=county_user, cycle=cycle, complaint_answer_days=10)
    complaint = receive(township_user, cycle, days_ago=0)
    assert complaint.due_on == TODAY + timedelta(days=10)
    with pytest.raises(ValidationError, match="Between 1 and 60"):
        supervision_settings_set(actor=county_user, cycle=cycle, complaint_answer_days=90)
    with pytest.raises(PermissionDenied):
        supervision_settings_set(actor=township_user, cycle=cycle, complaint_answer_days=20)


def test_anonymous_and_shape_checks(cycle, township_user):
    complaint = receive(township_user, cycle)
    assert complaint.is_anonymous and complaint.from_label == "Anonymous"
    with pytest.raises(ValidationError) as caught:
        receive(township_user, cycle, days_ago=-1, complainant_phone="13800138000", summary=" ")
    assert set(caught.value.message_dict) == {"received_on", "summary", "complainant"}
    other_village = Election.objects.get(cycle=cycle, region_id="630121100207")
    with pytest.raises(ValidationError, match="one of this village"):
        receive(township_user, cycle, election=other_village)


def test_village_clerk_never_sees_the_register(cycle, township_user, village_clerk, client):
    receive(township_user, cycle, complainant="王五")
    assert not Complaint.objects.visible_to(village_clerk).exists()
    with pytest.raises(PermissionDenied):
        receive(village_clerk, cycle)
    client.force_login(village_clerk)
    assert client.get(reverse("supervision_complaints", args=[cycle.pk])).status_code == 403


def test_serious_open_complaint_blocks_certification_until_answered(cycle, township_user):
    election = yuanshuer(cycle)
    serious = receive(township_user, cycle, election=election, is_serious=True)
    about_village = receive(township_user, cycle, is_serious=True, category="procedure")
    receive(township_user, cycle, election=election, is_serious=False)
    other = Election.objects.get(cycle=cycle, region_id="630121100207")
    receive(township_user, cycle, code="630121100207", election=other, is_serious=True)
    assert complaint_blocks_certification(election) == [serious, about_village]
    complaint_answer(
        actor=township_user, complaint=serious, answered_on=TODAY, outcome="upheld", answer="已处理"
    )
    assert complaint_blocks_certification(election) == [about_village]


def test_register_lists_objections_read_only(county_user, township_user, regions):
    election = village_election(county_user, regions)
    form_committee(township_user, election)
    voter = register(township_user, election, "马成林", sequence=11)
    roll_publish(actor=township_user, election=election)
    objection_file(
        actor=township_user,
        election=election,
        kind="inclusion",
        filed_by="王五",
        grounds="已迁出",
        voter=voter,
    )
    complaint_receive(
        actor=township_user,
        cycle=election.cycle,
        region=election.region,
        received_on=TODAY,
        channel="visit",
        category="eligibility",
        summary="选民名单有误",
        complainant="赵六",
    )
    entries = complaint_register(township_user, election.cycle, TODAY)
    assert sorted(e.is_objection for e in entries) == [False, True]
    objection = next(e for e in entries if e.is_objection)
    assert objection.from_label == "王五" and objection.url.startswith("/objections/")
    assert objection.election == Body.VILLAGERS_COMMITTEE.label
    assert [
        e.is_objection for e in complaint_register(township_user, election.cycle, TODAY, status="serious")
    ] == []


def test_register_page_and_detail_show_late_and_anonymous(cycle, township_user, client):
    complaint = receive(township_user, cycle, days_ago=20)
    complaint_answer(
        actor=township_user,
        complaint=complaint,
        answered_on=TODAY - timedelta(days=2),
        outcome="partly",
        answer="部分属实，已责令整改",
    )
    client.cookies["django_language"] = "en"
    client.force_login(township_user)
    page = client.get(reverse("supervision_complaints", args=[cycle.pk])).content.decode()
    assert "answered 3 days late" in page and "Anonymous" in page
    detail = client.get(reverse("supervision_complaint_detail", args=[complaint.pk])).content.decode()
    assert "answered 3 days late" in detail and "部分属实" in detail
    late_only = client.get(
        reverse("supervision_complaints", args=[cycle.pk]) + "?status=late"
    ).content.decode()
    assert complaint.reference in late_only


def test_complaint_pages_register_assign_and_answer(cycle, township_user, client):
    client.cookies["django_language"] = "en"
    client.force_login(township_user)
    response = client.post(
        reverse("supervision_complaint_create", args=[cycle.pk]),
        {
            "region": YUANSHUER,
            "election": yuanshuer(cycle).pk,
            "received_on": TODAY.isoformat(),
            "channel": "phone",
            "category": "vote_buying",
            "complainant": "",
            "complainant_phone": "",
            "summary": "有人以每票200元收买选票",
            "is_serious": "on",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and complaint.is_serious and complaint.is_anonymous
    url = reverse("supervision_complaint_detail", args=[complaint.pk])
    client.post(url, {"action": "assign", "assigned_to": "县纪委监委", "assigned_on": TODAY.isoformat()})
    client.post(
        url,
        {"action": "answer", "answered_on": TODAY.isoformat(), "outcome": "upheld", "answer": "已立案调查"},
    )
    complaint.refresh_from_db()
    assert complaint.assigned_to == "县纪委监委" and complaint.outcome == "upheld"
