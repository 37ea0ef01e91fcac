"""Responsibility assignments (包保责任制): the bulk table is all or nothing with every bad row named, a person
is kept once per unit, clearing a name removes the assignment; who may assign what; phones masked for roles
that do not chase by phone; a leader's page lists the villages they answer for and what is due this week."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from election_admin.supervision.choices import AssignmentKind
from election_admin.supervision.models import Assignment, Leader
from election_admin.supervision.models.assignments import mask_phone
from election_admin.supervision.selectors import leader_villages, responsible_for
from election_admin.supervision.services.assignments import (
    AssignmentRow,
    assignments_set_bulk,
    leader_link_user,
)

from .helpers import CHENGGUAN, QIAOTOU, YUANSHUER, assign_datong, datong_cycle

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(county_user, regions):
    return datong_cycle(county_user, regions)


def test_bulk_assigns_every_township_and_audits_each(cycle, county_user, township_user):
    assign_datong(county_user, township_user, cycle)
    assert Assignment.objects.filter(cycle=cycle, kind=AssignmentKind.COUNTY_LEADER).count() == 2
    wang = Leader.objects.get(name="王建国")
    assert (wang.region_id, wang.title, wang.phone) == ("630121", "副县长", "13897001234")
    assert Leader.objects.get(name="张华").region_id == QIAOTOU  # resident cadres belong to the township
    assert AuditEvent.objects.filter(event_type="supervision.assignment_set").count() == 4


def test_one_bad_row_refuses_the_whole_table_and_names_every_bad_row(cycle, county_user):
    with pytest.raises(ValidationError) as caught:
        assignments_set_bulk(
            actor=county_user,
            cycle=cycle,
            rows=[
                AssignmentRow(QIAOTOU, AssignmentKind.COUNTY_LEADER, "王建国", "副县长", "13897001234"),
                AssignmentRow(CHENGGUAN, AssignmentKind.COUNTY_LEADER, "马秀英", "", "12345"),
            ],
        )
    assert caught.value.messages == ["Row 2 (城关镇): enter 马秀英's title (e.g. deputy county head)."]
    with pytest.raises(ValidationError) as caught:
        assignments_set_bulk(
            actor=county_user,
            cycle=cycle,
            rows=[
                AssignmentRow(QIAOTOU, AssignmentKind.COUNTY_LEADER, "王建国", "副县长", "1389700"),
                AssignmentRow(CHENGGUAN, AssignmentKind.COUNTY_LEADER, "", "县委常委", ""),
                AssignmentRow("630123100", AssignmentKind.COUNTY_LEADER, "赵六", "副县长", "13800000000"),
            ],
        )
    messages = caught.value.messages
    assert messages[0].startswith("Row 1 (桥头镇): “1389700” is not a phone number")
    assert messages[1] == "Row 2 (城关镇): enter the name, or clear the whole row."
    assert messages[2] == "Row 3 (630123100): not in your area or not in this cycle."
    assert not Assignment.objects.exists() and not Leader.objects.exists()


def test_same_person_twice_must_agree_and_is_kept_once(cycle, county_user):
    rows = [
        AssignmentRow(QIAOTOU, AssignmentKind.COUNTY_LEADER, "王建国", "副县长", "13897001234"),
        AssignmentRow(CHENGGUAN, AssignmentKind.COUNTY_LEADER, "王建国", "县长", "13897001234"),
    ]
    with pytest.raises(ValidationError, match="appears twice"):
        assignments_set_bulk(actor=county_user, cycle=cycle, rows=rows)
    rows[1] = AssignmentRow(CHENGGUAN, AssignmentKind.COUNTY_LEADER, "王建国", "副县长", "138 9700 1234")
    result = assignments_set_bulk(actor=county_user, cycle=cycle, rows=rows)
    assert result.assigned == 2 and Leader.objects.count() == 1


def test_clearing_a_name_removes_and_resaving_changes_nothing(cycle, county_user, township_user):
    assign_datong(county_user, township_user, cycle)
    rows = [
        AssignmentRow(QIAOTOU, AssignmentKind.COUNTY_LEADER, "王建国", "副县长", "13897001234"),
        AssignmentRow(CHENGGUAN, AssignmentKind.COUNTY_LEADER),
    ]
    result = assignments_set_bulk(actor=county_user, cycle=cycle, rows=rows)
    assert (result.assigned, result.removed, result.unchanged) == (0, 1, 1)
    assert not Assignment.objects.filter(region_id=CHENGGUAN).exists()
    assert AuditEvent.objects.filter(event_type="supervision.assignment_removed").count() == 1


def test_who_assigns_what(cycle, county_user, township_user, city_user, village_clerk):
    county_row = [AssignmentRow(QIAOTOU, AssignmentKind.COUNTY_LEADER, "王建国", "副县长", "13897001234")]
    village_row = [AssignmentRow(YUANSHUER, AssignmentKind.TOWNSHIP_LEADER, "李明", "副镇长", "13909711111")]
    with pytest.raises(PermissionDenied):
        assignments_set_bulk(actor=township_user, cycle=cycle, rows=county_row)
    for user in (city_user, village_clerk):
        with pytest.raises(PermissionDenied):
            assignments_set_bulk(actor=user, cycle=cycle, rows=village_row)
    with pytest.raises(ValidationError, match="is assigned to a Township"):
        assignments_set_bulk(
            actor=county_user,
            cycle=cycle,
            rows=[AssignmentRow(YUANSHUER, AssignmentKind.COUNTY_LEADER, "王建国", "副县长", "13897001234")],
        )
    assignments_set_bulk(actor=county_user, cycle=cycle, rows=village_row)  # the county may do the township's


def test_neighbour_township_cannot_assign_our_villages(cycle, neighbour_township_user):
    with pytest.raises(ValidationError, match="not in your area"):
        assignments_set_bulk(
            actor=neighbour_township_user,
            cycle=cycle,
            rows=[AssignmentRow(YUANSHUER, AssignmentKind.TOWNSHIP_LEADER, "李明", "副镇长", "13909711111")],
        )


def test_responsible_line_masks_phones_for_roles_that_do_not_chase(
    cycle, county_user, township_user, city_user
):
    assign_datong(county_user, township_user, cycle)
    who = responsible_for({(cycle.pk, YUANSHUER)})[(cycle.pk, YUANSHUER)]
    assert who.line(county_user) == (
        "County leader 王建国（副县长 13897001234）；Township leader 李明（副镇长 13909711111）；"
        "Resident cadre 张华（驻村干部 0971-2721234）"
    )
    assert "138****1234" in who.line(city_user) and "13897001234" not in who.line(city_user)
    assert who.names() == "王建国（副县长）、李明（副镇长）、张华（驻村干部）"
    assert mask_phone("0971-2721234") == "097****1234" and mask_phone("12345") == "***45"


def test_leader_page_lists_villages_and_this_weeks_work(cycle, county_user, township_user, client):
    assign_datong(county_user, township_user, cycle)
    wang = Leader.objects.get(name="王建国")
    villages = leader_villages(county_user, wang, TODAY)
    assert sorted(v.region.code for v in villages) == [
        "630121100001",
        "630121100002",
        "630121100200",
        "630121100201",
        "630121100207",
    ]
    assert all(v.needs_attention for v in villages)  # every roll is 10 days overdue
    assert villages[0].elections[0].days_late == 10
    li = Leader.objects.get(name="李明")
    assert [v.region.code for v in leader_villages(township_user, li, TODAY)] == [YUANSHUER]
    client.force_login(county_user)
    page = client.get(reverse("supervision_leader_detail", args=[wang.pk])).content.decode()
    assert "元树尔村委会" in page and "逾期 10 天" in page


def test_my_responsibilities_after_linking_the_account(cycle, county_user, township_user, client):
    assign_datong(county_user, township_user, cycle)
    li = Leader.objects.get(name="李明")
    leader_link_user(actor=township_user, leader=li, user=township_user)
    client.force_login(township_user)
    page = client.get(reverse("supervision_mine")).content.decode()
    assert "李明" in page and "元树尔村委会" in page
    client.force_login(county_user)
    assert 'data-testid="no-leader"' in client.get(reverse("supervision_mine")).content.decode()


def test_bulk_page_saves_all_rows_and_shows_row_errors(cycle, county_user, client):
    client.force_login(county_user)
    url = reverse("supervision_assign", args=[cycle.pk, "630121"])
    page = client.get(url).content.decode()
    assert "桥头镇" in page and "城关镇" in page
    data = {
        f"county_leader-{QIAOTOU}-name": "王建国",
        f"county_leader-{QIAOTOU}-title": "副县长",
        f"county_leader-{QIAOTOU}-phone": "13897001234",
        f"county_leader-{CHENGGUAN}-name": "马秀英",
        f"county_leader-{CHENGGUAN}-title": "县委常委",
        f"county_leader-{CHENGGUAN}-phone": "abc",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "第 2 行（城关镇）" in response.content.decode()
    assert "王建国" in response.content.decode()  # what was typed is shown back
    assert not Assignment.objects.exists()
    data[f"county_leader-{CHENGGUAN}-phone"] = "13897005678"
    response = client.post(url, data)
    assert response.status_code == 302
    assert Assignment.objects.filter(kind=AssignmentKind.COUNTY_LEADER).count() == 2


def test_township_page_has_both_kinds_and_village_clerk_cannot_post(
    cycle, township_user, village_clerk, client
):
    client.force_login(township_user)
    url = reverse("supervision_assign", args=[cycle.pk, QIAOTOU])
    response = client.post(
        url,
        {
            f"township_leader-{YUANSHUER}-name": "李明",
            f"township_leader-{YUANSHUER}-title": "副镇长",
            f"township_leader-{YUANSHUER}-phone": "13909711111",
            f"resident_cadre-{YUANSHUER}-name": "张华",
            f"resident_cadre-{YUANSHUER}-title": "驻村干部",
            f"resident_cadre-{YUANSHUER}-phone": "13909712222",
        },
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(region_id=YUANSHUER).count() == 2
    client.force_login(village_clerk)
    assert client.post(url, {}).status_code == 404  # the township is outside a village clerk's area


def test_city_reads_the_table_with_masked_phones(cycle, county_user, township_user, city_user, client):
    assign_datong(county_user, township_user, cycle)
    client.force_login(city_user)
    url = reverse("supervision_assign", args=[cycle.pk, "630121"])
    page = client.get(url).content.decode()
    assert "王建国" in page and "138****1234" in page and "13897001234" not in page
    assert "disabled" in page
    assert client.post(url, {}).status_code == 403
