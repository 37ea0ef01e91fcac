"""The statistics workbook: one sheet per table, the region hierarchy in rows, a totals row, Chinese
headers; stored once per data version; requested from the page as a job; made by the real worker."""

import time
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from election_admin.models import Document, DocumentKind, Job
from election_admin.reporting.services import statistics_workbook_make

from .report_data import TOWNSHIP, build_report


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _rows(document, title):
    book = load_workbook(BytesIO(document.file.open("rb").read()), read_only=True)
    return book.sheetnames, [list(r) for r in book[title].iter_rows(values_only=True)]


def test_workbook_layout_and_totals(county_user, regions):
    cycle = build_report(county_user, regions)
    document = statistics_workbook_make(actor=county_user, cycle=cycle, region=regions["630121"])
    sheets, rows = _rows(document, "党组织成员")
    assert {"换届情况（党组织）", "党组织成员", "党组织书记", "与上届比较"} <= set(sheets)
    header = next(r for r in rows if r[0] == "区划代码")
    assert header[1] == "单位" and "平均年龄" in header and "大学本科及以上占比（%）" in header
    by_code = {r[0]: r for r in rows if r and r[0] and str(r[0]).isdigit()}
    street = by_code[TOWNSHIP]
    assert street[1] == "测试街道"  # the county's townships, then their villages indented
    assert street[header.index("当选人员")] == 225 and street[header.index("平均年龄")] == 38.7
    assert by_code[f"{TOWNSHIP}045"][1] == "　测试第45社区居委会"
    total = rows[-1]
    assert total[1] == "合计" and total[header.index("当选人员")] == 225
    assert total[header.index("35周岁及以下")] == 82
    _sheets, comparison = _rows(document, "与上届比较")
    line = next(r for r in comparison if r[0] == "村（社区）党组织" and r[1] == "平均年龄")
    assert line[2:] == [38.7, 40.9, -2.2]
    # Nothing changed: the same stored document.
    assert statistics_workbook_make(actor=county_user, cycle=cycle, region=regions["630121"]) == document


def test_the_page_requests_the_workbook_as_a_job(
    county_user, city_user, regions, client, django_capture_on_commit_callbacks
):
    cycle = build_report(county_user, regions)
    client.force_login(city_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("statistics_workbook", args=[cycle.pk, "6301"]))
    job = Job.objects.get(kind="statistics_workbook")
    assert response.url == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "succeeded"
    document = Document.objects.get(kind=DocumentKind.STATISTICS_WORKBOOK)
    assert job.result_url == reverse("document_download", args=[document.pk])
    download = client.get(job.result_url)
    assert download.status_code == 200 and download["Content-Disposition"].endswith('.xlsx"')


@pytest.mark.django_db(transaction=True)
def test_workbook_task_on_the_real_worker(celery_worker_real):
    from election_admin.choices import Role
    from election_admin.reporting.tasks import statistics_workbook_task
    from tests.factories import UserFactory, make_region_tree

    regions = make_region_tree()
    county = UserFactory(username="datong-real", role=Role.COUNTY_BUREAU, region=regions["630121"])
    cycle = build_report(county, regions)
    document_id = statistics_workbook_task.delay(cycle.pk, "630121").get(timeout=120)
    deadline = time.monotonic() + 10
    while not Document.objects.filter(pk=document_id).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    document = Document.objects.get(pk=document_id)
    assert document.kind == DocumentKind.STATISTICS_WORKBOOK and document.sha256
    _sheets, rows = _rows(document, "党组织书记")
    assert rows[-1][1] == "合计"
