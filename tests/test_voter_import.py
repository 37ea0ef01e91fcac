"""Importing a roll from a spreadsheet: upload → check in a Celery task → preview with every row error →
confirm → one atomic write. Re-uploading does nothing; hostile files are refused quickly."""

import io
import time
import zipfile
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from audit.models import AuditEvent
from election_admin.choices_cycles import JobStatus
from election_admin.models import Document, DocumentKind, Job
from tests.voter_helpers import assert_no_full_id, form_committee, register, village_election
from tests.voters.files import HEADER, make_id, voter_row, write_csv, write_fast_xlsx, write_xlsx
from voters.choices import ImportStatus
from voters.importing.reader import read_roll
from voters.models import RollImport, Voter
from voters.services.imports import roll_import_apply, roll_import_confirm, roll_import_upload
from voters.services.publication import roll_publish


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


@pytest.fixture
def election(county_user, regions):
    return village_election(county_user, regions)


def cname(i: int) -> str:
    """A name without digits (the importer refuses digits in names)."""
    return "王李张刘陈"[i % 5] + "明华英芳军平"[i // 5 % 6] + "国玉兰秀"[i // 30 % 4]


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (the eager Celery task) inside the test's transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def _roll_with_mistakes(tmp_path, election):
    """5 good rows, then a bad checksum, a 17-year-old, the same person twice, someone registered in the
    next village, and someone already on this roll."""
    too_young = election.election_day - timedelta(days=365 * 17)
    bad = make_id(date(1981, 1, 1), 201)
    bad = bad[:-1] + ("1" if bad[-1] != "1" else "2")
    rows = [HEADER]
    rows += [
        voter_row(cname(i), born=date(1960 + i, 3, 1), sequence=11 + 2 * i, group="一组") for i in range(5)
    ]
    rows.append(voter_row("错号", id_number=bad))  # row 7
    rows.append(voter_row("少年", born=too_young, sequence=31))  # row 8
    rows.append(voter_row("重复甲", born=date(1970, 7, 7), sequence=41))  # row 9
    rows.append(voter_row("重复乙", born=date(1970, 7, 7), sequence=41))  # row 10
    rows.append(voter_row("外村人", born=date(1972, 2, 2), sequence=51))  # row 11
    rows.append(voter_row("已登记", born=date(1973, 3, 3), sequence=61))  # row 12
    return write_xlsx(tmp_path / "名单.xlsx", {"选民名单": rows})


def test_upload_check_preview_and_apply(on_commit, tmp_path, county_user, township_user, regions, election):
    neighbour = village_election(county_user, regions, code="630121100200", cycle=election.cycle)
    register(township_user, neighbour, "外村人", born=date(1972, 2, 2), sequence=51)
    register(township_user, election, "已登记", born=date(1973, 3, 3), sequence=61)
    path = _roll_with_mistakes(tmp_path, election)

    with on_commit():
        roll_import, created = roll_import_upload(
            actor=township_user, election=election, upload=_upload(path)
        )
    assert created
    roll_import.refresh_from_db()  # the (eager) task has run on commit
    assert roll_import.status == ImportStatus.PARSED
    counts = roll_import.counts
    assert counts["rows_read"] == 11
    assert counts["importable"] == 5
    assert counts["duplicates_in_file"] == 2
    assert counts["registered_elsewhere"] == 1
    assert counts["already_on_roll"] == 1
    errors = roll_import.row_errors
    assert any(line.startswith("第 7 行 公民身份号码：") and "校验位" in line for line in errors)
    assert any(line.startswith("第 8 行 公民身份号码：") and "18" in line for line in errors)
    assert any(line.startswith("第 9 行") and "第 10 行" in line for line in errors)
    assert any(line.startswith("第 11 行") and "其他村" in line for line in errors)
    assert not any("元树尔" in line or "大煤洞" in line for line in errors)  # never where the other one is
    job = Job.objects.get(pk=roll_import.job_id)
    assert job.status == JobStatus.SUCCEEDED and job.percent == 100

    # the error workbook: the original sheet with a 错误说明 column
    document = roll_import.error_document
    assert document.kind == DocumentKind.VOTER_IMPORT_ERRORS and not document.is_public
    sheet = load_workbook(io.BytesIO(document.file.read())).active
    header = [c.value for c in sheet[1]]
    assert header[-1] == "错误说明"
    assert "校验位" in (sheet.cell(row=7, column=len(header)).value or "")

    # the same file again does nothing
    again, created_again = roll_import_upload(actor=township_user, election=election, upload=_upload(path))
    assert (again.pk, created_again) == (roll_import.pk, False)
    assert RollImport.objects.count() == 1

    roll_import = roll_import_apply(actor=township_user, roll_import=roll_import)
    assert roll_import.status == ImportStatus.APPLIED
    names = set(Voter.objects.filter(region_id=election.region_id).values_list("name", flat=True))
    assert names == {"已登记", *(cname(i) for i in range(5))}
    event = AuditEvent.objects.get(event_type="roll.imported")
    assert event.after["written"] == 5 and event.after["sha256"] == roll_import.sha256
    assert_no_full_id(str(event.after), "audit row")
    imported = Voter.objects.get(name=cname(0))
    assert imported.source == "import" and imported.phone_masked == "138****0000"
    with pytest.raises(ValidationError, match="already been imported"):
        roll_import_apply(actor=township_user, roll_import=roll_import)


def test_apply_rechecks_the_cycle(on_commit, tmp_path, county_user, township_user, regions, election):
    """Someone registered elsewhere between the check and the confirmation is left out, not duplicated."""
    path = write_xlsx(
        tmp_path / "a.xlsx",
        {"名单": [HEADER, voter_row("张甲", sequence=11), voter_row("李乙", sequence=13)]},
    )
    with on_commit():
        roll_import, _ = roll_import_upload(actor=township_user, election=election, upload=_upload(path))
    neighbour = village_election(county_user, regions, code="630121100200", cycle=election.cycle)
    register(township_user, neighbour, "李乙", sequence=13)
    roll_import.refresh_from_db()
    roll_import_apply(actor=township_user, roll_import=roll_import)
    assert list(Voter.objects.filter(region_id=election.region_id).values_list("name", flat=True)) == ["张甲"]


def test_confirm_is_a_background_job_written_once(
    on_commit, client, tmp_path, township_user, neighbour_township_user, election
):
    """The confirm button queues one job; pressing it again while it waits answers the same job; the job
    writes every row in one transaction, audits it once, and running it twice writes nothing more."""
    from voters.tasks import roll_import_apply_task

    rows = [HEADER] + [
        voter_row(cname(i), born=date(1950, 1, 1) + timedelta(days=i), sequence=11) for i in range(30)
    ]
    path = write_xlsx(tmp_path / "job.xlsx", {"名单": rows})
    with on_commit():
        roll_import, _ = roll_import_upload(actor=township_user, election=election, upload=_upload(path))
    roll_import.refresh_from_db()
    with pytest.raises(ValidationError, match="outside your area"):
        roll_import_confirm(actor=neighbour_township_user, roll_import=roll_import)

    job = roll_import_confirm(actor=township_user, roll_import=roll_import)  # on-commit not run: waiting
    roll_import.refresh_from_db()
    assert roll_import.status == ImportStatus.APPLYING and roll_import.apply_job_id == job.pk
    assert roll_import_confirm(actor=township_user, roll_import=roll_import).pk == job.pk
    assert Job.objects.filter(kind="voter_import_apply").count() == 1
    client.force_login(township_user)
    page = client.get(reverse("voter_import_detail", args=[roll_import.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'data-testid="import-progress-label"' in page
    assert 'data-testid="confirm-import"' not in page and Voter.objects.count() == 0

    roll_import_apply_task.delay(roll_import.pk, job.pk, township_user.pk)
    roll_import_apply_task.delay(roll_import.pk, job.pk, township_user.pk)  # a redelivered task
    roll_import.refresh_from_db()
    job.refresh_from_db()
    assert roll_import.status == ImportStatus.APPLIED and roll_import.counts["applied"]["written"] == 30
    assert job.status == JobStatus.SUCCEEDED and job.percent == 100
    assert job.result_url == reverse("voter_import_detail", args=[roll_import.pk])
    assert Voter.objects.filter(region_id=election.region_id).count() == 30
    assert AuditEvent.objects.filter(event_type="roll.imported").count() == 1
    page = client.get(reverse("voter_import_detail", args=[roll_import.pk])).content.decode()
    assert 'data-testid="import-applied"' in page and "hx-trigger" not in page


def test_confirm_job_refused_writes_nothing_and_says_why(
    on_commit, client, tmp_path, township_user, election
):
    """The roll published between the confirmation and the job: nothing is written, the file is "checked"
    again and its page says why."""
    path = write_xlsx(tmp_path / "late.xlsx", {"名单": [HEADER, voter_row("张甲", sequence=11)]})
    with on_commit():
        roll_import, _ = roll_import_upload(actor=township_user, election=election, upload=_upload(path))
    roll_import.refresh_from_db()
    job = roll_import_confirm(actor=township_user, roll_import=roll_import)
    register(township_user, election, "李乙", sequence=13)
    form_committee(township_user, election)
    roll_publish(actor=township_user, election=election)
    from voters.tasks import roll_import_apply_task

    roll_import_apply_task.delay(roll_import.pk, job.pk, township_user.pk)
    roll_import.refresh_from_db()
    job.refresh_from_db()
    assert roll_import.status == ImportStatus.PARSED and job.status == JobStatus.FAILED
    assert "published" in job.messages[-1]
    assert not Voter.objects.filter(name="张甲").exists()
    assert not AuditEvent.objects.filter(event_type="roll.imported").exists()
    client.force_login(township_user)
    page = client.get(reverse("voter_import_detail", args=[roll_import.pk])).content.decode()
    assert 'data-testid="import-apply-failed"' in page and "published" in page


def test_csv_and_missing_columns(on_commit, tmp_path, township_user, election):
    good = write_csv(tmp_path / "roll.csv", [["姓名", "身份证号"], ["张三", make_id()]])
    with on_commit():
        roll_import, _ = roll_import_upload(actor=township_user, election=election, upload=_upload(good))
    roll_import.refresh_from_db()
    assert roll_import.counts["importable"] == 1
    no_id = write_xlsx(tmp_path / "b.xlsx", {"名单": [["姓名", "性别", "住址"], ["张三", "男", "x"]]})
    with on_commit():
        roll_import, _ = roll_import_upload(actor=township_user, election=election, upload=_upload(no_id))
    roll_import.refresh_from_db()
    assert roll_import.status == ImportStatus.FAILED
    assert "公民身份号码" in roll_import.file_errors[0]
    with pytest.raises(ValidationError):
        roll_import_apply(actor=township_user, roll_import=roll_import)


def test_no_import_after_publication(tmp_path, township_user, election):
    register(township_user, election)
    form_committee(township_user, election)
    roll_publish(actor=township_user, election=election)
    path = write_xlsx(tmp_path / "c.xlsx", {"名单": [HEADER, voter_row("张甲", sequence=11)]})
    with pytest.raises(ValidationError, match="published"):
        roll_import_upload(actor=township_user, election=election, upload=_upload(path))


def _zip_bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    return path


@pytest.mark.parametrize("kind", ["bomb", "entities", "not_excel"])
def test_hostile_files_are_refused_quickly(client, tmp_path, township_user, election, kind):
    if kind == "bomb":
        path = _zip_bomb(tmp_path / "bomb.xlsx")
    elif kind == "entities":
        evil = (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>'
        )
        path = write_fast_xlsx(tmp_path / "evil.xlsx", {"名单": [HEADER]}, shared_strings_xml=evil)
    else:
        path = tmp_path / "fake.xlsx"
        path.write_bytes(b"MZ\x90\x00 this is not a spreadsheet" * 100)
    client.force_login(township_user)
    started = time.perf_counter()
    response = client.post(reverse("voter_import", args=[election.pk]), {"file": _upload(path)})
    assert time.perf_counter() - started < 3
    assert response.status_code == 200
    assert (
        'class="alert alert-block alert-danger"' in response.content.decode()
        or "alert-danger" in response.content.decode()
    )
    assert RollImport.objects.count() == 0


def test_oversized_upload_is_refused_before_reading(client, township_user, election):
    client.force_login(township_user)
    big = SimpleUploadedFile("big.xlsx", b"0" * (32 * 1024 * 1024))
    started = time.perf_counter()
    response = client.post(reverse("voter_import", args=[election.pk]), {"file": big})
    assert time.perf_counter() - started < 3
    assert response.status_code == 200 and "30 MB" in response.content.decode()
    assert RollImport.objects.count() == 0


def test_pages_poll_and_confirm(on_commit, client, tmp_path, township_user, election):
    path = write_xlsx(
        tmp_path / "d.xlsx",
        {"名单": [HEADER, voter_row("张甲", sequence=11), voter_row("错号", id_number="123")]},
    )
    client.force_login(township_user)
    with on_commit():
        response = client.post(reverse("voter_import", args=[election.pk]), {"file": _upload(path)})
    roll_import = RollImport.objects.get()
    assert response["Location"] == reverse("voter_import_detail", args=[roll_import.pk])
    page = client.get(response["Location"]).content.decode()
    assert "第 3 行 公民身份号码：" in page and 'data-testid="confirm-import"' in page
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="import-status"') and "<html" not in fragment
    assert_no_full_id(page, "the preview page")
    with on_commit():  # the write is a background job (eager here), shown on the import page
        response = client.post(reverse("voter_import_confirm", args=[roll_import.pk]))
    assert response["Location"] == reverse("voter_import_detail", args=[roll_import.pk])
    assert Voter.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-applied"' in page and 'data-testid="confirm-import"' not in page
    # confirming again writes nothing and says why
    response = client.post(reverse("voter_import_confirm", args=[roll_import.pk]), follow=True)
    with translation.override("zh-hans"):
        assert translation.gettext("This file has already been imported.") in response.content.decode()
    assert Voter.objects.count() == 1
    # the error workbook is downloaded through the audited document view
    download = client.get(reverse("document_download", args=[roll_import.error_document_id]))
    assert download.status_code == 200
    assert AuditEvent.objects.filter(event_type="document.downloaded").exists()


def test_template_download_is_read_back(client, tmp_path, township_user):
    client.force_login(township_user)
    response = client.get(reverse("voter_template"))
    assert response.status_code == 200
    path = tmp_path / "template.xlsx"
    path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
    roll = read_roll(path)
    assert not roll.errors and roll.sheets[0].columns.columns


@pytest.mark.django_db(transaction=True)
def test_import_runs_in_a_real_celery_worker(celery_worker_real, tmp_path, settings):
    """One import end to end through Redis and a worker: the Job moves to finished and the preview is stored."""
    from tests.cycle_helpers import ensure_shipped_rulesets
    from tests.factories import UserFactory, make_region_tree

    ensure_shipped_rulesets()
    regions = make_region_tree()
    county = UserFactory(username="datong-real", role="county_bureau", region=regions["630121"])
    township = UserFactory(username="qiaotou-real", role="township_staff", region=regions["630121100"])
    election = village_election(county, regions)
    rows = [HEADER] + [
        voter_row(cname(i), born=date(1950, 1, 1) + timedelta(days=i), sequence=11) for i in range(200)
    ]
    path = write_xlsx(tmp_path / "real.xlsx", {"名单": rows})
    roll_import, _ = roll_import_upload(actor=township, election=election, upload=_upload(path))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        roll_import.refresh_from_db()
        if roll_import.status != ImportStatus.PENDING:
            break
        time.sleep(0.2)
    assert roll_import.status == ImportStatus.PARSED, roll_import.file_errors
    assert roll_import.counts["importable"] == 200, (roll_import.counts, roll_import.row_errors[:3])
    job = Job.objects.get(pk=roll_import.job_id)
    assert job.status == JobStatus.SUCCEEDED and job.celery_task_id
    apply_job = roll_import_confirm(actor=township, roll_import=roll_import)  # committed: the worker takes it
    while time.monotonic() < deadline:
        apply_job.refresh_from_db()
        if apply_job.is_finished:
            break
        time.sleep(0.2)
    assert apply_job.status == JobStatus.SUCCEEDED and apply_job.celery_task_id, apply_job.messages
    roll_import.refresh_from_db()
    assert roll_import.status == ImportStatus.APPLIED
    assert Voter.objects.filter(region_id=election.region_id).count() == 200
    assert AuditEvent.objects.filter(event_type="roll.imported").count() == 1
    assert Document.objects.filter(kind=DocumentKind.VOTER_IMPORT_ERRORS).count() == 0
    assert timezone.now()
