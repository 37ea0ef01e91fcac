"""Result notices stored several at a time (the batch of an area, ``result_notices_store_many``): what each
keeps is what ``document_store`` keeps for one notice (file with its SHA-256, row, verification code on the
page, one ``document.generated`` audit event); a notice another worker stored meanwhile is kept, not doubled."""

import hashlib
import io

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEvent
from ballots.choices import ResultStatus
from ballots.models import RoundResult
from ballots.services.area_documents import certified_results
from ballots.services.notices import result_notice_generate, result_notices_store_many
from ballots.services.results import results_certify, results_compute
from election_admin.models import Document, DocumentKind, Election, Region
from tests.ballots.helpers import count_village, enter_twice, good_votes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def two_results(county_user, township_user, village_clerk, regions) -> list[RoundResult]:
    """元树尔村 certified through the services, and 大煤洞村 with a certified result of the same figures,
    read as the batch reads them."""
    village = count_village(county_user, regions)
    enter_twice(township_user, village_clerk, village.boxes[0], votes=good_votes(village))
    result = results_compute(actor=township_user, election=village.election)
    results_certify(actor=township_user, result=result, confirmed=True, today=village.election.election_day)
    first = RoundResult.objects.get(election=village.election)
    election = Election.objects.get(
        cycle=village.election.cycle, region_id="630121100200", body=first.election.body
    )
    Election.objects.filter(pk=election.pk).update(election_day=village.election.election_day)
    RoundResult.objects.create(
        election=election,
        totals=first.totals,
        outcome=first.outcome,
        computed_by=county_user,
        status=ResultStatus.CERTIFIED,
        certified_by=county_user,
        certified_at=timezone.now(),
    )
    return certified_results(village.election.cycle, Region.objects.get(code="630121"))


def generated_events(document: Document) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            event_type="document.generated", object_type="election_admin.document", object_id=str(document.pk)
        )
    )


def test_each_notice_kept_as_document_store_keeps_one(two_results):
    one_by_one = result_notice_generate(actor=None, result=two_results[1])
    with transaction.atomic():
        stored = result_notices_store_many([two_results[0]])
    together = stored[two_results[0].pk]
    assert together.pk and Document.objects.filter(kind=DocumentKind.RESULT_NOTICE).count() == 2
    for name in ("kind", "subject_type", "content_type", "is_public", "font_warning", "created_by_id"):
        assert getattr(together, name) == getattr(one_by_one, name), name
    assert together.subject_id == str(two_results[0].pk)
    assert together.data_version == f"result-{two_results[0].pk}-v{two_results[0].version}"
    assert set(together.public_summary) == set(one_by_one.public_summary)
    together.refresh_from_db()
    with together.file.open("rb") as handle:
        content = handle.read()
    assert together.sha256 == hashlib.sha256(content).hexdigest() and together.size == len(content)
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert together.short_code in text and "大煤洞村" in text
    assert reverse("document_verify", args=[together.short_code]) in text.replace("\n", "")
    [event] = generated_events(together)
    [reference] = generated_events(one_by_one)
    assert event.actor_username == reference.actor_username == "celery"
    assert event.region_code == together.region.code
    assert event.after == {
        "kind": DocumentKind.RESULT_NOTICE,
        "sha256": together.sha256,
        "size": together.size,
        "data_version": together.data_version,
    }
    assert set(event.after) == set(reference.after)


def test_a_notice_stored_meanwhile_is_kept(two_results, tmp_path):
    """Another worker stored 元树尔村's notice after the batch looked: the batch gets that one back, makes
    大煤洞村's, and leaves no second notice nor a stray file."""
    meanwhile = result_notice_generate(actor=None, result=two_results[1])
    with transaction.atomic():
        stored = result_notices_store_many(two_results)
    assert stored[two_results[1].pk].pk == meanwhile.pk
    notices = Document.objects.filter(kind=DocumentKind.RESULT_NOTICE)
    assert notices.count() == 2
    assert {n.subject_id for n in notices} == {str(r.pk) for r in two_results}
    assert all(len(generated_events(n)) == 1 for n in notices)
    files = list(tmp_path.rglob("*result-notice-*.pdf"))
    assert sorted(p.name for p in files) == sorted(n.file.name.rsplit("/", 1)[-1] for n in notices)
