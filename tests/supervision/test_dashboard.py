"""What supervision adds to the progress dashboards: the people responsible beside each overdue or at-risk
village, flags for open serious complaints and late handovers, a panel per open cycle with visit coverage —
three queries per page whatever the number of rows; nothing on the projector."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from election_admin.choices_cycles import Body
from election_admin.models import Election
from election_admin.selectors_dashboard import DASHBOARD_EXTENSIONS
from election_admin.supervision.choices import AssignmentKind
from election_admin.supervision.dashboard import dashboard_extension
from election_admin.supervision.services.assignments import AssignmentRow, assignments_set_bulk
from election_admin.supervision.services.complaints import complaint_receive
from election_admin.supervision.services.visits import visit_record

from .helpers import YUANSHUER, assign_datong, certified, datong_cycle, yuanshuer

TODAY = timezone.localdate()


@pytest.fixture
def cycle(county_user, township_user, regions):
    cycle = datong_cycle(county_user, regions)
    assign_datong(county_user, township_user, cycle)
    complaint_receive(
        actor=township_user,
        cycle=cycle,
        region=regions[YUANSHUER],
        election=yuanshuer(cycle),
        received_on=TODAY,
        channel="phone",
        category="vote_buying",
        summary="x",
        is_serious=True,
    )
    visit_record(
        actor=county_user,
        cycle=cycle,
        region=regions[YUANSHUER],
        visited_on=TODAY,
        group_name="县第一督导组",
        findings="未发现问题",
    )
    return cycle


def test_registered_once():
    assert DASHBOARD_EXTENSIONS.count(dashboard_extension) == 1


def test_county_page_names_who_is_responsible_and_flags(cycle, county_user, client):
    client.force_login(county_user)
    page = client.get(reverse("progress_region", args=["630121"])).content.decode()
    overdue = page.split('data-testid="overdue-list"', 1)[1].split("</table>", 1)[0]
    assert overdue.count("包乡领导 王建国 13897001234") == 5
    assert "包乡领导 王建国 13897001234 · 包村领导 李明 13909711111 · 驻村干部 张华 0971-2721234" in overdue
    assert overdue.count("有重大信访未办结") == 1
    panel = page.split('data-testid="supervision-panel"', 1)[1]
    assert "1 / 7 (14.3%)" in panel
    assert 'data-testid="panel-serious"><a' in panel


def test_city_sees_masked_phones_and_no_register_link_below(cycle, city_user, client):
    client.force_login(city_user)
    page = client.get(reverse("progress_region", args=["6301"])).content.decode()
    assert "王建国 138****1234" in page and "13897001234" not in page


def test_village_clerk_gets_no_complaint_flags(cycle, village_clerk, client):
    client.force_login(village_clerk)
    page = client.get(reverse("progress_region", args=[YUANSHUER])).content.decode()
    assert "有重大信访未办结" not in page
    assert "李明" in page  # who is responsible for the village is no secret to its committee


def test_late_handover_is_flagged_and_counted(county_user, township_user, regions, client):
    cycle = datong_cycle(county_user, regions)
    certified(
        county_user,
        Election.objects.get(cycle=cycle, region_id="630121101201", body=Body.VILLAGERS_COMMITTEE),
        TODAY - timedelta(days=20),
    )
    client.force_login(county_user)
    page = client.get(reverse("progress_region", args=["630121"])).content.decode()
    overdue = page.split('data-testid="overdue-list"', 1)[1].split("</table>", 1)[0]
    assert "上毛佰胜村委会" in overdue and "移交逾期" in overdue
    late = page.split('data-testid="panel-late-handovers">', 1)[1].split("<", 1)[0]
    assert late == "1"


def test_queries_do_not_grow_with_rows(cycle, county_user, township_user, regions, client):
    client.force_login(county_user)
    url = reverse("progress_region", args=["630121"])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    rows = [
        AssignmentRow(code, kind, f"干部{index}", "副镇长", f"1390971{index:04d}")
        for index, code in enumerate(["630121100001", "630121100002", "630121100200", "630121100207"])
        for kind in (AssignmentKind.TOWNSHIP_LEADER,)
    ]
    assignments_set_bulk(actor=township_user, cycle=cycle, rows=rows)
    for code in ("630121100200", "630121100207"):
        complaint_receive(
            actor=township_user,
            cycle=cycle,
            region=regions[code],
            received_on=TODAY,
            channel="phone",
            category="procedure",
            summary="x",
            is_serious=True,
        )
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert len(after) == len(before)
    assert page.count("有重大信访未办结") == 3


def test_projector_shows_nothing_of_supervision(cycle, county_user, client):
    client.force_login(county_user)
    page = client.get(reverse("progress_projector", args=["630121"])).content.decode()
    assert "王建国" not in page and "supervision-panel" not in page
