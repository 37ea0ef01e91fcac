"""Voter-roll pages: anonymous / other area / own area for every page, the keyboard entry form, edit and
strike through the browser forms, carry-over from the last cycle."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from tests.permissions import assert_scoped_get
from tests.voter_helpers import form_committee, open_previous_datong_cycle, register, village_election
from tests.voters.files import make_id
from voters.choices import VoterStatus
from voters.models import Voter
from voters.services.carry_over import carry_over_preview, roll_carry_over
from voters.services.objections import objection_file
from voters.services.publication import roll_publish


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def election(county_user, regions):
    return village_election(county_user, regions)


def test_scoping_matrix(client, township_user, neighbour_township_user, village_clerk, county_user, election):
    voter = register(township_user, election, "马成林", sequence=11)
    form_committee(township_user, election)
    roll_publish(actor=township_user, election=election)
    objection = objection_file(
        actor=township_user, election=election, kind="inclusion", filed_by="王五", grounds="x", voter=voter
    )
    urls = [
        reverse("voter_roll", args=[election.pk]),
        reverse("voter_create", args=[election.pk]),
        reverse("voter_edit", args=[voter.pk]),
        reverse("voter_import", args=[election.pk]),
        reverse("roll_publish", args=[election.pk]),
        reverse("objection_list", args=[election.pk]),
        reverse("objection_detail", args=[objection.pk]),
        reverse("roll_carry_over", args=[election.pk]),
        reverse("voter_export", args=[election.pk]),
    ]
    for url in urls:
        assert_scoped_get(client, url, own=township_user, other=neighbour_township_user)
        client.force_login(village_clerk)  # the clerk of this very village
        assert client.get(url).status_code == 200, url
        client.force_login(county_user)
        assert client.get(url).status_code == 200, url


def test_village_clerk_sees_only_their_village(
    client, county_user, township_user, village_clerk, regions, election
):
    other = village_election(county_user, regions, code="630121100200", cycle=election.cycle)
    voter = register(township_user, other, "外村人", sequence=21)
    client.force_login(village_clerk)
    assert client.get(reverse("voter_roll", args=[other.pk])).status_code == 404
    assert client.get(reverse("voter_edit", args=[voter.pk])).status_code == 404
    assert client.post(reverse("voter_strike", args=[voter.pk]), {"reason": "x"}).status_code == 404


def test_city_bureau_reads_but_does_not_change(client, city_user, township_user, election):
    voter = register(township_user, election, "马成林", sequence=11)
    client.force_login(city_user)
    assert client.get(reverse("voter_roll", args=[election.pk])).status_code == 200
    assert client.get(reverse("voter_create", args=[election.pk])).status_code == 403
    assert client.post(reverse("voter_strike", args=[voter.pk]), {"reason": "x"}).status_code == 403


def test_entry_form_saves_and_returns_a_fresh_form_keeping_the_group(client, township_user, election):
    client.force_login(township_user)
    url = reverse("voter_create", args=[election.pk])
    page = client.get(url).content.decode()
    assert "autofocus" in page and "data-enter-moves" in page and "js/voters.js" in page
    response = client.post(
        url, {"id_number": make_id(sequence=11), "name": "马 成林", "category": "resident", "group": "三组"}
    )
    assert response.status_code == 302 and "group=" in response["Location"]
    voter = Voter.objects.get()
    assert voter.name == "马成林" and voter.group == "三组"
    again = client.get(response["Location"]).content.decode()
    assert 'value="三组"' in again and "马成林" in again  # the group stays; the last entry is listed


def test_entry_form_shows_service_errors_on_the_field(client, township_user, election):
    client.force_login(township_user)
    url = reverse("voter_create", args=[election.pk])
    with translation.override("en"):
        register(township_user, election, "马成林", sequence=11)
    response = client.post(url, {"id_number": make_id(sequence=11), "name": "马成林", "category": "resident"})
    assert response.status_code == 200
    assert 'data-testid="error-id_number"' in response.content.decode()


def test_id_check_fills_birth_date_and_gender(client, township_user, election):
    client.force_login(township_user)
    body = client.post(
        reverse("voter_id_check", args=[election.pk]), {"id_number": make_id(date(1990, 12, 31), 24)}
    ).content.decode()
    assert 'id="id_birth_date"' in body and 'value="1990-12-31"' in body and 'hx-swap-oob="true"' in body
    assert '<option value="female" selected>' in body
    young = make_id(election.election_day - timedelta(days=365 * 17), 25)
    body = client.post(reverse("voter_id_check", args=[election.pk]), {"id_number": young}).content.decode()
    assert 'data-testid="id-under-age"' in body
    body = client.post(
        reverse("voter_id_check", args=[election.pk]), {"id_number": "63012119900101"}
    ).content.decode()
    assert 'data-testid="id-problem"' in body


def test_edit_strike_and_restore_through_the_pages(client, township_user, election):
    voter = register(township_user, election, "马成林", sequence=11, group="一组")
    client.force_login(township_user)
    url = reverse("voter_edit", args=[voter.pk])
    response = client.post(url, {"id_number": "", "name": "马成麟", "category": "resident", "group": "二组"})
    assert response.status_code == 302
    voter.refresh_from_db()
    assert (voter.name, voter.group) == ("马成麟", "二组")
    client.post(reverse("voter_strike", args=[voter.pk]), {"reason": "户籍迁出"})
    voter.refresh_from_db()
    assert voter.status == VoterStatus.STRUCK
    client.post(reverse("voter_restore", args=[voter.pk]))
    voter.refresh_from_db()
    assert voter.status == VoterStatus.RESTORED
    types = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {"voter.updated", "voter.struck", "voter.restored"} <= types


def test_roll_search_and_filters(client, township_user, election):
    register(township_user, election, "马成林", sequence=11, group="一组")
    register(township_user, election, "李秀兰", sequence=12, group="二组")
    client.force_login(township_user)
    url = reverse("voter_roll", args=[election.pk])
    assert "李秀兰" not in client.get(url, {"q": "马成"}).content.decode()
    assert "马成林" not in client.get(url, {"group": "二组"}).content.decode()
    last4 = make_id(sequence=12)[-4:]
    body = client.get(url, {"q": last4}).content.decode()
    assert "李秀兰" in body and "马成林" not in body


def test_carry_over_keeps_the_living_and_leaves_out_the_dead(county_user, township_user, regions, election):
    previous = open_previous_datong_cycle(county_user, regions)
    old = village_election(county_user, regions, cycle=previous, days_ahead=-365 * 5 + 30)
    kept = register(township_user, old, "马成林", sequence=11)
    died = register(township_user, old, "李秀兰", sequence=12)
    register(township_user, old, "祁永寿", sequence=13)
    register(township_user, election, "祁永寿", sequence=13)  # already registered again this cycle
    preview = carry_over_preview(user=township_user, election=election)
    assert preview.previous_cycle == previous
    assert {v.name for v in preview.voters} == {"马成林", "李秀兰"} and preview.already_registered == 1
    count = roll_carry_over(actor=township_user, election=election, leave_out={died.pk: "死亡"})
    assert count == 1
    new = Voter.objects.get(cycle=election.cycle, name="马成林")
    assert new.id_hash == kept.id_hash and new.source == "carry_over"
    event = AuditEvent.objects.get(event_type="roll.carried_over")
    assert event.after["left_out_reasons"] == {"死亡": 1}


def test_overdue_objections_show_on_the_roll_page(client, township_user, election):
    voter = register(township_user, election, "马成林", sequence=11)
    form_committee(township_user, election)
    roll_publish(actor=township_user, election=election)
    objection = objection_file(
        actor=township_user, election=election, kind="inclusion", filed_by="王五", grounds="x", voter=voter
    )
    type(objection).objects.filter(pk=objection.pk).update(
        filed_on=timezone.localdate() - timedelta(days=5), due_on=timezone.localdate() - timedelta(days=2)
    )
    client.force_login(township_user)
    assert (
        'data-testid="overdue-objections"'
        in client.get(reverse("voter_roll", args=[election.pk])).content.decode()
    )
    detail = client.get(reverse("election_detail", args=[election.pk])).content.decode()
    assert 'data-testid="overdue-objections"' in detail and 'data-testid="roll-size">1<' in detail
