"""Election-day lists (#6 item 1): ballot writers (代写人) refused on the candidates' side like the count
staff; the voters of a mobile ballot box (one mobile box per voter, a database rule) and its published
notice; the published proxy list. Notices carry names and groups, never ID numbers."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from ballots.choices import BoxKind, StaffRole
from ballots.models import MobileBoxVoter
from ballots.services.election_day import ballot_box_create, count_staff_add, proxy_file
from election_admin.models import Document, DocumentKind
from tests.ballots.helpers import count_village
from tests.voter_helpers import pdf_text

ID_NUMBER = re.compile(r"\d{17}[\dXx]")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def village(county_user, regions):
    return count_village(county_user, regions)


@pytest.fixture
def mobile_box(village, township_user):
    box = ballot_box_create(
        actor=township_user, venue=village.boxes[0].venue, label="流动票箱一", kind=BoxKind.MOBILE
    )
    for name in ("徐军", "郑丽", "马成林"):
        count_staff_add(
            actor=township_user,
            election=village.election,
            role=StaffRole.SCRUTINEER,
            name=name,
            voter=village.voters[name],
            box=box,
        )
    return box


def _add(client, box, voter, reason=""):
    return client.post(
        reverse("ballots_mobile_box_voters", args=[box.pk]),
        {"name": voter.name, "id_last4": voter.id_masked[-4:], "reason": reason},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def test_a_ballot_writer_is_never_on_the_candidates_side(village, township_user, client):
    with pytest.raises(ValidationError, match="candidate"):
        count_staff_add(
            actor=township_user,
            election=village.election,
            role=StaffRole.BALLOT_WRITER,
            name="张明",
            voter=village.voters["张明"],
        )
    count_staff_add(
        actor=township_user,
        election=village.election,
        role=StaffRole.BALLOT_WRITER,
        name="朱红",
        voter=village.voters["朱红"],
    )
    client.force_login(township_user)
    page = client.get(
        reverse("ballots_election_day", args=[village.election.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "朱红 · 代写人" in page


def test_mobile_box_list_built_on_its_page_and_published(village, township_user, mobile_box, client):
    client.force_login(township_user)
    day_page = client.get(reverse("ballots_election_day", args=[village.election.pk])).content.decode()
    assert reverse("ballots_mobile_box_voters", args=[mobile_box.pk]) in day_page

    assert _add(client, mobile_box, village.voters["孙伟"], "卧病在床").status_code == 302
    assert _add(client, mobile_box, village.voters["朱红"], "年满八十").status_code == 302
    page = client.get(reverse("ballots_mobile_box_voters", args=[mobile_box.pk])).content.decode()
    assert "孙伟" in page and "卧病在床" in page and "徐军" in page  # a scrutineer of the box

    # Someone not on the roll with that ID ending: said on the form, nothing saved.
    refused = client.post(
        reverse("ballots_mobile_box_voters", args=[mobile_box.pk]),
        {"name": "孙伟", "id_last4": "0000", "reason": ""},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert refused.status_code == 200 and 'data-testid="refusal"' in refused.content.decode()
    assert MobileBoxVoter.objects.filter(box=mobile_box).count() == 2

    published = client.post(reverse("ballots_mobile_box_publish", args=[mobile_box.pk]))
    notice = Document.objects.get(kind=DocumentKind.MOBILE_BOX_LIST)
    assert published.status_code == 302 and published["Location"] == reverse(
        "document_download", args=[notice.pk]
    )
    text = pdf_text(notice.file.read())
    flat = text.replace(" ", "").replace("\n", "")
    for expected in (
        "流动票箱投票选民名单公告",
        "孙伟",
        "卧病在床",
        "朱红",
        "徐军、郑丽、马成林",
        notice.short_code,
    ):
        assert expected in flat, expected
    assert not ID_NUMBER.search(text)
    assert notice.is_public
    assert AuditEvent.objects.get(event_type="mobile_box.published").after["voters"] == 2

    item = MobileBoxVoter.objects.get(box=mobile_box, voter=village.voters["朱红"])
    client.post(reverse("ballots_mobile_box_voter_remove", args=[item.pk]))
    assert not MobileBoxVoter.objects.filter(pk=item.pk).exists()
    assert AuditEvent.objects.filter(event_type="mobile_box.voter_removed").count() == 1


def test_a_voter_is_on_one_mobile_box_only(village, township_user, mobile_box, client):
    other = ballot_box_create(
        actor=township_user, venue=village.boxes[0].venue, label="流动票箱二", kind=BoxKind.MOBILE
    )
    client.force_login(township_user)
    _add(client, mobile_box, village.voters["孙伟"])
    again = _add(client, other, village.voters["孙伟"])
    assert again.status_code == 200 and "流动票箱一" in again.content.decode()
    assert MobileBoxVoter.objects.filter(voter=village.voters["孙伟"]).count() == 1
    # The database refuses it too, behind the service's back.
    with pytest.raises(IntegrityError), transaction.atomic():
        MobileBoxVoter.objects.create(
            election=village.election, box=other, voter=village.voters["孙伟"], added_by=township_user
        )


def test_a_fixed_box_has_no_voter_list_and_other_townships_see_nothing(
    village, township_user, neighbour_township_user, mobile_box, client
):
    client.force_login(township_user)
    fixed = village.boxes[0]
    assert client.get(reverse("ballots_mobile_box_voters", args=[fixed.pk])).status_code == 404
    client.force_login(neighbour_township_user)
    assert client.get(reverse("ballots_mobile_box_voters", args=[mobile_box.pk])).status_code == 404
    assert client.post(reverse("ballots_mobile_box_publish", args=[mobile_box.pk])).status_code == 404
    assert client.post(reverse("ballots_proxies_publish", args=[village.election.pk])).status_code == 404


def test_proxy_list_published_once_per_state(village, township_user, client):
    proxy_file(
        actor=township_user,
        election=village.election,
        principal=village.voters["孙伟"],
        proxy=village.voters["朱红"],
        relation="配偶",
        filed_on=village.election.election_day - timedelta(days=5),
    )
    client.force_login(township_user)
    first = client.post(reverse("ballots_proxies_publish", args=[village.election.pk]))
    second = client.post(reverse("ballots_proxies_publish", args=[village.election.pk]))
    notice = Document.objects.get(kind=DocumentKind.PROXY_LIST)
    assert first["Location"] == second["Location"] == reverse("document_download", args=[notice.pk])
    text = pdf_text(notice.file.read())
    flat = text.replace(" ", "").replace("\n", "")
    for expected in ("委托投票名单公告", "孙伟", "朱红", "配偶", "共1人"):
        assert expected in flat, expected
    assert not ID_NUMBER.search(text)
    assert AuditEvent.objects.filter(event_type="proxies.published").count() == 2

    # The election day moved: the notice prints it, so publishing makes a new one.
    from election_admin.models import Election

    Election.objects.filter(pk=village.election.pk).update(
        election_day=village.election.election_day + timedelta(days=7)
    )
    client.post(reverse("ballots_proxies_publish", args=[village.election.pk]))
    assert Document.objects.filter(kind=DocumentKind.PROXY_LIST).count() == 2
