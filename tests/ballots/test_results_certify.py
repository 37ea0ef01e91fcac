"""Results: computed from agreed sheets only, certified by the township with confirmation, read-only once
certified (a correction is a new version), the stage moved and the headline figures recorded, and the
result notice stored once per version with a QR short code the public page resolves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from ballots.choices import ResultStatus
from ballots.models import RoundResult
from ballots.services.notices import result_notice_generate
from ballots.services.results import result_reasons, results_certify, results_compute
from ballots.services.tally import tally_entry_save
from ballots.tasks import result_notice_task
from election_admin.choices_cycles import Stage
from election_admin.models import Document, DocumentKind
from tests.ballots.helpers import FIGURES, count_village, enter_twice, good_votes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def village(county_user, regions):
    return count_village(county_user, regions)


@pytest.fixture
def agreed(village, township_user, village_clerk):
    enter_twice(township_user, village_clerk, village.boxes[0], votes=good_votes(village))
    return village


def test_only_agreed_sheets_count(village, township_user):
    tally_entry_save(actor=township_user, box=village.boxes[0], figures=FIGURES, votes=good_votes(village))
    with pytest.raises(ValidationError, match="0 of 1"):
        results_compute(actor=township_user, election=village.election)


def test_compute_decides_the_winners_with_reasons(agreed, township_user):
    result = results_compute(actor=township_user, election=agreed.election)
    assert result.status == ResultStatus.COMPUTED and result.version == 1
    assert result.totals["registered"] == 16 and result.totals["voted"] == 14 and result.totals["valid"] == 13
    elected = {e["name"]: e["post"] for e in result.outcome["decision"]["elected"]}
    assert elected == {
        "张明": "chair",
        "王芳": "vice_chair",
        "陈静": "member",
        "杨帆": "member",
        "黄磊": "member",
    }
    assert result.outcome["is_filled_in_first_round"]
    reasons = result_reasons(result)
    assert reasons and all(r["message_zh"] for r in reasons)
    assert AuditEvent.objects.get(event_type="results.computed").after["version"] == 1


def test_certify_needs_a_supervisor_and_confirmation(agreed, township_user, village_clerk):
    result = results_compute(actor=village_clerk, election=agreed.election)
    with pytest.raises(PermissionDenied):
        results_certify(actor=village_clerk, result=result, confirmed=True)
    with pytest.raises(ValidationError, match="Confirm"):
        results_certify(actor=township_user, result=result, today=agreed.election.election_day)


def test_certify_moves_the_stage_records_figures_and_makes_the_notice_once(
    agreed, township_user, client, django_capture_on_commit_callbacks
):
    election = agreed.election
    result = results_compute(actor=township_user, election=election)
    with django_capture_on_commit_callbacks(execute=True):
        certified = results_certify(
            actor=township_user, result=result, confirmed=True, today=election.election_day
        )
    assert certified.status == ResultStatus.CERTIFIED and certified.certified_by == township_user
    election.refresh_from_db()
    assert election.stage == Stage.RESULTS_CERTIFIED
    assert (election.registered_count, election.voted_count, election.filled_in_first_round) == (16, 14, True)
    notice = Document.objects.get(kind=DocumentKind.RESULT_NOTICE)
    assert notice.is_public and notice.data_version == f"result-{result.pk}-v1"
    # The task again, or the service, never makes a second document for the same version.
    assert result_notice_task(result.pk) == notice.pk
    assert result_notice_generate(actor=township_user, result=certified) == notice
    assert Document.objects.filter(kind=DocumentKind.RESULT_NOTICE).count() == 1
    page = client.get(reverse("document_verify", args=[notice.short_code]))
    assert page.status_code == 200 and "选举结果公告" in page.content.decode()


def test_notice_content(agreed, township_user, django_capture_on_commit_callbacks):
    from tests.voter_helpers import pdf_text

    election = agreed.election
    result = results_compute(actor=township_user, election=election)
    with django_capture_on_commit_callbacks(execute=True):
        results_certify(actor=township_user, result=result, confirmed=True, today=election.election_day)
    notice = Document.objects.get(kind=DocumentKind.RESULT_NOTICE)
    text = pdf_text(notice.file.read())
    for expected in (
        "元树尔村村民委员会选举结果公告",
        "16人",
        "14人",
        "有效票13张",
        "选举有效",
        "张明",
        "71.4%",
    ):
        assert expected in text.replace(" ", ""), expected
    assert notice.short_code in text


def test_certified_is_read_only_and_a_correction_is_a_new_version(agreed, township_user):
    election = agreed.election
    result = results_compute(actor=township_user, election=election)
    results_certify(actor=township_user, result=result, confirmed=True, today=election.election_day)
    with pytest.raises(ValidationError, match="already certified"):
        results_certify(actor=township_user, result=result, confirmed=True, today=election.election_day)
    with pytest.raises(ValidationError) as caught:
        results_compute(actor=township_user, election=election)
    assert "correction_reason" in caught.value.message_dict
    corrected = results_compute(actor=township_user, election=election, correction_reason="复核发现笔误")
    assert corrected.version == 2 and corrected.is_current and corrected.status == ResultStatus.COMPUTED
    result.refresh_from_db()
    assert not result.is_current and result.status == ResultStatus.CERTIFIED
    assert RoundResult.objects.filter(election=election).count() == 2
    event = AuditEvent.objects.get(event_type="results.corrected")
    assert event.before["version"] == 1 and event.after["reason"] == "复核发现笔误"


def test_a_round_with_seats_left_goes_to_runoff(village, township_user, village_clerk):
    votes = good_votes(village)
    votes[village.key("黄磊")] = 5  # not more than half of 14: one member seat left
    enter_twice(township_user, village_clerk, village.boxes[0], votes=votes)
    election = village.election
    result = results_compute(actor=township_user, election=election)
    assert result.outcome["needs_runoff"]
    results_certify(actor=township_user, result=result, confirmed=True, today=election.election_day)
    election.refresh_from_db()
    assert election.stage == Stage.RUNOFF and election.filled_in_first_round is False


def test_out_of_area_cannot_compute(agreed, neighbour_township_user):
    with pytest.raises(PermissionDenied):
        results_compute(actor=neighbour_township_user, election=agreed.election)


def test_open_serious_complaint_needs_a_second_confirmation(agreed, township_user):
    from django.utils import timezone

    from election_admin.supervision.services.complaints import complaint_receive

    election = agreed.election
    complaint_receive(
        actor=township_user,
        cycle=election.cycle,
        region=election.region,
        received_on=timezone.localdate(),
        channel="letter",
        category="vote_buying",
        summary="候选人向村民发放购物卡拉票",
        election=election,
        is_serious=True,
    )
    result = results_compute(actor=township_user, election=election)
    with pytest.raises(ValidationError, match="serious complaints"):
        results_certify(actor=township_user, result=result, confirmed=True, today=election.election_day)
    certified = results_certify(
        actor=township_user,
        result=result,
        confirmed=True,
        despite_complaints=True,
        today=election.election_day,
    )
    assert certified.is_certified
    assert AuditEvent.objects.get(event_type="results.certified").after["open_complaints"] == 1


def test_runoff_fills_the_seat_left_and_certifies_the_election(village, township_user, village_clerk):
    from ballots.choices import RUNOFF_ROUND

    votes = good_votes(village)
    votes[village.key("黄磊")] = 5  # one member seat left after round 1
    enter_twice(township_user, village_clerk, village.boxes[0], votes=votes)
    election = village.election
    first = results_compute(actor=township_user, election=election)
    pool = {p["post"]: p["pool"] for p in first.outcome["plan"]["seats"]}
    assert str(village.candidates["黄磊"].pk) in pool["member"]
    day = election.election_day
    results_certify(actor=township_user, result=first, confirmed=True, today=day)
    runoff_votes = {village.key("黄磊"): 9, village.key("周敏"): 4}
    for user in (township_user, village_clerk):
        tally_entry_save(
            actor=user, box=village.boxes[0], figures=FIGURES, votes=runoff_votes, round_number=RUNOFF_ROUND
        )
    runoff = results_compute(
        actor=township_user, election=election, round_number=RUNOFF_ROUND, runoff_day=day
    )
    assert runoff.outcome["is_decided"]
    assert [e["name"] for e in runoff.outcome["decision"]["elected"]] == ["黄磊"]
    results_certify(actor=township_user, result=runoff, confirmed=True, today=day)
    election.refresh_from_db()
    assert election.stage == Stage.RESULTS_CERTIFIED and election.filled_in_first_round is False


def test_certificates_of_election_by_the_county_once_per_version(agreed, township_user, county_user, client):
    from ballots.services.notices import certificates_generate
    from tests.voter_helpers import pdf_text

    election = agreed.election
    result = results_compute(actor=township_user, election=election)
    with pytest.raises(ValidationError):
        certificates_generate(actor=county_user, result=result)  # not certified yet
    results_certify(actor=township_user, result=result, confirmed=True, today=election.election_day)
    with pytest.raises(PermissionDenied):
        certificates_generate(actor=township_user, result=result)
    client.force_login(county_user)
    response = client.post(reverse("ballots_certificates", args=[result.pk]))
    document = Document.objects.get(kind=DocumentKind.CERTIFICATE)
    assert response.status_code == 302 and response["Location"] == reverse(
        "document_download", args=[document.pk]
    )
    assert certificates_generate(actor=county_user, result=result) == document
    text = pdf_text(document.file.read())
    assert (
        text.count("当 选 证 书") == 5
        and "张明同志" in text.replace(" ", "")
        and "大通回族土族自治县民政局" in text
    )


def test_runoff_sheet_lists_only_the_runoff_people_and_the_day_page_offers_it(
    village, township_user, village_clerk, client
):
    from ballots.choices import RUNOFF_ROUND
    from ballots.selectors import vote_lines

    votes = {**good_votes(village), village.key("黄磊"): 5}  # one member seat left after round 1
    enter_twice(township_user, village_clerk, village.boxes[0], votes=votes)
    first = results_compute(actor=township_user, election=village.election)
    results_certify(actor=township_user, result=first, confirmed=True, today=village.election.election_day)
    pool = {p["post"]: p["pool"] for p in first.outcome["plan"]["seats"] if p["seats"]}
    lines = vote_lines(village.election, RUNOFF_ROUND)
    assert lines and {line.post for line in lines} == {"member"}
    # the run-off list's own order (round-1 votes), as the ballot paper and the count board number it
    assert [line.key.partition("|")[2] for line in lines] == pool["member"]
    assert village.key("陈静") not in {line.key for line in lines}  # elected in round 1

    client.force_login(township_user)
    box = village.boxes[0]
    page = client.get(reverse("ballots_election_day", args=[village.election.pk])).content.decode()
    assert 'data-testid="runoff-badge"' in page
    assert reverse("ballots_tally_entry", args=[box.pk]) in page  # round 1's agreed sheet hid it before
    form = client.get(reverse("ballots_tally_entry", args=[box.pk])).content.decode()
    assert f'name="v{village.candidates["黄磊"].pk}"' in form
    assert f'name="v{village.candidates["张明"].pk}"' not in form
