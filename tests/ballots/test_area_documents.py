"""Area documents: the county's summary workbook (one row per village election, subtotals, totals, Chinese
headers, formula-safe, frozen header) made by a job and stored once per data version; the batch of result
notices as one PDF or a zip, in region-code order, reusing stored notices; scoped to the user's area."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from audit.models import AuditEvent
from ballots.choices import ResultStatus
from ballots.models import RoundResult
from ballots.services.notices import result_notice_generate
from ballots.services.results import results_certify, results_compute
from election_admin.choices_cycles import Stage
from election_admin.models import Document, DocumentKind, Election, Job, Region
from tests.ballots.helpers import count_village, enter_twice, good_votes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def certified(county_user, township_user, village_clerk, regions):
    """元树尔村's villagers' committee result, certified (its notice not made: no commit callbacks ran)."""
    village = count_village(county_user, regions)
    enter_twice(township_user, village_clerk, village.boxes[0], votes=good_votes(village))
    result = results_compute(actor=township_user, election=village.election)
    results_certify(actor=township_user, result=result, confirmed=True, today=village.election.election_day)
    return village


def second_certified(village, county_user) -> RoundResult:
    """Another village of 桥头镇 (大煤洞村, lower code) with a certified result of the same figures."""
    first = RoundResult.objects.get(election=village.election)
    election = Election.objects.get(
        cycle=village.election.cycle, region_id="630121100200", body=first.election.body
    )
    Election.objects.filter(pk=election.pk).update(election_day=village.election.election_day)
    return RoundResult.objects.create(
        election=election,
        totals=first.totals,
        outcome=first.outcome,
        computed_by=county_user,
        status=ResultStatus.CERTIFIED,
        certified_by=county_user,
        certified_at=timezone.now(),
    )


def request_summary(client, cycle, code, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ballots_area_summary", args=[cycle.pk, code]))
    assert response.status_code == 302
    return Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def sheet_rows(document):
    with document.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_county_summary_workbook(client, certified, county_user, django_capture_on_commit_callbacks):
    Region.objects.filter(code="630121100207").update(name='=HYPERLINK("http://x")毛家寨村委会')
    cycle = certified.election.cycle
    client.force_login(county_user)
    job = request_summary(client, cycle, "630121", django_capture_on_commit_callbacks)
    assert (
        job.status == "succeeded"
        and job.processed == job.total == Election.objects.filter(cycle=cycle).count()
    )
    document = Document.objects.get(kind=DocumentKind.SUMMARY_WORKBOOK)
    assert job.result_url == reverse("document_download", args=[document.pk])
    assert document.region_id == "630121" and len(document.sha256) == 64
    sheet, rows = sheet_rows(document)
    header_at = next(i for i, row in enumerate(rows) if row[0] == "市（州）")
    header = rows[header_at]
    assert header[:9] == [
        "市（州）",
        "县（市、区）",
        "乡镇（街道）",
        "村（社区）",
        "统计代码",
        "选举机构",
        "登记选民数",
        "参加投票人数",
        "参选率",
    ]
    assert sheet.freeze_panes == f"E{header_at + 2}"
    column = {name: header.index(name) for name in header}
    village = next(
        r for r in rows if r[column["统计代码"]] == "630121100201" and r[column["选举机构"]] == "村民委员会"
    )
    assert village[column["村（社区）"]] == "元树尔村委会"
    assert (village[column["市（州）"]], village[column["乡镇（街道）"]]) == ("西宁市", "桥头镇")
    assert (village[column["登记选民数"]], village[column["参加投票人数"]]) == (16, 14)
    assert village[column["参选率"]] == pytest.approx(14 / 16)
    assert (village[column["有效票数"]], village[column["无效票数"]]) == (13, 1)
    assert village[column["当选主任"]] == "张明" and village[column["当选委员"]] == "陈静、杨帆、黄磊"
    assert (village[column["另行选举"]], village[column["结果状态"]]) == ("否", "已确认")
    with translation.override("zh-hans"):
        assert village[column["选举阶段"]] == str(Stage.RESULTS_CERTIFIED.label) != "Results certified"
    waiting = next(r for r in rows if r[column["统计代码"]] == "630121101201")
    assert (waiting[column["登记选民数"]], waiting[column["结果状态"]]) == (None, "未计票")
    subtotals = [r for r in rows if r[2] == "小计"]
    assert [r[3] for r in subtotals] == ["桥头镇", "城关镇"]
    total = next(r for r in rows if r[2] == "合计")
    assert total[column["登记选民数"]] == 16 and total[column["参加投票人数"]] == 14
    # a region name that reads like a formula is text, never a formula
    cell = next(c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    assert AuditEvent.objects.filter(event_type="area_documents.summary_made").count() == 1
    # asked again with nothing changed: the stored workbook; once a figure changed: a new one
    request_summary(client, cycle, "630121", django_capture_on_commit_callbacks)
    assert Document.objects.filter(kind=DocumentKind.SUMMARY_WORKBOOK).count() == 1
    Election.objects.filter(cycle=cycle, region_id="630121101201").update(registered_count=420)
    request_summary(client, cycle, "630121", django_capture_on_commit_callbacks)
    assert Document.objects.filter(kind=DocumentKind.SUMMARY_WORKBOOK).count() == 2


def test_township_workbook_has_its_own_villages_only(
    client, certified, township_user, django_capture_on_commit_callbacks
):
    cycle = certified.election.cycle
    client.force_login(township_user)
    page = client.get(reverse("ballots_area_documents", args=[cycle.pk, "630121100"]))
    assert page.status_code == 200 and "桥头镇" in page.content.decode()
    request_summary(client, cycle, "630121100", django_capture_on_commit_callbacks)
    _sheet, rows = sheet_rows(Document.objects.get(kind=DocumentKind.SUMMARY_WORKBOOK))
    codes = {str(r[4]) for r in rows if r[4] and str(r[4]).isdigit()}
    assert codes and all(code.startswith("630121100") for code in codes)


@pytest.mark.parametrize(
    ("user_fixture", "code", "expected"),
    [
        ("township_user", "630121", 404),  # the county is above the township's area
        ("township_user", "630121101", 404),  # the neighbouring township
        ("neighbour_county_user", "630121", 404),  # 湟源县 does not see 大通县's cycle
        ("village_clerk", "630121100201", 404),  # a village is not an area of villages
        ("city_user", "630121", 200),
        ("county_user", "630121101", 200),
    ],
)
def test_area_page_scope(client, request, county_user, regions, user_fixture, code, expected):
    from tests.cycle_helpers import open_datong_cycle

    cycle = open_datong_cycle(county_user, regions)
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("ballots_area_documents", args=[cycle.pk, code])).status_code == expected
    response = client.post(reverse("ballots_area_summary", args=[cycle.pk, code]))
    assert response.status_code == (302 if expected == 200 else expected)


def request_notices(client, cycle, code, file_format, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ballots_area_notices", args=[cycle.pk, code]), {"file_format": file_format}
        )
    return response


def test_batch_notices_as_one_pdf(client, certified, county_user, django_capture_on_commit_callbacks):
    first = RoundResult.objects.get(election=certified.election)
    stored = result_notice_generate(actor=None, result=first)  # made at certification: reused, not remade
    second = second_certified(certified, county_user)
    client.force_login(county_user)
    response = request_notices(
        client, certified.election.cycle, "630121", "pdf", django_capture_on_commit_callbacks
    )
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == "succeeded" and (job.processed, job.total) == (2, 2)
    batch = Document.objects.get(kind=DocumentKind.RESULT_NOTICE_BATCH)
    notices = Document.objects.filter(kind=DocumentKind.RESULT_NOTICE)
    assert notices.count() == 2 and stored in notices  # the missing one made on the way
    with batch.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    single = {}
    for notice in notices:
        with notice.file.open("rb") as handle:
            single[notice.subject_id] = len(PdfReader(io.BytesIO(handle.read())).pages)
    assert len(reader.pages) == sum(single.values())
    assert batch.content_type == "application/pdf" and batch.filename.endswith(".pdf")
    # region-code order: 大煤洞村 (…200) before 元树尔村 (…201), each page as stored
    texts = []
    for result in (second, first):
        notice = notices.get(subject_id=str(result.pk))
        with notice.file.open("rb") as handle:
            texts += [page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages]
    assert [page.extract_text() for page in reader.pages] == texts
    assert texts[0] != texts[-1]


def test_batch_notices_as_a_zip_in_region_order(
    client, certified, county_user, django_capture_on_commit_callbacks
):
    second = second_certified(certified, county_user)
    client.force_login(county_user)
    request_notices(client, certified.election.cycle, "630121100", "zip", django_capture_on_commit_callbacks)
    batch = Document.objects.get(kind=DocumentKind.RESULT_NOTICE_BATCH)
    with batch.file.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert len(names) == 2
    assert "630121100200" in names[0] and "630121100201" in names[1]
    assert second.election.region_id in names[0]
    # asked again with nothing changed: the stored batch is returned, not a second one
    request_notices(client, certified.election.cycle, "630121100", "zip", django_capture_on_commit_callbacks)
    assert Document.objects.filter(kind=DocumentKind.RESULT_NOTICE_BATCH).count() == 1


def test_no_certified_result_no_batch(client, county_user, city_user, regions):
    from tests.cycle_helpers import open_datong_cycle

    cycle = open_datong_cycle(county_user, regions)
    client.force_login(city_user)  # a city's batch would be thousands of pages: township or county only
    page = client.get(reverse("ballots_area_documents", args=[cycle.pk, "6301"])).content.decode()
    assert 'data-testid="summary-form"' in page and 'data-testid="notices-form"' not in page
    response = client.post(reverse("ballots_area_notices", args=[cycle.pk, "6301"]), {"file_format": "pdf"})
    assert response.status_code == 302 and not Job.objects.exists()
    client.force_login(county_user)
    response = client.post(
        reverse("ballots_area_notices", args=[cycle.pk, "630121"]), {"file_format": "pdf"}, follow=True
    )
    assert "没有" in response.content.decode() or "No result" in response.content.decode()
    assert not Job.objects.exists()


def test_dashboard_links_the_area_documents(client, certified, county_user, township_user):
    client.force_login(county_user)
    page = client.get(reverse("progress_region", args=["630121"])).content.decode()
    link = reverse("ballots_area_documents_latest", args=["630121"])
    assert link in page
    cycle = certified.election.cycle
    assert client.get(link).url == reverse("ballots_area_documents", args=[cycle.pk, "630121"])
    client.force_login(township_user)
    assert client.get(link).status_code == 404  # the county is not the township's area


@pytest.mark.django_db(transaction=True)
def test_summary_task_on_the_real_worker(celery_worker_real, settings, tmp_path):
    """Through Redis and a worker process thread: ids in, the job finished with the download, the workbook
    stored (the figures themselves are checked above)."""
    import time

    from ballots.tasks import summary_workbook_task
    from election_admin.choices import Role
    from election_admin.services.jobs import job_create
    from tests.cycle_helpers import open_datong_cycle
    from tests.factories import UserFactory, make_region_tree

    settings.MEDIA_ROOT = tmp_path
    regions = make_region_tree()
    county = UserFactory(username="datong-area-real", role=Role.COUNTY_BUREAU, region=regions["630121"])
    cycle = open_datong_cycle(county, regions)
    job = job_create(actor=county, kind="summary_workbook", region=regions["630121"], total=1)
    document_id = summary_workbook_task.delay(cycle.pk, "630121", job.pk).get(timeout=120)
    deadline = time.monotonic() + 10
    while not Document.objects.filter(pk=document_id).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result_url == reverse("document_download", args=[document_id])
    _sheet, rows = sheet_rows(Document.objects.get(pk=document_id))
    assert rows[-1][2] == "合计" and rows[-1][4] == f"{Election.objects.filter(cycle=cycle).count()} 个"
