"""No full ID number leaks anywhere: pages, stored files, audit rows, log records or Celery task arguments.

Voters with known full numbers are planted through the real services, then a township user and a county
user run the roll flows (pages, search by the last four, entry with a number typed, import, export,
publication, objections, voter cards) and crawl every page. Only the audited reveal shows a number, and
only the clerk's own import error workbook stores one (it holds what they uploaded, downloadable by its
area only, and every download is audited).
"""

import io
import logging
import re

import pytest
from celery.app.task import Task
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from election_admin.choices import Role
from election_admin.models import Document, DocumentKind
from tests.factories import UserFactory
from tests.test_crawl import all_url_names
from tests.voter_helpers import (
    ID_PATTERN,
    assert_no_full_id,
    form_committee,
    pdf_text,
    register,
    village_election,
)
from tests.voters.files import HEADER, make_id, voter_row, write_xlsx
from voters.importing.validate import EXAMPLE_ID_NUMBER
from voters.models import RollImport, Voter
from voters.services.objections import objection_file
from voters.services.publication import roll_publish

PLANTED = {"马成林": 11, "李秀兰": 12, "祁永寿": 13}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def task_calls(monkeypatch):
    """Every Celery task enqueued (``delay`` goes through ``apply_async``), with its arguments."""
    calls = []
    original = Task.apply_async

    def recording(self, args=None, kwargs=None, *rest, **options):
        calls.append((self.name, args, kwargs))
        return original(self, args, kwargs, *rest, **options)

    monkeypatch.setattr(Task, "apply_async", recording)
    return calls


def _workbook_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return " ".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row)


def _document_text(document) -> str:
    document.file.open("rb")
    content = document.file.read()
    document.file.close()
    if document.content_type == "application/pdf":
        return pdf_text(content)
    if document.filename.endswith(".xlsx") or "spreadsheet" in document.content_type:
        return _workbook_text(content)
    return content.decode(errors="replace")


def _own_area_kwargs(params, objects) -> dict | None:
    values = {
        "election_id": objects["election"].pk,
        "voter_id": objects["voter"].pk,
        "import_id": objects["import"].pk,
        "objection_id": objects["objection"].pk if objects.get("objection") else None,
        "code": objects["election"].region_id,
    }
    kwargs = {p: values.get(p) for p in params}
    return None if None in kwargs.values() else kwargs


def _crawl(client, objects, where):
    """Every parameterless page, and every voters page of our own objects."""
    for name, params in all_url_names():
        kwargs = _own_area_kwargs(params, objects) if params else {}
        if kwargs is None:
            continue
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:
            continue
        if name == "voter_reveal":
            continue  # a POST, checked on its own below
        response = client.get(url)
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        _assert_body(response, body, f"{where} GET {url}")


def _assert_body(response, body: bytes, where: str) -> None:
    content_type = response.get("Content-Type", "")
    if "pdf" in content_type:
        text = pdf_text(body)
    elif "spreadsheet" in content_type:
        text = _workbook_text(body)
    else:
        text = body.decode(errors="replace")
    # the blank template's example row carries the importer's fixed, made-up example number
    assert_no_full_id(text.replace(EXAMPLE_ID_NUMBER, ""), where)


