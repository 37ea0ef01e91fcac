"""Publishing the roll: deadline and audited exception, the PDF notice (no ID numbers or phones), the roll
frozen afterwards except through corrections, and supplements listing every change."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from audit.models import AuditEvent
from election_admin.choices_cycles import Stage
from election_admin.models import Document, DocumentKind
from tests.voter_helpers import assert_no_full_id, form_committee, pdf_text, register, village_election
from tests.voters.files import make_id
from voters.choices import PublicationKind
from voters.models import RollPublication
from voters.pdf import group_sort_key
from voters.services import registration as reg
from voters.services.publication import roll_publish, roll_supplement_publish


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


@pytest.fixture
def election(county_user, township_user, regions):
    election = village_election(county_user, regions)
    form_committee(township_user, election)
    return election


def _fill(actor, election):
    register(actor, election, "马成林", born=date(1970, 1, 1), sequence=11, group="二组", phone="13912345678")
    register(actor, election, "李秀兰", born=date(1985, 6, 30), sequence=12, group="一组")
    register(actor, election, "祁永寿", born=date(1990, 2, 3), sequence=13, group="十组")


def test_publish_stores_the_notice_and_moves_the_stage(township_user, election):
    _fill(township_user, election)
    publication = roll_publish(actor=township_user, election=election)
    election.refresh_from_db()
    assert election.stage == Stage.ROLL_PUBLISHED
    assert publication.kind == PublicationKind.NOTICE and publication.voter_count == 3
    document = publication.document
    assert document.kind == DocumentKind.VOTER_LIST_NOTICE and document.is_public
    content = document.file.read()
    text = pdf_text(content)
    assert "元树尔村选民名单公告" in text and "元树尔村村民选举委员会" in text
    assert "马成林" in text and "李秀兰" in text
    # the village, election day and objection window are printed; groups in their natural order
    assert "大通回族土族自治县" in text
    assert text.index("一组") < text.index("二组") < text.index("十组")
    assert "申诉" in text
    assert document.short_code in text
    assert_no_full_id(text, "the public notice")
    assert "13912345678" not in text and "1391" not in text
    event = AuditEvent.objects.get(event_type="roll.published")
    assert event.after["document_sha256"] == document.sha256
    assert event.after["voters"] == 3


def test_publish_late_needs_an_audited_reason(county_user, township_user, regions):
    election = village_election(county_user, regions, days_ahead=10)  # the roll was due 10 days ago
    form_committee(township_user, election)
    register(township_user, election)
    with pytest.raises(ValidationError, match="Record the reason"):
        roll_publish(actor=township_user, election=election)
    roll_publish(actor=township_user, election=election, exception_reason="选委会推选延误")
    election.refresh_from_db()
    assert election.exceptions[-1]["reason"] == "选委会推选延误"
    assert AuditEvent.objects.filter(event_type="election.deadline_exception").exists()


def test_publish_button_runs_a_background_job(
    django_capture_on_commit_callbacks, client, county_user, township_user, regions
):
    """The button checks at once (a late roll without a reason is a form error, and no job), then the
    notice is made by a job the publish page follows; pressing again while it waits answers the same job."""
    from django.urls import reverse

    from election_admin.choices_cycles import JobStatus
    from election_admin.models import Job
    from voters.services.publication import roll_publish_request
    from voters.tasks import roll_publish_task

    election = village_election(county_user, regions, days_ahead=10)  # the roll was due 10 days ago
    form_committee(township_user, election)
    _fill(township_user, election)
    client.force_login(township_user)
    url = reverse("roll_publish", args=[election.pk])
    events = AuditEvent.objects.count()
    response = client.post(url, {"exception_reason": ""})
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert not Job.objects.exists() and not RollPublication.objects.exists()
    assert AuditEvent.objects.count() == events  # the check's stage move was rolled back
    election.refresh_from_db()
    assert election.stage == Stage.COMMITTEE_FORMED

    job = roll_publish_request(actor=township_user, election=election, exception_reason="选委会推选延误")
    assert roll_publish_request(actor=township_user, election=election, exception_reason="x").pk == job.pk
    page = client.get(url).content.decode()
    assert 'data-testid="job-progress"' in page and 'data-testid="publish"' not in page
    assert not RollPublication.objects.exists()

    roll_publish_task.delay(job.pk, election.pk, township_user.pk)
    roll_publish_task.delay(job.pk, election.pk, township_user.pk)  # a redelivered task does nothing more
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.messages
    assert job.result_url == reverse("voter_roll", args=[election.pk])
    assert RollPublication.objects.get().voter_count == 3
    assert AuditEvent.objects.filter(event_type="roll.published").count() == 1
    election.refresh_from_db()
    assert election.stage == Stage.ROLL_PUBLISHED and election.exceptions[-1]["reason"] == "选委会推选延误"
    page = client.get(url).content.decode()
    assert "100%" in page and job.result_url in page

    with django_capture_on_commit_callbacks(execute=True):  # published: the button is refused at once
        response = client.post(url, {"exception_reason": ""})
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert Job.objects.filter(kind="roll_publish").count() == 1


@pytest.mark.django_db(transaction=True)
def test_publication_runs_in_a_real_celery_worker(celery_worker_real, settings, tmp_path):
    import time

    from election_admin.choices_cycles import JobStatus
    from tests.cycle_helpers import ensure_shipped_rulesets
    from tests.factories import UserFactory, make_region_tree
    from voters.services.publication import roll_publish_request

    settings.MEDIA_ROOT = tmp_path
    ensure_shipped_rulesets()
    regions = make_region_tree()
    county = UserFactory(username="datong-pub", role="county_bureau", region=regions["630121"])
    township = UserFactory(username="qiaotou-pub", role="township_staff", region=regions["630121100"])
    election = village_election(county, regions)
    form_committee(township, election)
    _fill(township, election)
    job = roll_publish_request(actor=township, election=election)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not job.is_finished:
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.celery_task_id, job.messages
    assert RollPublication.objects.get(election=election).voter_count == 3
    election.refresh_from_db()
    assert election.stage == Stage.ROLL_PUBLISHED


def test_empty_roll_is_not_published(township_user, election):
    with pytest.raises(ValidationError, match="empty"):
        roll_publish(actor=township_user, election=election)


def test_published_roll_changes_only_by_correction(township_user, election):
    _fill(township_user, election)
    roll_publish(actor=township_user, election=election)
    with pytest.raises(ValidationError, match="published"):
        register(township_user, election, "补登记", sequence=21)
    first = RollPublication.objects.get().listed
    some = reg.Voter.objects.get(name="马成林")
    with pytest.raises(ValidationError, match="published"):
        reg.voter_strike(actor=township_user, voter=some, reason="死亡")
    with pytest.raises(ValidationError, match="published"):
        reg.voter_update(actor=township_user, voter=some, group="三组")
    with pytest.raises(ValidationError):
        reg.roll_correct(actor=township_user, action="strike", reason="", voter=some)
    reg.voter_strike(actor=township_user, voter=some, reason="死亡", correction_reason="选委会核实")
    correction = AuditEvent.objects.get(event_type="roll.corrected")
    assert correction.after["reason"] == "选委会核实" and correction.after["action"] == "struck"
    assert RollPublication.objects.get().listed == first  # the notice itself never changes


def test_supplement_lists_additions_removals_and_corrections(township_user, election):
    _fill(township_user, election)
    roll_publish(actor=township_user, election=election)
    with pytest.raises(ValidationError, match="Nothing has changed"):
        roll_supplement_publish(actor=township_user, election=election)
    reg.roll_correct(
        actor=township_user,
        action="register",
        reason="漏登",
        election=election,
        name="补登记",
        id_number=make_id(date(1988, 8, 8), 31),
        group="一组",
    )
    gone = reg.Voter.objects.get(name="马成林")
    reg.voter_strike(actor=township_user, voter=gone, reason="死亡", correction_reason="核实死亡")
    renamed = reg.Voter.objects.get(name="李秀兰")
    reg.roll_correct(actor=township_user, action="update", reason="姓名错字", voter=renamed, name="李秀岚")
    supplement = roll_supplement_publish(actor=township_user, election=election)
    assert (supplement.number, supplement.kind) == (2, PublicationKind.SUPPLEMENT)
    assert (supplement.added_count, supplement.removed_count, supplement.corrected_count) == (1, 1, 1)
    assert supplement.document.kind == DocumentKind.VOTER_LIST_SUPPLEMENT
    text = pdf_text(supplement.document.file.read())
    assert "补登记" in text and "马成林" in text and "死亡" in text and "李秀岚" in text
    assert_no_full_id(text, "the supplement")
    # the next supplement starts from this one
    with pytest.raises(ValidationError, match="Nothing has changed"):
        roll_supplement_publish(actor=township_user, election=election)


def test_publish_twice_is_refused(township_user, election):
    _fill(township_user, election)
    roll_publish(actor=township_user, election=election)
    with pytest.raises(ValidationError, match="already published"):
        roll_publish(actor=township_user, election=election)
    assert Document.objects.filter(kind=DocumentKind.VOTER_LIST_NOTICE).count() == 1


def test_group_order():
    groups = ["十一组", "2组", "一组", "", "十组", "三组", "村委会"]
    assert sorted(groups, key=group_sort_key) == ["一组", "2组", "三组", "十组", "十一组", "村委会", ""]


def test_notice_prints_the_objection_window(township_user, election):
    _fill(township_user, election)
    publication = roll_publish(actor=township_user, election=election)
    text = pdf_text(publication.document.file.read()).replace("\n", "")
    today = timezone.localdate()
    from election_admin.pdf import chinese_date

    assert chinese_date(today) in text and chinese_date(today + timedelta(days=5)) in text
    assert chinese_date(election.election_day) in text


def test_without_an_embeddable_font_the_notice_says_so(township_user, election, monkeypatch):
    """Debian's CJK fonts missing: reportlab's STSong-Light, and a visible warning on the paper and the record."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    from election_admin import pdf as shared_pdf
    from voters import pdf as voter_pdf
    from voters.services import publication

    pdfmetrics.registerFont(UnicodeCIDFont(shared_pdf.FALLBACK_CID_FONT))
    fallback = shared_pdf.PdfFont(shared_pdf.FALLBACK_CID_FONT, False, shared_pdf.FALLBACK_WARNING)
    monkeypatch.setattr(voter_pdf, "chinese_font", lambda: fallback)
    monkeypatch.setattr(publication, "chinese_font", lambda: fallback)
    _fill(township_user, election)
    publication_ = roll_publish(actor=township_user, election=election)
    assert publication_.document.font_warning == shared_pdf.FALLBACK_WARNING
    assert b"STSong-Light" in publication_.document.file.read()
