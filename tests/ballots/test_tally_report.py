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
