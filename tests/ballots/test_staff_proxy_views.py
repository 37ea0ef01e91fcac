"""Count staff and proxy pages: scoped, linked from the election-day page, the roll looked up by name and
the ID's last four (never an ID in a URL), and the services' refusals shown in the form."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ballots.models import CountStaff, Proxy
from tests.ballots.helpers import count_village
from tests.permissions import assert_scoped_get


@pytest.fixture
def village(county_user, regions):
    return count_village(county_user, regions)


def test_staff_page_scoped_and_linked(client, village, township_user, neighbour_township_user):
    election = village.election
    url = reverse("ballots_staff_add", args=[election.pk])
    assert_scoped_get(client, url, own=township_user, other=neighbour_township_user)
    client.force_login(township_user)
    page = client.get(reverse("ballots_election_day", args=[election.pk])).content.decode()
    assert url in page and reverse("ballots_proxy_add", args=[election.pk]) in page


def test_staff_added_and_candidate_refused(client, village, township_user):
    election = village.election
    url = reverse("ballots_staff_add", args=[election.pk])
    client.force_login(township_user)
    teller = village.voters["郑丽"]
    response = client.post(
        url, {"role": "teller", "name": "郑丽", "id_last4": teller.id_last4, "box": village.boxes[0].pk}
    )
    assert response.status_code == 302
    staff = CountStaff.objects.get(election=election)
    assert staff.voter == teller and staff.box == village.boxes[0]
    standing = village.voters["张明"]
    response = client.post(url, {"role": "scrutineer", "name": "张明", "id_last4": standing.id_last4})
    assert response.status_code == 200 and 'data-testid="refusal"' in response.content.decode()
    assert CountStaff.objects.filter(election=election).count() == 1
    response = client.post(url, {"role": "teller", "name": "郑丽", "id_last4": "0000"})
    assert response.status_code == 200 and CountStaff.objects.filter(election=election).count() == 1


def test_proxy_page_scoped(client, village, township_user, neighbour_township_user):
    url = reverse("ballots_proxy_add", args=[village.election.pk])
    assert_scoped_get(client, url, own=township_user, other=neighbour_township_user)


def test_proxy_filed_and_self_proxy_refused(client, village, township_user):
    election = village.election
    url = reverse("ballots_proxy_add", args=[election.pk])
    client.force_login(township_user)
    principal, proxy = village.voters["孙伟"], village.voters["朱红"]
    data = {
        "principal_name": "孙伟",
        "principal_last4": principal.id_last4,
        "proxy_name": "朱红",
        "proxy_last4": proxy.id_last4,
        "relation": "配偶",
        "filed_on": timezone.localdate().isoformat(),
    }
    assert client.post(url, data).status_code == 302
    item = Proxy.objects.get(election=election)
    assert item.principal == principal and item.proxy == proxy
    refused = {**data, "principal_name": "徐军", "principal_last4": village.voters["徐军"].id_last4}
    refused.update(proxy_name="徐军", proxy_last4=village.voters["徐军"].id_last4)
    response = client.post(url, refused)
    assert response.status_code == 200 and 'data-testid="refusal"' in response.content.decode()
    assert Proxy.objects.count() == 1
    page = client.get(reverse("ballots_election_day", args=[election.pk])).content.decode()
    assert "孙伟 → 朱红" in page
