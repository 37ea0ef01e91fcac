"""Scoping by region: one choke point, and out-of-area answers exactly like missing."""

import re

import pytest
from django.urls import reverse

from election_admin.models import Region, User

from .permissions import assert_scoped_get


def test_visible_to_is_a_code_prefix(regions, township_user, county_user, system_admin, village_clerk):
    assert set(Region.objects.visible_to(township_user).values_list("code", flat=True)) == {
        "630121100",
        "630121100001",
        "630121100002",
        "630121100200",
        "630121100201",
        "630121100207",
    }
    assert Region.objects.visible_to(county_user).filter(code__startswith="630123").count() == 0
    assert Region.objects.visible_to(system_admin).count() == Region.objects.count()
    assert list(Region.objects.visible_to(village_clerk).values_list("code", flat=True)) == ["630121100201"]


def test_inactive_or_anonymous_see_nothing(regions, township_user):
    from django.contrib.auth.models import AnonymousUser

    assert Region.objects.visible_to(AnonymousUser()).count() == 0
    township_user.is_active = False
    assert Region.objects.visible_to(township_user).count() == 0


def test_region_detail_matrix(client, regions, township_user, neighbour_township_user):
    assert_scoped_get(
        client,
        reverse("region_detail", args=["630121100"]),
        own=township_user,
        other=neighbour_township_user,
        contains="元树尔村委会",
    )


def test_out_of_area_and_missing_answer_alike(client, regions, township_user):
    client.force_login(township_user)
    out_of_area = client.get(reverse("region_detail", args=["630121101"]))
    missing = client.get(reverse("region_detail", args=["630121199"]))
    assert out_of_area.status_code == missing.status_code == 404

    def main_part(response):
        return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)

    assert main_part(out_of_area) == main_part(missing)


def test_township_user_cannot_reach_another_township_by_any_url(client, regions, township_user):
    """Every region page of 城关镇 (the neighbouring township) and above answers 404."""
    client.force_login(township_user)
    for code in ["630121101", "630121101201", "630121", "6301", "63", "630123100200"]:
        assert client.get(reverse("region_detail", args=[code])).status_code == 404, code
    home = client.get(reverse("home")).content.decode()
    assert "上毛佰胜村委会" not in home


def test_city_user_sees_counties_with_counts(client, regions, city_user):
    client.force_login(city_user)
    page = client.get(reverse("region_detail", args=["6301"])).content.decode()
    assert "大通回族土族自治县" in page
    assert "湟源县" in page
    assert "乐都区" not in page  # another city


def test_home_counts_villages_and_communities(client, regions, county_user):
    client.force_login(county_user)
    response = client.get(reverse("home"))
    rows = {row["region"].code: row for row in response.context["children"]}
    assert rows["630121100"]["villages"] == 3
    assert rows["630121100"]["communities"] == 2
    assert rows["630121101"]["villages"] == 2


@pytest.mark.parametrize("code,kind", [("630121100001", "community"), ("630121100200", "village")])
def test_village_level_kind_from_code(regions, code, kind):
    assert Region.objects.get(code=code).kind == kind


def test_user_scoping_hides_other_areas_staff(regions, county_user, neighbour_county_user, township_user):
    visible = set(User.objects.visible_to(county_user).values_list("username", flat=True))
    assert "qiaotou" in visible
    assert "huangyuan" not in visible
