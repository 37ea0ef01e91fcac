"""The weekly report (选举工作周报): exact figures and names for a known 大通县 situation, the change since the
previous stored report, PDF and Excel stored once per region and ISO week, the Monday beat task that queues
one per county and city with an open cycle — once through a real Celery worker — and the list page."""

import time
from datetime import timedelta
from io import BytesIO

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from audit.models import AuditEvent
from election_admin.choices_cycles import Stage
from election_admin.models import Document, DocumentKind, Election, Job
from election_admin.services.elections import committee_member_add
from election_admin.services.stages import election_stage_advance
from election_admin.supervision.models import WeeklyReport
from election_admin.supervision.services.complaints import complaint_answer, complaint_receive
from election_admin.supervision.services.reports import (
    iso_week,
    regions_due_weekly_report,
    weekly_report_make,
)
from election_admin.supervision.services.visits import visit_record
from election_admin.supervision.tasks import weekly_reports_enqueue_task
from tests.voter_helpers import pdf_text

from .helpers import YUANSHUER, assign_datong, datong_cycle, yuanshuer

TODAY = timezone.localdate()
MAOJIAZHAI = "630121100207"


@pytest.fixture(autouse=True)
def _english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


def form_committee(actor, election, today=None):
    for name in ("马成林", "李秀兰", "祁永寿"):
        committee_member_add(actor=actor, election=election, name=name)
    return election_stage_advance(
        actor=actor, election=election, to_stage=Stage.COMMITTEE_FORMED, today=today
    )


def situation(county_user, township_user, regions):
    """桥头镇 votes in 10 days (5 rolls overdue), 元树尔村 has its committee; three complaints (one answered in
    time this week, one answered 3 days late this week, one serious and open); two visits, one this week."""
    cycle = datong_cycle(county_user, regions)
    assign_datong(county_user, township_user, cycle)
    form_committee(township_user, yuanshuer(cycle))
    village = regions[YUANSHUER]

    def receive(days_ago, **fields):
        return complaint_receive(
            actor=township_user,
            cycle=cycle,
            region=village,
            received_on=TODAY - timedelta(days=days_ago),
            channel="letter",
            category=fields.pop("category", "procedure"),
            summary="x",
            **fields,
        )

    in_time = receive(3)
    complaint_answer(
        actor=township_user,
        complaint=in_time,
        answered_on=TODAY - timedelta(days=1),
        outcome="upheld",
        answer="y",
    )
    late = receive(20)
    complaint_answer(
        actor=township_user,
        complaint=late,
        answered_on=TODAY - timedelta(days=2),
        outcome="not_upheld",
        answer="y",
    )
    receive(2, is_serious=True, category="vote_buying", election=yuanshuer(cycle))
    visit_record(
        actor=county_user,
        cycle=cycle,
        region=village,
        visited_on=TODAY - timedelta(days=2),
        group_name="县第一督导组",
        findings="未发现问题",
    )
    visit_record(
        actor=county_user,
        cycle=cycle,
        region=regions[MAOJIAZHAI],
        visited_on=TODAY - timedelta(days=10),
        group_name="县第二督导组",
        findings="选民登记不全",
        follow_up="补登外出务工人员",
    )
    return cycle


def test_figures_and_names_of_a_known_week(county_user, township_user, regions):
    situation(county_user, township_user, regions)
    report = weekly_report_make(actor=county_user, region=regions["630121"], report_on=TODAY)
    f = report.figures
    assert report.week == iso_week(TODAY) and f["period_start"] == (TODAY - timedelta(days=7)).isoformat()
    assert f["elections"] == 7 and f["complete"] == 0
    assert {k: v for k, v in f["stage_counts"].items() if v} == {"preparation": 6, "committee_formed": 1}
    assert f["previous_week"] == "" and set(f["stage_changes"].values()) == {None}
    assert f["overdue_total"] == 5 and len(f["overdue"]) == 5
    rows = {row["village"]: row for row in f["overdue"]}
    assert rows["元树尔村委会"] == {
        "village": "元树尔村委会",
        "township": "桥头镇",
        "body": "村民委员会",
        "deadline": "选民名单公布",
        "due": (TODAY - timedelta(days=10)).isoformat(),
        "days_late": 10,
        "responsible": "王建国（副县长）、李明（副镇长）、张华（驻村干部）",
    }
    assert rows["毛家寨村委会"]["responsible"] == "王建国（副县长）"
    counts = {k: f[k] for k in f if k.startswith("complaints_")}
    assert counts == {
        "complaints_received": 2,
        "complaints_answered": 2,
        "complaints_answered_late": 1,
        "complaints_open": 1,
        "complaints_open_late": 0,
        "complaints_serious_open": 1,
    }
    assert (f["visits_in_week"], f["villages_visited"], f["villages"]) == (1, 2, 7)
    assert (f["held"], f["registered"], f["voted"], f["late_handovers"]) == (0, 0, 0, 0)
    assert f["units"] == [
        {"code": "630121100", "name": "桥头镇", "elections": 5, "complete": 0, "overdue": 5},
        {"code": "630121101", "name": "城关镇", "elections": 2, "complete": 0, "overdue": 0},
    ]


