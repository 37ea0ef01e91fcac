"""The tally report: made by a background job (eager here), per box and per candidate, stored once per data
version and downloaded through the document page; scoped."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from election_admin.models import Document, DocumentKind, Job
from tests.ballots.helpers import count_village, enter_twice, good_votes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CELERY_TASK_ALWAYS_EAGER = True


def test_tally_report_per_box_and_candidate(
    client,
    county_user,
    regions,
    township_user,
    village_clerk,
    neighbour_township_user,
    django_capture_on_commit_callbacks,
):
    village = count_village(county_user, regions, boxes=2)
    enter_twice(township_user, village_clerk, village.boxes[0], votes=good_votes(village))
    url = reverse("ballots_tally_report", args=[village.election.pk])
    client.force_login(neighbour_township_user)
    assert client.post(url).status_code == 404
    client.force_login(township_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = Job.objects.get(kind="tally_report")
    assert response.status_code == 302 and job.status == "succeeded"
    document = Document.objects.get(kind=DocumentKind.TALLY_REPORT)
    assert job.result_url == reverse("document_download", args=[document.pk])
    download = client.get(job.result_url)
    assert download.status_code == 200
    content = b"".join(download.streaming_content) if download.streaming else download.content
    sheet = load_workbook(BytesIO(content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if "1号票箱" not in row and any("张明" in str(v) for v in row))
    first = next(row for row in rows if row[0] == "1号票箱")
    assert first[header.index(next(v for v in header if "张明" in str(v)))] == 10
    assert first[2] == 14
    assert AuditEvent.objects.filter(event_type="tally_report.made").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert Document.objects.filter(kind=DocumentKind.TALLY_REPORT).count() == 1


def _rows(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_every_round_and_write_ins_in_the_report(county_user, regions, township_user, village_clerk):
    from ballots.services.election_day import ballot_box_create
    from ballots.services.reports import tally_report_workbook
    from ballots.services.tally import tally_entry_save
    from tests.ballots.helpers import FIGURES

    village = count_village(county_user, regions, boxes=2)
    ballot_box_create(actor=county_user, venue=village.boxes[0].venue, label="=SUM(A1)")
    votes = {**good_votes(village), "member|write_in:李四": 2, "member|write_in:=1+1": 1}
    enter_twice(township_user, village_clerk, village.boxes[0], votes=votes)
    runoff = {village.key("周敏"): 9, village.key("吴刚"): 4, "member|write_in:王五": 1}
    for actor in (township_user, village_clerk):
        tally_entry_save(actor=actor, box=village.boxes[0], figures=FIGURES, votes=runoff, round_number=2)
    content, _version = tally_report_workbook(village.election)
    book = load_workbook(BytesIO(content))
    assert book.sheetnames == ["Round 1", "Run-off"]
    first, second = (_rows(book[name]) for name in book.sheetnames)

    header = next(row for row in first if row[0] == "Ballot box")
    box1 = next(row for row in first if row[0] == "1号票箱")
    li_si = next(h for h in header if h and "李四" in h)
    assert "written in" in li_si and box1[header.index(li_si)] == 2
    unsafe = next(h for h in header if h and "=1+1" in h)
    assert box1[header.index(unsafe)] == 1
    formula_box = next(c for row in book["Round 1"].iter_rows() for c in row if c.value == "=SUM(A1)")
    assert formula_box.data_type == "s" and formula_box.quotePrefix  # a label like a formula stays text
    assert next(row for row in first if row[0] == "Total")[header.index(li_si)] == 2

    header2 = next(row for row in second if row[0] == "Ballot box")
    box1_runoff = next(row for row in second if row[0] == "1号票箱")
    zhou = next(h for h in header2 if h and "周敏" in h)
    assert box1_runoff[header2.index(zhou)] == 9 and box1_runoff[2] == 14
    assert any("王五" in str(h) for h in header2)
    assert not any("张明" in str(h) for h in header2)  # round 1 candidates without run-off votes are left out
    box2_runoff = next(row for row in second if row[0] == "2号票箱")
    assert box2_runoff[2] is None  # not entered in the run-off
