"""Personal data: ID numbers and phones masked on every page, export, PDF and audit row; the full number
only for township staff and above, and every reveal is an audit event."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from audit.models import AuditEvent
from election_admin.models import Document
from tests.voter_helpers import assert_no_full_id, form_committee, pdf_text, register, village_election
from tests.voters.files import make_id
from voters.models import Voter
from voters.services.cards import voter_cards_generate
from voters.services.objections import objection_decide, objection_file
from voters.services.publication import roll_publish, roll_supplement_publish
from voters.services.registration import voter_strike


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def election(county_user, township_user, regions):
    election = village_election(county_user, regions)
    register(township_user, election, "马成林", sequence=11, group="一组", phone="13912345678")
    register(township_user, election, "=HYPERLINK(1)", sequence=13, group="+二组", notes="@cmd")
    return election


def _pages(election, voter):
    return [
        reverse("voter_roll", args=[election.pk]),
        reverse("voter_roll", args=[election.pk]) + "?q=" + voter.id_masked[-4:],
        reverse("voter_create", args=[election.pk]),
        reverse("voter_edit", args=[voter.pk]),
        reverse("objection_list", args=[election.pk]),
        reverse("roll_publish", args=[election.pk]),
    ]


def test_every_page_export_pdf_and_audit_row_is_masked(client, township_user, election):
    voter = Voter.objects.get(name="马成林")
    client.force_login(township_user)
    for url in _pages(election, voter):
        body = client.get(url).content.decode()
        assert_no_full_id(body, url)
        assert "13912345678" not in body
    # the search by the last four finds the voter
    assert "马成林" in client.get(_pages(election, voter)[1]).content.decode()

    export = client.get(reverse("voter_export", args=[election.pk]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert_no_full_id(" ".join(cells), "the export")
    assert voter.id_masked in cells and "139****5678" in cells

    form_committee(township_user, election)
    roll_publish(actor=township_user, election=election)
    objection = objection_file(
        actor=township_user, election=election, kind="inclusion", filed_by="王五", grounds="迁出", voter=voter
    )
    objection_decide(actor=township_user, objection=objection, decision="upheld", decision_text="属实")
    roll_supplement_publish(actor=township_user, election=election)
    voter_cards_generate(actor=township_user, election=election)
    for document in Document.objects.filter(content_type="application/pdf"):
        text = pdf_text(document.file.read())
        assert_no_full_id(text, document.title)
        assert "13912345678" not in text
    for event in AuditEvent.objects.all():
        assert_no_full_id(f"{event.object_repr} {event.before} {event.after}", event.event_type)


def test_export_writes_formula_like_text_as_text(client, township_user, election):
    client.force_login(township_user)
    sheet = load_workbook(io.BytesIO(client.get(reverse("voter_export", args=[election.pk])).content)).active
    risky = [
        c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=+-@"
    ]
    assert {c.value for c in risky} >= {"=HYPERLINK(1)", "+二组", "@cmd"}
    assert all(c.data_type == "s" for c in risky)
    assert AuditEvent.objects.filter(event_type="roll.exported").exists()


def test_reveal_is_for_township_staff_and_audited(client, township_user, village_clerk, election):
    voter = Voter.objects.get(name="马成林")
    url = reverse("voter_reveal", args=[voter.pk])
    client.force_login(village_clerk)
    assert client.post(url).status_code == 403
    assert not AuditEvent.objects.filter(event_type="pii.revealed").exists()
    page = client.get(reverse("voter_edit", args=[voter.pk])).content.decode()
    assert 'data-testid="reveal-id"' not in page
    client.force_login(township_user)
    assert client.get(url).status_code == 405  # never by GET (no number in a URL or a prefetch)
    response = client.post(url, {"field": "id_number"}, HTTP_HX_REQUEST="true")
    assert make_id(sequence=11) in response.content.decode()
    response = client.post(url, {"field": "phone"}, HTTP_HX_REQUEST="true")
    assert "13912345678" in response.content.decode()
    events = AuditEvent.objects.filter(event_type="pii.revealed").order_by("sequence")
    assert [e.after["field"] for e in events] == ["id_number", "phone"]
    assert all(e.actor_id == township_user.pk and e.object_id == str(voter.pk) for e in events)
    assert_no_full_id(str([e.after for e in events]), "reveal audit rows")


def test_full_export_is_a_reveal(client, township_user, village_clerk, election):
    url = reverse("voter_export", args=[election.pk])
    client.force_login(village_clerk)
    assert client.post(url, {"full": "1"}).status_code == 403
    client.force_login(township_user)
    response = client.post(url, {"full": "1"})
    cells = " ".join(
        str(c.value) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row
    )
    assert make_id(sequence=11) in cells
    event = AuditEvent.objects.get(event_type="pii.revealed")
    assert event.after["export"] is True and event.after["voters"] == 2


def test_id_check_is_posted_never_in_a_url(client, township_user, election):
    client.force_login(township_user)
    url = reverse("voter_id_check", args=[election.pk])
    assert client.get(url, {"id_number": make_id(sequence=11)}).status_code == 405
    with translation.override("en"):
        body = client.post(url, {"id_number": make_id(sequence=11)}).content.decode()
    assert "Already on this roll" in body or "已在本名单中" in body
    assert_no_full_id(re.sub(r'value="[^"]*"', "", body), "the ID check")


def test_duplicate_elsewhere_does_not_reveal_the_other_person(
    client, county_user, township_user, regions, election
):
    neighbour = village_election(county_user, regions, code="630121100200", cycle=election.cycle)
    client.force_login(township_user)
    body = client.post(
        reverse("voter_id_check", args=[neighbour.pk]), {"id_number": make_id(sequence=11)}
    ).content.decode()
    assert 'data-testid="id-duplicate"' in body
    assert "马成林" not in body and "元树尔" not in body and "一组" not in body


def test_struck_voter_pages_stay_masked(client, township_user, election):
    voter = Voter.objects.get(name="马成林")
    voter_strike(actor=township_user, voter=voter, reason="死亡")
    client.force_login(township_user)
    assert_no_full_id(
        client.get(reverse("voter_edit", args=[voter.pk])).content.decode(), "struck voter page"
    )
