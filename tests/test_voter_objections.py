"""Objections (申诉): filed within the window, due within the answer time, the decision applied to the roll in
the same transaction with its notice; overdue ones counted for the dashboards."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from audit.models import AuditEvent
from election_admin.models import DocumentKind
from tests.voter_helpers import assert_no_full_id, form_committee, pdf_text, register, village_election
from tests.voters.files import make_id
from voters.choices import ObjectionDecision, ObjectionKind, VoterStatus
from voters.models import Objection, Voter
from voters.selectors import overdue_objection_counts, overdue_objection_total
from voters.services import objections as objection_services
from voters.services.objections import objection_decide, objection_file
from voters.services.publication import roll_publish, roll_supplement_publish


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


@pytest.fixture
def published(county_user, township_user, regions):
    election = village_election(county_user, regions)
    form_committee(township_user, election)
    register(township_user, election, "马成林", sequence=11, group="一组")
    register(township_user, election, "李秀兰", sequence=12, group="二组")
    roll_publish(actor=township_user, election=election)
    return election


def test_objection_before_publication_is_refused(county_user, township_user, regions):
    election = village_election(county_user, regions)
    voter = register(township_user, election)
    with pytest.raises(ValidationError, match="not published"):
        objection_file(
            actor=township_user,
            election=election,
            kind="inclusion",
            filed_by="王五",
            grounds="x",
            voter=voter,
        )


def test_window_and_answer_time_come_from_the_rule_set(township_user, published):
    today = timezone.localdate()
    rules = published.cycle.rule_set
    voter = Voter.objects.get(name="马成林")
    objection = objection_file(
        actor=township_user,
        election=published,
        kind="inclusion",
        filed_by="王五",
        grounds="已迁出",
        voter=voter,
    )
    assert objection.due_on == today + timedelta(days=rules.objection_answer_days)
    later = today + timedelta(days=rules.objection_window_days + 1)
    with pytest.raises(ValidationError) as error:
        objection_file(
            actor=township_user,
            election=published,
            kind="inclusion",
            filed_by="王五",
            grounds="x",
            voter=voter,
            filed_on=later,
            today=later,
        )
    message = str(error.value)
    assert (
        today.isoformat() in message
        and (today + timedelta(days=rules.objection_window_days)).isoformat() in message
    )


def test_upheld_inclusion_strikes_the_voter_with_a_notice(township_user, published):
    voter = Voter.objects.get(name="马成林")
    objection = objection_file(
        actor=township_user,
        election=published,
        kind="inclusion",
        filed_by="王五",
        grounds="户籍已迁出",
        voter=voter,
    )
    objection_decide(
        actor=township_user, objection=objection, decision="upheld", decision_text="经核实户籍已迁出。"
    )
    voter.refresh_from_db()
    assert voter.status == VoterStatus.STRUCK and "王五" in voter.struck_reason
    objection.refresh_from_db()
    assert objection.decision == ObjectionDecision.UPHELD and objection.decided_on == timezone.localdate()
    document = objection.decision_document
    assert document.kind == DocumentKind.OBJECTION_DECISION and document.is_public
    text = pdf_text(document.file.read())
    assert "申诉成立" in text and "马成林" in text
    assert_no_full_id(text, "the decision notice")
    supplement = roll_supplement_publish(actor=township_user, election=published)
    assert supplement.removed_count == 1


def test_upheld_exclusion_registers_the_person(township_user, published):
    number = make_id(date(1966, 6, 6), 71)
    objection = objection_file(
        actor=township_user,
        election=published,
        kind="exclusion",
        filed_by="赵六",
        grounds="漏登",
        proposed_name="赵六",
        proposed_id_number=number,
        proposed_group="三组",
    )
    assert (
        objection.proposed_id_masked.endswith(number[-4:]) and number not in objection.proposed_id_encrypted
    )
    filed = AuditEvent.objects.get(event_type="objection.filed")
    assert_no_full_id(str(filed.after), "audit row")
    objection_decide(
        actor=township_user, objection=objection, decision="upheld", decision_text="经核实属漏登。"
    )
    added = Voter.objects.get(name="赵六")
    assert added.group == "三组" and added.source == "objection"


def test_upheld_error_corrects_the_details(township_user, published):
    voter = Voter.objects.get(name="李秀兰")
    objection = objection_file(
        actor=township_user,
        election=published,
        kind="error",
        filed_by="李秀岚",
        grounds="姓名错字",
        voter=voter,
        corrections={"name": "李秀岚"},
    )
    objection_decide(actor=township_user, objection=objection, decision="upheld", decision_text="予以更正。")
    voter.refresh_from_db()
    assert voter.name == "李秀岚"


def test_rejected_changes_nothing(township_user, published):
    voter = Voter.objects.get(name="马成林")
    objection = objection_file(
        actor=township_user, election=published, kind="inclusion", filed_by="王五", grounds="x", voter=voter
    )
    objection_decide(
        actor=township_user, objection=objection, decision="rejected", decision_text="理由不成立。"
    )
    voter.refresh_from_db()
    assert voter.status == VoterStatus.REGISTERED
    with pytest.raises(ValidationError, match="already been decided"):
        objection_decide(actor=township_user, objection=objection, decision="upheld", decision_text="x")


def test_decision_and_roll_change_are_one_transaction(township_user, published):
    """If the notice cannot be stored, the strike is rolled back too."""
    voter = Voter.objects.get(name="马成林")
    objection = objection_file(
        actor=township_user, election=published, kind="inclusion", filed_by="王五", grounds="x", voter=voter
    )
    with mock.patch.object(objection_services, "document_store", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            objection_decide(actor=township_user, objection=objection, decision="upheld", decision_text="x")
    voter.refresh_from_db()
    objection.refresh_from_db()
    assert voter.status == VoterStatus.REGISTERED and objection.decided_on is None


def test_overdue_objections_are_counted(township_user, county_user, neighbour_township_user, published):
    voter = Voter.objects.get(name="马成林")
    objection = objection_file(
        actor=township_user, election=published, kind="inclusion", filed_by="王五", grounds="x", voter=voter
    )
    later = objection.due_on + timedelta(days=1)
    assert overdue_objection_total(township_user, objection.due_on) == 0
    assert overdue_objection_counts(county_user, later) == {published.region_id: 1}
    assert overdue_objection_total(neighbour_township_user, later) == 0
    objection_decide(
        actor=township_user, objection=objection, decision="rejected", decision_text="x", today=later
    )
    assert overdue_objection_total(county_user, later) == 0
    assert AuditEvent.objects.get(event_type="objection.decided").after["late"] is True


def test_exclusion_needs_a_valid_id(township_user, published):
    with pytest.raises(ValidationError) as error:
        objection_file(
            actor=township_user,
            election=published,
            kind=ObjectionKind.EXCLUSION,
            filed_by="赵六",
            grounds="x",
            proposed_name="赵六",
            proposed_id_number="630121",
        )
    assert "proposed_id_number" in error.value.message_dict
    assert Objection.objects.count() == 0


def test_overdue_objections_show_on_the_dashboard(
    client, township_user, county_user, neighbour_county_user, published
):
    from election_admin.models import Region
    from election_admin.selectors_dashboard import dashboard_extensions_apply
    from voters.dashboard import dashboard_extension

    voter = Voter.objects.get(name="马成林")
    objection = objection_file(
        actor=township_user, election=published, kind="inclusion", filed_by="王五", grounds="x", voter=voter
    )
    later = objection.due_on + timedelta(days=2)
    county = Region.objects.get(code="630121")
    panel = dashboard_extension(user=county_user, region=county, today=later, elections=[published])
    assert panel["total"] == 1
    assert panel["rows"][0]["days_late"] == 2
    assert any("past the answer time" in flag for flag in published.flags)
    assert (
        dashboard_extension(
            user=neighbour_county_user, region=Region.objects.get(code="630123"), today=later, elections=[]
        )
        is None
    )
    panels = dashboard_extensions_apply(user=county_user, region=county, today=later, elections=[])
    assert any(p["template"] == "voters/dashboard/_objections_panel.html" for p in panels)
    from django.template.loader import render_to_string

    html = render_to_string(panel["template"], {"panel": panel})
    assert published.region.name in html
