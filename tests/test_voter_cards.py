"""Voter cards (选民证): numbered in group order, PDF sheets, a check code ballot-day staff can verify."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from election_admin.models import DocumentKind
from tests.voter_helpers import assert_no_full_id, pdf_text, register, village_election
from voters.models import Voter
from voters.services.cards import card_check, card_check_code, voter_cards_generate
from voters.services.registration import voter_strike


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


@pytest.fixture
def election(county_user, township_user, regions):
    election = village_election(county_user, regions)
    for i, (name, group) in enumerate([("丙", "十组"), ("甲", "一组"), ("乙", "二组"), ("丁", "一组")]):
        register(
            township_user, election, f"选民{name}", born=date(1980, 1, 1 + i), sequence=11 + i, group=group
        )
    return election


def test_cards_are_numbered_in_group_order(township_user, election):
    document = voter_cards_generate(actor=township_user, election=election)
    assert document.kind == DocumentKind.VOTER_CARDS and not document.is_public
    order = list(Voter.objects.order_by("serial").values_list("group", flat=True))
    assert order == ["一组", "一组", "二组", "十组"]
    text = pdf_text(document.file.read())
    assert text.count("选  民  证") == 4
    for voter in Voter.objects.all():
        assert f"{voter.serial:05d}" in text and card_check_code(voter.serial, voter.id_hash) in text
    assert_no_full_id(text, "the voter cards")
    assert AuditEvent.objects.get(event_type="roll.cards_printed").after["cards"] == 4


def test_new_voters_get_the_next_numbers(township_user, election):
    voter_cards_generate(actor=township_user, election=election)
    late = register(township_user, election, "补登", sequence=41, group="一组")
    voter_cards_generate(actor=township_user, election=election)
    late.refresh_from_db()
    assert late.serial == 5  # numbers already printed never change


def test_card_check(township_user, neighbour_township_user, election):
    voter_cards_generate(actor=township_user, election=election)
    voter = Voter.objects.get(serial=1)
    code = card_check_code(voter.serial, voter.id_hash)
    assert len(code) == 6
    assert card_check(user=township_user, region_id=voter.region_id, serial=1, code=code.lower()) == voter
    assert card_check(user=township_user, region_id=voter.region_id, serial=2, code=code) is None
    assert card_check(user=neighbour_township_user, region_id=voter.region_id, serial=1, code=code) is None
    voter_strike(actor=township_user, voter=voter, reason="死亡")
    assert card_check(user=township_user, region_id=voter.region_id, serial=1, code=code) is None


def test_card_check_page(client, township_user, election):
    voter_cards_generate(actor=township_user, election=election)
    voter = Voter.objects.get(serial=2)
    client.force_login(township_user)
    url = reverse("voter_card_check")
    ok = client.get(url, {"region": voter.region_id, "serial": 2, "code": card_check_code(2, voter.id_hash)})
    assert 'data-testid="card-ok"' in ok.content.decode() and voter.name in ok.content.decode()
    bad = client.get(url, {"region": voter.region_id, "serial": 2, "code": "AAAAAA"})
    assert 'data-testid="card-bad"' in bad.content.decode()


def test_cards_page_makes_them_in_the_background(
    client, township_user, election, django_capture_on_commit_callbacks
):
    from election_admin.choices_cycles import JobStatus
    from election_admin.models import Job

    client.force_login(township_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("voter_cards", args=[election.pk]))
    job = Job.objects.get(kind="voter_cards")
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    download = client.get(job.result_url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