def test_pdf_and_excel_carry_the_names_and_are_stored_once(county_user, township_user, regions):
    situation(county_user, township_user, regions)
    report = weekly_report_make(actor=county_user, region=regions["630121"], report_on=TODAY)
    assert report.pdf.data_version == f"630121-{report.week}"
    assert report.workbook.data_version == f"630121-{report.week}.xlsx"
    text = pdf_text(report.pdf.file.read()).replace("\n", "")
    for word in (
        "大通回族土族自治县村（社区）“两委”换届选举工作周报",
        "元树尔村委会",
        "王建国（副县长）",
        "李明",
    ):
        assert word in text, word
    book = load_workbook(BytesIO(report.workbook.file.read()))
    assert book.sheetnames == ["概况", "逾期", "分单位"]
    overdue = [[c.value for c in row] for row in book["逾期"].iter_rows()]
    assert overdue[0][0] == "村（社区）" or overdue[0][0]
    assert len(overdue) == 6
    yuanshuer_row = next(row for row in overdue if row[0] == "元树尔村委会")
    assert yuanshuer_row[5] == 10 and yuanshuer_row[6] == "王建国（副县长）、李明（副镇长）、张华（驻村干部）"
    summary = {row[0].value: row[1].value for row in book["概况"].iter_rows() if row[0].value}
    assert summary["逾期"] == 5 and summary["本周受理信访"] == 2 and summary["重大信访未办结"] == 1
    again = weekly_report_make(actor=county_user, region=regions["630121"], report_on=TODAY)
    assert again.pk == report.pk
    assert Document.objects.filter(kind=DocumentKind.WEEKLY_REPORT).count() == 2
    assert AuditEvent.objects.filter(event_type="weekly_report.made").count() == 1


def test_change_since_the_previous_report(county_user, township_user, regions):
    cycle = situation(county_user, township_user, regions)
    weekly_report_make(actor=None, region=regions["630121"], report_on=TODAY)
    form_committee(township_user, Election.objects.get(cycle=cycle, region_id=MAOJIAZHAI))
    next_week = weekly_report_make(actor=None, region=regions["630121"], report_on=TODAY + timedelta(days=7))
    f = next_week.figures
    assert f["previous_week"] == iso_week(TODAY)
    assert f["stage_changes"]["committee_formed"] == 1 and f["stage_changes"]["preparation"] == -1
    assert f["stage_changes"]["roll_published"] == 0
    assert f["complaints_received"] == 0  # the week before TODAY+7 starts on TODAY
    assert next_week.created_by is None
    assert AuditEvent.objects.filter(event_type="weekly_report.made").last().actor_username == "celery"


def test_city_report_counts_its_counties(county_user, township_user, city_user, regions):
    situation(county_user, township_user, regions)
    report = weekly_report_make(actor=city_user, region=regions["6301"], report_on=TODAY)
    assert report.figures["elections"] == 7 and report.figures["overdue_total"] == 5
    assert [(u["code"], u["elections"]) for u in report.figures["units"]] == [("630121", 7), ("630123", 0)]


def test_beat_schedule_and_the_monday_task(county_user, township_user, regions):
    entry = django_settings.CELERY_BEAT_SCHEDULE["supervision-weekly-reports"]
    assert entry["task"] == "election_admin.supervision.tasks.weekly_reports_enqueue_task"
    assert entry["schedule"] == crontab(hour=7, minute=0, day_of_week="mon")
    assert django_settings.CELERY_TIMEZONE == "Asia/Shanghai"
    situation(county_user, township_user, regions)
    assert regions_due_weekly_report() == ["6301", "630121"]
    assert weekly_reports_enqueue_task.delay(TODAY.isoformat()).get() == ["6301", "630121"]
    assert sorted(WeeklyReport.objects.values_list("region_id", flat=True)) == ["6301", "630121"]
    weekly_reports_enqueue_task.delay(TODAY.isoformat()).get()  # safe to run twice
    assert WeeklyReport.objects.count() == 2


def test_report_list_and_on_demand(
    county_user,
    township_user,
    city_user,
    neighbour_county_user,
    regions,
    client,
    django_capture_on_commit_callbacks,
):
    situation(county_user, township_user, regions)
    client.force_login(county_user)
    url = reverse("supervision_report_list", args=["630121"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = Job.objects.get(kind="weekly_report")
    assert response["Location"] == reverse("job_detail", args=[job.pk]) and job.status == "succeeded"
    report = WeeklyReport.objects.get(region_id="630121")
    assert client.get(url).content.decode().count(report.week) >= 1
    client.force_login(city_user)
    page = client.get(reverse("supervision_report_list", args=["6301"])).content.decode()
    assert report.week in page and "大通回族土族自治县" in page  # the city sees its counties' reports
    client.force_login(township_user)
    assert client.get(url).status_code == 404
    client.force_login(neighbour_county_user)
    assert client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_weekly_report_task_on_the_real_worker(celery_worker_real, settings, tmp_path):
    from election_admin.choices import Role
    from election_admin.supervision.tasks import weekly_report_task
    from tests.cycle_helpers import ensure_shipped_rulesets
    from tests.factories import UserFactory, make_region_tree

    settings.MEDIA_ROOT = tmp_path
    ensure_shipped_rulesets()
    regions = make_region_tree()
    county = UserFactory(username="datong-real", role=Role.COUNTY_BUREAU, region=regions["630121"])
    datong_cycle(county, regions)
    result = weekly_report_task.delay("630121", TODAY.isoformat())
    report_id = result.get(timeout=60)
    deadline = time.monotonic() + 10
    while not WeeklyReport.objects.filter(pk=report_id).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    report = WeeklyReport.objects.get(pk=report_id)
    assert report.figures["overdue_total"] == 5 and report.pdf.sha256 and report.workbook.sha256
