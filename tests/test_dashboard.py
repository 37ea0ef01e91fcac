"""Progress dashboards: drill-down rows (zero rows kept), overdue lists, projector, Excel export, scoping."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from audit.models import AuditEvent
from election_admin.choices_cycles import Stage
from election_admin.exports import workbook_bytes
from election_admin.models import Election
from election_admin.selectors_dashboard import overdue_elections, progress_for_region
from election_admin.services import elections as election_services
from election_admin.services import stages as stage_services

from .cycle_helpers import open_datong_cycle
from .permissions import assert_scoped_get

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are checked in English (the interface shows them in Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(county_user, township_user, regions):
    """桥头镇 votes in 10 days (roll overdue since D-20), 城关镇 has no election day yet."""
    cycle = open_datong_cycle(county_user, regions)
    election_services.election_days_set_bulk(
        actor=county_user, cycle=cycle, area_code="630121100", election_day=TODAY + timedelta(days=10)
    )
    election = Election.objects.get(cycle=cycle, region_id="630121100201")
    for name in ["甲", "乙", "丙"]:
        election_services.committee_member_add(actor=township_user, election=election, name=name)
    stage_services.election_stage_advance(
        actor=township_user, election=election, to_stage=Stage.COMMITTEE_FORMED
    )
    return cycle


def test_county_rows_keep_zero_townships_and_count_overdue(cycle, county_user, regions):
    progress = progress_for_region(user=county_user, region=regions["630121"], today=TODAY)
    rows = {row.region.code: row for row in progress.rows}
    assert set(rows) == {"630121100", "630121101"}
    qiaotou, chengguan = rows["630121100"], rows["630121101"]
    assert qiaotou.total == 5 and qiaotou.overdue == 5 and qiaotou.by_stage[Stage.COMMITTEE_FORMED] == 1
    assert chengguan.total == 2 and chengguan.overdue == 0 and chengguan.is_idle
    assert progress.totals.total == 7
    assert progress.election_days == [(TODAY + timedelta(days=10), 5)]


def test_city_user_sees_every_county_of_the_city_even_without_elections(cycle, city_user, regions):
    progress = progress_for_region(user=city_user, region=regions["6301"], today=TODAY)
    rows = {row.region.code: row for row in progress.rows}
    assert rows["630121"].total == 7
    assert rows["630123"].total == 0 and rows["630123"].is_idle


def test_national_page_for_system_admin(cycle, client, system_admin, province_user):
    client.force_login(system_admin)
    response = client.get(reverse("progress_region", args=["cn"]))
    assert response.status_code == 200 and "青海省" in response.content.decode()
    client.force_login(province_user)
    assert client.get(reverse("progress_region", args=["cn"])).status_code == 404


def test_township_page_lists_villages_with_their_elections(cycle, township_user, regions):
    progress = progress_for_region(user=township_user, region=regions["630121100"], today=TODAY)
    assert [row.region.code for row in progress.rows] == sorted(
        code for code in regions if code.startswith("630121100") and len(code) == 12
    )
    row = next(r for r in progress.rows if r.region.code == "630121100201")
    assert row.total == 1 and not row.is_idle and row.overdue == 1
    assert row.elections[0].days_late == 10


def test_overdue_list_shows_missed_deadline_and_days_late(cycle, county_user, regions):
    overdue = overdue_elections(user=county_user, region=regions["630121"], today=TODAY)
    assert len(overdue) == 5
    assert {e.next_deadline_key for e in overdue} == {"roll_published"}
    assert {e.days_late for e in overdue} == {10}


def test_progress_pages_are_scoped(
    cycle, client, township_user, neighbour_township_user, county_user, neighbour_county_user
):
    assert_scoped_get(
        client,
        reverse("progress_region", args=["630121"]),
        own=county_user,
        other=neighbour_county_user,
        contains="桥头镇",
    )
    assert_scoped_get(
        client,
        reverse("progress_region", args=["630121100"]),
        own=township_user,
        other=neighbour_township_user,
        contains="元树尔村委会",
    )
    assert_scoped_get(
        client,
        reverse("progress_region", args=["630121100201"]),
        own=township_user,
        other=neighbour_township_user,
    )
    assert_scoped_get(
        client, reverse("progress_projector", args=["630121"]), own=county_user, other=neighbour_county_user
    )
    assert_scoped_get(
        client, reverse("progress_export", args=["630121"]), own=county_user, other=neighbour_county_user
    )


def test_progress_home_redirects_to_own_region(client, township_user):
    client.force_login(township_user)
    response = client.get(reverse("progress_home"))
    assert response["Location"] == reverse("progress_region", args=["630121100"])


def test_projector_is_read_only_large_and_refreshes(cycle, client, county_user):
    client.force_login(county_user)
    page = client.get(reverse("progress_projector", args=["630121"])).content.decode()
    assert 'http-equiv="refresh"' in page
    assert "<form" not in page.split("<main", 1)[1]  # nothing to change on the projector
    assert "甲" not in page  # no committee member (personal data) on the projector


def test_excel_export_matches_the_table_and_is_audited(cycle, client, county_user):
    client.force_login(county_user)
    response = client.get(reverse("progress_export", args=["630121"]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    codes = [row[0] for row in values]
    assert "630121100" in codes and "630121101" in codes
    event = AuditEvent.objects.get(event_type="progress.exported")
    assert event.region_code == "630121" and len(event.after["sha256"]) == 64


def test_export_writes_formula_like_text_as_text():
    data, _digest = workbook_bytes(
        title="t", header=["名称"], rows=[['=HYPERLINK("x")'], ["+1"], ["-2"], ["@A1"]], meta=[]
    )
    sheet = load_workbook(BytesIO(data)).active
    for row in sheet.iter_rows(min_row=2):
        assert row[0].data_type == "s"


def test_dashboard_query_count_does_not_grow_with_villages(
    cycle, county_user, regions, django_assert_max_num_queries, client
):
    client.force_login(county_user)
    # 15, plus 3 for the supervision extension (who is responsible, serious complaints, the coverage panel),
    # plus 3 for the returns extension (open cycles with due dates, the townships below, their returns)
    with django_assert_max_num_queries(21):
        client.get(reverse("progress_region", args=["630121"]))
