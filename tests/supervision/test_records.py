"""The election record sheet (选举纪实表): every step in order with its date, numbers and names, or printed as
missing (缺) when nothing is recorded — never skipped; the ballots steps are missing until that app exists;
the PDF is stored once per version of the data."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from candidates.choices import Post
from candidates.services.publication import candidate_list_publish
from election_admin.models import Document, DocumentKind
from election_admin.supervision.services.complaints import complaint_receive
from election_admin.supervision.services.handover import handover_record
from election_admin.supervision.services.records import (
    DONE,
    MISSING,
    NOT_NEEDED,
    PENDING,
    _ballot_steps,
    election_record_make,
    election_record_steps,
)
from election_admin.supervision.services.targets import targets_on_results
from election_admin.supervision.services.visits import visit_record
from tests.candidate_helpers import candidate, joint_review_all_pass, ready_village
from tests.voter_helpers import pdf_text
from voters.services.objections import objection_decide, objection_file

from .helpers import certified, datong_cycle, yuanshuer

TODAY = timezone.localdate()
ORDER = [
    "departure_audit",
    "committee",
    "election_day",
    "registration",
    "roll_published",
    "objections",
    "nomination",
    "qualification_review",
    "joint_review",
    "candidate_list",
    "withdrawals",
    "venue",
    "ballot_boxes",
    "proxies",
    "ballots",
    "winners",
    "result_notice",
    "certificates",
    "voting",
    "results",
    "runoff",
    "certified",
    "handover_seal",
    "handover_accounts",
    "handover_files",
    "handover_assets",
    "departure_certificates",
    "complaints",
    "visits",
]


@pytest.fixture(autouse=True)
def _english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


def by_key(steps):
    return {step.key: step for step in steps}


def test_every_step_is_listed_in_order_even_with_nothing_recorded(county_user, regions):
    cycle = datong_cycle(county_user, regions)  # election in 10 days: the roll was due 10 days ago
    steps = election_record_steps(yuanshuer(cycle), today=TODAY)
    assert [s.key for s in steps] == ORDER
    s = by_key(steps)
    assert s["election_day"].status == DONE and s["election_day"].on == TODAY + timedelta(days=10)
    for key in ("committee", "registration", "roll_published", "objections"):
        assert s[key].status == MISSING, key
    for key in (
        "nomination",
        "candidate_list",
        "venue",
        "ballots",
        "voting",
        "handover_seal",
        "departure_audit",
    ):
        assert s[key].status == PENDING, key  # their dates lie ahead
    assert s["complaints"].figures == "None received"


def test_ballot_steps_before_and_after_the_count(county_user, township_user, village_clerk, regions):
    from ballots.services.notices import certificates_generate, result_notice_generate
    from ballots.services.results import results_certify, results_compute
    from tests.ballots.helpers import count_village, enter_twice, good_votes

    village = count_village(county_user, regions)
    election = village.election
    steps = by_key(_ballot_steps(election, TODAY))
    assert [s.key for s in _ballot_steps(election, TODAY)] == [
        "venue",
        "ballot_boxes",
        "proxies",
        "ballots",
        "winners",
        "result_notice",
        "certificates",
    ]
    assert steps["venue"].status == DONE and steps["venue"].names == "村委会大院"
    assert steps["ballot_boxes"].figures == "1 fixed, 0 mobile" and steps["ballot_boxes"].names == "1号票箱"
    assert steps["ballots"].status == PENDING and steps["winners"].status == PENDING  # election day ahead
    enter_twice(township_user, village_clerk, village.boxes[0], votes=good_votes(village))
    result = results_certify(
        actor=township_user,
        result=results_compute(actor=township_user, election=election),
        confirmed=True,
        today=election.election_day,
    )
    result_notice_generate(actor=township_user, result=result)
    certificates_generate(actor=county_user, result=result)
    election.refresh_from_db()
    steps = by_key(_ballot_steps(election, TODAY))
    assert steps["ballots"].figures == "issued 14, returned 14, valid 13, invalid 1"
    assert steps["winners"].figures == "5 elected"
    assert [name.split("（")[0] for name in steps["winners"].names.split("、")] == [
        "张明",
        "王芳",
        "陈静",
        "杨帆",
        "黄磊",
    ]
    assert steps["result_notice"].status == DONE and steps["result_notice"].figures.startswith(
        "verification code"
    )
    assert steps["certificates"].status == DONE and steps["certificates"].on == TODAY
    results = {r.spec.kind: r.is_met for r in targets_on_results(election)}
    assert results == {"woman": True, "young": False, "dual_role": False}  # 王芳 and 陈静; nobody under 36


FULL = [
    ("张明", Post.CHAIR, 8),
    ("赵强", Post.CHAIR, 6),
    ("刘洋", Post.VICE_CHAIR, 7),
    ("杨帆", Post.VICE_CHAIR, 5),
    ("王芳", Post.MEMBER, 9),
    ("陈静", Post.MEMBER, 8),
    ("黄磊", Post.MEMBER, 6),
    ("周敏", Post.MEMBER, 5),
]


def published_village(county_user, township_user, regions):
    village = ready_village(county_user, regions)
    objection = objection_file(
        actor=township_user,
        election=village.election,
        kind="inclusion",
        filed_by="王五",
        grounds="已迁出本村",
        voter=village["徐军"],
    )
    objection_decide(
        actor=township_user, objection=objection, decision="rejected", decision_text="户籍仍在本村"
    )
    for name, post, tally in FULL:
        candidate(township_user, village.election, village[name], post, tally)
    joint_review_all_pass(county_user, village.election.cycle, county_user.region)
    candidate_list_publish(actor=township_user, election=village.election)
    village.election.refresh_from_db()
    return village


def test_steps_carry_dates_numbers_and_names(county_user, township_user, regions):
    election = published_village(county_user, township_user, regions).election
    s = by_key(election_record_steps(election, today=TODAY))
    assert s["committee"].on == TODAY and s["committee"].names.startswith("马成林（chair）")
    assert s["registration"].figures == "16 voters, of whom 6 women"
    assert s["roll_published"].on == TODAY and s["roll_published"].figures.startswith(
        "16 voters on the notice"
    )
    assert s["objections"].figures == "1 filed, 1 decided, 0 upheld" and s["objections"].status == DONE
    assert s["nomination"].status == DONE and s["nomination"].figures.startswith("8 nominations")
    assert s["qualification_review"].figures == "8 passed, 0 failed"
    assert s["joint_review"].on == TODAY and s["joint_review"].figures == "8 passed, 0 struck"
    assert s["candidate_list"].on == TODAY and s["candidate_list"].figures == "8 candidates"
    assert "张明（" in s["candidate_list"].names
    assert s["withdrawals"].figures == "None"
    assert s["venue"].status == PENDING and s["voting"].status == PENDING


def test_pdf_prints_every_step_with_missing_marked_and_is_stored_once(county_user, township_user, regions):
    election = published_village(county_user, township_user, regions).election
    document = election_record_make(actor=township_user, election=election)
    assert document.kind == DocumentKind.ELECTION_RECORD and len(document.data_version) == 64
    text = pdf_text(document.file.read()).replace("\n", "").replace(" ", "")
    assert "元树尔村委会村民委员会选举纪实表" in text
    for word in (
        "推选村民选举委员会",
        "公布正式候选人名单",
        "设立选举大会会场或投票站",
        "工作移交：公章",
        "缺",
        "张明",
    ):
        assert word in text, word
    assert TODAY.isoformat() in text
    again = election_record_make(actor=township_user, election=election)
    assert again.pk == document.pk and Document.objects.filter(kind=DocumentKind.ELECTION_RECORD).count() == 1
    complaint_receive(
        actor=township_user,
        cycle=election.cycle,
        region=election.region,
        received_on=TODAY,
        channel="letter",
        category="procedure",
        summary="x",
    )
    assert election_record_make(actor=township_user, election=election).pk != document.pk


def test_certified_and_handed_over_election(county_user, township_user, regions):
    cycle = datong_cycle(county_user, regions)
    day = TODAY - timedelta(days=20)
    election = certified(county_user, yuanshuer(cycle), day)
    handover_record(
        actor=township_user,
        election=election,
        audit_done_on=day - timedelta(days=40),
        audit_published_on=day - timedelta(days=36),
        seal_on=day,
        accounts_on=day + timedelta(days=2),
        files_on=day + timedelta(days=2),
        assets_on=day + timedelta(days=12),
        late_reason="资产清点延误",
    )
    visit_record(
        actor=county_user,
        cycle=cycle,
        region=election.region,
        visited_on=day - timedelta(days=3),
        group_name="县第一督导组",
        findings="未发现问题",
    )
    election.refresh_from_db()
    s = by_key(election_record_steps(election, today=TODAY))
    assert s["departure_audit"].on == day - timedelta(days=36) and s["departure_audit"].status == DONE
    assert s["voting"].on == day and s["voting"].figures == "1080 of 1200 registered voters voted (90.0%)"
    assert s["results"].figures == "Committee filled in the first round"
    assert s["runoff"].status == NOT_NEEDED
    assert s["certified"].on == day
    assert s["handover_seal"].on == day and s["handover_assets"].note == "2 days late"
    assert s["departure_certificates"].status == MISSING  # no outgoing members entered
    assert s["visits"].figures == "1 visits" and s["visits"].names == "县第一督导组"
    assert s["committee"].on == day - timedelta(days=34)