def test_no_full_id_number_anywhere(
    client,
    caplog,
    task_calls,
    django_capture_on_commit_callbacks,
    tmp_path,
    county_user,
    township_user,
    regions,
):
    caplog.set_level(logging.DEBUG)
    election = village_election(county_user, regions)
    for name, sequence in PLANTED.items():
        register(township_user, election, name, sequence=sequence, phone="13912345678")
    voter = Voter.objects.get(name="马成林")
    client.force_login(township_user)

    # the roll, searched by the last four of a number
    for url in (
        reverse("voter_roll", args=[election.pk]),
        reverse("voter_roll", args=[election.pk]) + "?q=" + make_id(sequence=11)[-4:],
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert_no_full_id(response.content.decode(), url)

    # entry with a number typed: the page after it shows the masked form only
    typed = make_id(sequence=21)
    response = client.post(
        reverse("voter_create", args=[election.pk]),
        {"id_number": typed, "name": "王五", "category": "resident"},
        follow=True,
    )
    assert Voter.objects.filter(name="王五").exists()
    assert_no_full_id(response.content.decode(), "voter entry")

    # an import of a file with numbers, one of them wrong (so the error workbook is made)
    path = write_xlsx(
        tmp_path / "名单.xlsx",
        {
            "名单": [
                HEADER,
                voter_row("张甲", sequence=31),
                voter_row("错号", id_number=make_id(sequence=33)[:-1] + "0"),
            ]
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("voter_import", args=[election.pk]),
            {"file": SimpleUploadedFile(path.name, path.read_bytes())},
            follow=True,
        )
    assert_no_full_id(response.content.decode(), "import preview")
    roll_import = RollImport.objects.get()
    client.post(reverse("voter_import_confirm", args=[roll_import.pk]))

    # export (masked), publication, an objection, voter cards
    response = client.get(reverse("voter_export", args=[election.pk]))
    assert_no_full_id(_workbook_text(response.content), "export")
    form_committee(township_user, election)
    roll_publish(actor=township_user, election=election)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("voter_cards", args=[election.pk]))
    assert Document.objects.filter(kind=DocumentKind.VOTER_CARDS).exists()
    objection = objection_file(
        actor=township_user, election=election, kind="inclusion", filed_by="王六", grounds="迁出", voter=voter
    )
    objects = {"election": election, "voter": voter, "import": roll_import, "objection": objection}

    _crawl(client, objects, "township")
    client.force_login(county_user)
    _crawl(client, objects, "county")

    # the audited reveal, for township staff: the only response with the number, and an audit event
    client.force_login(township_user)
    response = client.post(
        reverse("voter_reveal", args=[voter.pk]), {"field": "id_number"}, HTTP_HX_REQUEST="true"
    )
    assert make_id(sequence=11) in response.content.decode()
    assert AuditEvent.objects.filter(event_type="pii.revealed", object_id=str(voter.pk)).exists()

    # stored files: only the import error workbook holds numbers, and only its own area opens it
    error_documents = set()
    for document in Document.objects.all():
        text = _document_text(document)
        if document.kind == DocumentKind.VOTER_IMPORT_ERRORS:
            error_documents.add(document.pk)
            continue
        assert_no_full_id(text, f"stored {document.kind} {document.title}")
    roll_import.refresh_from_db()
    assert roll_import.error_document_id in error_documents, "the import with a wrong number made no workbook"
    url = reverse("document_download", args=[roll_import.error_document_id])
    before = AuditEvent.objects.filter(event_type="document.downloaded").count()
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(event_type="document.downloaded").count() == before + 1
    other = UserFactory(username="other-county", role=Role.COUNTY_BUREAU, region=regions["630123"])
    client.force_login(other)
    assert client.get(url).status_code == 404

    # audit rows, log records, task arguments
    for event in AuditEvent.objects.all():
        assert_no_full_id(f"{event.object_repr} {event.before} {event.after}", event.event_type)
    for record in caplog.records:
        # a run time such as "succeeded in 0.021697194999433123s" is a fraction, not a number of a person
        text = re.sub(r"\d+\.\d+", "", f"{record.getMessage()} {record.args}")
        assert_no_full_id(text, f"log {record.name}")
    assert caplog.records, "the flows log at least the requests"
    assert task_calls, "the flows enqueue at least the import check"
    for name, args, kwargs in task_calls:
        assert not ID_PATTERN.search(repr((args, kwargs))), f"task {name} called with an ID number"
        assert all(isinstance(a, (int, str)) and not ID_PATTERN.search(str(a)) for a in (args or ()))


# --- candidates (候选人): nomination, review, joint review, overview, list notice PDF --------------------
def _candidate_kwargs(params, objects) -> dict | None:
    values = {
        "election_id": objects["election"].pk,
        "nomination_id": objects["nomination"].pk,
        "candidate_id": objects["candidate"].pk,
        "review_id": objects["review"].pk,
        "code": objects["election"].region_id,
        "cycle_id": objects["election"].cycle_id,
        "pk": objects["election"].cycle_id,
    }
    kwargs = {p: values.get(p) for p in params}
    return None if None in kwargs.values() else kwargs


def _crawl_candidates(client, objects, where) -> int:
    """Every parameterless page and every page of our candidates' objects; answers how many were read."""
    read = 0
    for name, params in all_url_names():
        kwargs = _candidate_kwargs(params, objects) if params else {}
        if kwargs is None or name in ("candidate_reveal_id", "voter_reveal"):
            continue
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:
            continue
        response = client.get(url)
        body = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
        _assert_body(response, body, f"{where} GET {url}")
        read += response.status_code == 200
    return read


def test_no_full_id_number_on_candidate_pages_and_pdfs(
    client, caplog, task_calls, county_user, township_user, regions
):
    from candidates.choices import Post
    from candidates.models import Candidate, JointReview, Nomination
    from candidates.services.publication import candidate_list_publish
    from tests.candidate_helpers import candidate, joint_review_all_pass, ready_village

    caplog.set_level(logging.DEBUG)
    village = ready_village(county_user, regions)
    standing = [
        ("张明", Post.CHAIR),
        ("赵强", Post.CHAIR),
        ("刘洋", Post.VICE_CHAIR),
        ("杨帆", Post.VICE_CHAIR),
    ]
    standing += [(name, Post.MEMBER) for name in ("王芳", "陈静", "黄磊", "周敏")]
    for name, post in standing:
        candidate(township_user, village.election, village[name], post)
    joint_review_all_pass(county_user, village.election.cycle, county_user.region)
    publication = candidate_list_publish(actor=township_user, election=village.election)
    chair = Candidate.objects.get(voter=village["张明"])
    objects = {
        "election": village.election,
        "nomination": Nomination.objects.filter(voter=village["张明"]).first(),
        "candidate": chair,
        "review": JointReview.objects.get(),
    }
    police = UserFactory(
        username="gongan-pii",
        role=Role.DEPARTMENT_REVIEWER,
        region=regions["630121"],
        department_code="public_security",
    )
    for user, where in ((township_user, "township"), (county_user, "county"), (police, "public security")):
        client.force_login(user)
        assert _crawl_candidates(client, objects, where) > 5, f"{where} read almost no page"

    # the official candidate list notice (PDF), as stored and as downloaded
    document = publication.document
    assert document.kind == DocumentKind.CANDIDATE_LIST_NOTICE
    text = _document_text(document)
    assert "张明" in text
    assert_no_full_id(text, "candidate list notice PDF")
    client.force_login(township_user)
    response = client.get(reverse("document_download", args=[document.pk]))
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    assert response.status_code == 200
    _assert_body(response, body, "candidate list notice download")
    for stored in Document.objects.all():
        assert_no_full_id(_document_text(stored), f"stored {stored.kind} {stored.title}")

    # the audited reveal by the bureau: the only answer with the number, and an audit event
    client.force_login(county_user)
    target = objects["candidate"]
    response = client.post(reverse("candidate_reveal_id", args=[target.pk]), HTTP_HX_REQUEST="true")
    revealed = ID_PATTERN.findall(response.content.decode())
    assert response.status_code == 200 and len(revealed) == 1
    assert AuditEvent.objects.filter(event_type="pii.revealed", object_id=str(target.voter_id)).exists()

    # audit rows, log records, task arguments
    for event in AuditEvent.objects.all():
        assert_no_full_id(f"{event.object_repr} {event.before} {event.after}", event.event_type)
    for record in caplog.records:
        text = re.sub(r"\d+\.\d+", "", f"{record.getMessage()} {record.args}")
        assert_no_full_id(text, f"log {record.name}")
    for name, args, kwargs in task_calls:
        assert not ID_PATTERN.search(repr((args, kwargs))), f"task {name} called with an ID number"
