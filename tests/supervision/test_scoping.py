"""Every supervision page for anonymous / other area / own area (tests/permissions.py), POST-only actions
refused out of area, and the roles that may only read."""

import pytest
from django.urls import reverse
from django.utils import timezone

from election_admin.supervision.choices import ReservePost
from election_admin.supervision.models import Leader
from election_admin.supervision.services.complaints import complaint_receive
from election_admin.supervision.services.targets import reserve_add
from election_admin.supervision.services.visits import visit_record
from tests.permissions import assert_scoped_get

from .helpers import QIAOTOU, YUANSHUER, assign_datong, datong_cycle, yuanshuer

TODAY = timezone.localdate()


@pytest.fixture
def world(county_user, township_user, regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cycle = datong_cycle(county_user, regions)
    assign_datong(county_user, township_user, cycle)
    village = regions[YUANSHUER]
    complaint = complaint_receive(
        actor=township_user,
        cycle=cycle,
        region=village,
        received_on=TODAY,
        channel="letter",
        category="procedure",
        summary="候选人资格有疑问",
        complainant="王五",
    )
    visit = visit_record(
        actor=township_user,
        cycle=cycle,
        region=village,
        visited_on=TODAY,
        group_name="镇督导组",
        findings="x",
        follow_up="补登",
    )
    reserve = reserve_add(
        actor=township_user,
        region=village,
        post=ReservePost.CHAIR,
        name="马燕",
        gender="female",
        age=30,
        education="senior",
    )
    return {
        "cycle": cycle,
        "election": yuanshuer(cycle),
        "complaint": complaint,
        "visit": visit,
        "reserve": reserve,
        "leader": Leader.objects.get(name="李明"),
    }


def test_cycle_pages_for_the_county(world, client, county_user, neighbour_county_user):
    cycle = world["cycle"]
    for name, args, contains in [
        ("supervision_cycle", [cycle.pk], "桥头镇"),
        ("supervision_assign", [cycle.pk, "630121"], "王建国"),
        ("supervision_complaints", [cycle.pk], "王五"),
        ("supervision_complaint_create", [cycle.pk], "元树尔村委会"),
        ("supervision_visits", [cycle.pk], "镇督导组"),
        ("supervision_settings", [cycle.pk], "15"),
        ("supervision_targets", [cycle.pk], "村民委员会"),
        ("supervision_report_list", ["630121"], "大通回族土族自治县"),
        ("supervision_reserves", ["630121"], "马燕"),
    ]:
        assert_scoped_get(
            client, reverse(name, args=args), own=county_user, other=neighbour_county_user, contains=contains
        )


def test_township_pages(world, client, township_user, neighbour_township_user):
    for name, args, contains in [
        ("supervision_assign", [world["cycle"].pk, QIAOTOU], "李明"),
        ("supervision_complaint_detail", [world["complaint"].pk], "候选人资格有疑问"),
        ("supervision_leader_detail", [world["leader"].pk], "元树尔村委会"),
        ("supervision_election", [world["election"].pk], "元树尔村委会"),
        ("supervision_handover", [world["election"].pk], "元树尔村委会"),
        ("supervision_reserves", [QIAOTOU], "马燕"),
    ]:
        assert_scoped_get(
            client,
            reverse(name, args=args),
            own=township_user,
            other=neighbour_township_user,
            contains=contains,
        )


def test_post_actions_out_of_area_are_not_found(world, client, neighbour_township_user):
    client.force_login(neighbour_township_user)
    for name, key in [
        ("supervision_election_record", "election"),
        ("supervision_visit_follow_up", "visit"),
        ("supervision_reserve_remove", "reserve"),
    ]:
        assert (
            client.post(reverse(name, args=[world[key].pk]), {"done_on": TODAY, "reason": "x"}).status_code
            == 404
        )


def test_readers_and_clerks(world, client, city_user, village_clerk, township_user):
    cycle = world["cycle"]
    client.force_login(city_user)
    assert client.get(reverse("supervision_complaints", args=[cycle.pk])).status_code == 200
    assert (
        client.get(reverse("supervision_settings", args=[cycle.pk])).status_code == 403
    )  # the county's cycle
    client.force_login(township_user)
    assert client.get(reverse("supervision_settings", args=[cycle.pk])).status_code == 403
    assert client.post(reverse("supervision_report_list", args=["630121"])).status_code == 404
    client.force_login(village_clerk)
    for name, args in [
        ("supervision_complaints", [cycle.pk]),
        ("supervision_visits", [cycle.pk]),
        ("supervision_election", [world["election"].pk]),
        ("supervision_reserves", [YUANSHUER]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert client.get(reverse("supervision_home")).status_code == 200


def test_record_sheet_print_downloads_the_stored_pdf(world, client, township_user):
    client.force_login(township_user)
    response = client.post(reverse("supervision_election_record", args=[world["election"].pk]))
    assert response.status_code == 302 and "/documents/" in response["Location"]
    download = client.get(response["Location"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
