"""The margin (差额) per post under each province's rule set, the official list in order, its publication
(refused short of the margin, in review, tied or late — with the rule and the numbers, nothing saved),
the PDF notice as evidence, withdrawals filled from the nomination order, and the county overview."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from candidates.choices import CandidateStatus, ListPublicationKind, NominationMethod, Post
from candidates.models import Candidate, CandidateListPublication
from candidates.selectors import candidates_overview
from candidates.services.lists import candidate_list_check, official_list
from candidates.services.publication import candidate_list_publish, candidate_withdraw
from election_admin.choices_cycles import Body, Stage
from election_admin.models import Document, DocumentKind
from tests.candidate_helpers import candidate, joint_review_all_pass, province_village, ready_village
from tests.voter_helpers import assert_no_full_id, pdf_text

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


def passed(actor, village, county_actor, spec):
    """Candidates from ``spec`` = [(name, post, tally)], passed by the township and the joint review."""
    made = {
        name: candidate(actor, village.election, village[name], post, tally) for name, post, tally in spec
    }
    joint_review_all_pass(county_actor, village.election.cycle, county_actor.region)
    for c in made.values():
        c.refresh_from_db()
    return made


FULL = [
    ("张明", Post.CHAIR, 8),
    ("赵强", Post.CHAIR, 6),
    ("刘洋", Post.VICE_CHAIR, 7),
    ("杨帆", Post.VICE_CHAIR, 5),
    ("王芳", Post.MEMBER, 9),
    ("陈静", Post.MEMBER, 8),
    ("黄磊", Post.MEMBER, 6),
]


def messages(error) -> str:
    return " ".join(error.value.messages)


def test_short_of_the_margin_is_refused_naming_post_seats_and_numbers(county_user, regions, township_user):
    village = ready_village(county_user, regions)  # 5 seats: chair 1, vice-chair 1, members 3
    passed(township_user, village, county_user, FULL)
    problems = candidate_list_check(village.election)
    assert [p.code for p in problems] == ["short"]
    (problem,) = problems
    assert (problem.post, problem.seats, problem.candidates, problem.needed) == (Post.MEMBER, 3, 3, 4)
    assert problem.message == (
        "Member of the committee: 3 seat(s); the rule set asks for at least 1 more candidates than seats: 4. "
        "3 passed the review, 1 more needed."
    )
    with pytest.raises(ValidationError) as error:
        candidate_list_publish(actor=township_user, election=village.election)
    assert "3 passed the review, 1 more needed" in messages(error)
    village.election.refresh_from_db()
    assert village.election.stage == Stage.ROLL_PUBLISHED
    assert not CandidateListPublication.objects.exists()
    assert not Document.objects.filter(kind=DocumentKind.CANDIDATE_LIST_NOTICE).exists()
    assert not AuditEvent.objects.filter(event_type="candidate_list.published").exists()
    assert not Candidate.objects.exclude(list_position=None).exists()


def test_publication_moves_the_stage_and_stores_the_notice(county_user, regions, township_user, client):
    village = ready_village(county_user, regions)
    passed(township_user, village, county_user, [*FULL, ("周敏", Post.MEMBER, 3)])
    assert candidate_list_check(village.election) == []
    publication = candidate_list_publish(actor=township_user, election=village.election, term_number=12)
    village.election.refresh_from_db()
    assert village.election.stage == Stage.CANDIDATES_PUBLISHED
    assert village.election.stage_dates[Stage.CANDIDATES_PUBLISHED] == TODAY.isoformat()
    assert publication.kind == ListPublicationKind.NOTICE and publication.candidate_count == 8
    document = publication.document
    assert (
        document.kind == DocumentKind.CANDIDATE_LIST_NOTICE
        and document.is_public
        and len(document.sha256) == 64
    )
    assert document.title == "元树尔村第十二届村民委员会正式候选人名单公告"
    text = pdf_text(document.file.read())
    for expected in (
        "元树尔村第十二届村民委员会正式候选人名单公告",
        "主任候选人",
        "副主任候选人",
        "委员候选人",
        "按提名得票多少排序",
    ):
        assert expected in text
    assert (
        text.index("王芳") < text.index("陈静") < text.index("黄磊") < text.index("周敏")
    )  # by nomination votes
    assert_no_full_id(text, "candidate list notice")
    positions = dict(Candidate.objects.values_list("voter__name", "list_position"))
    assert positions["张明"] == 1 and positions["赵强"] == 2 and positions["周敏"] == 4
    event = AuditEvent.objects.get(event_type="candidate_list.published")
    assert event.after["document_sha256"] == document.sha256
    # the public check of the printed notice
    response = client.get(reverse("document_verify", args=[document.short_code]))
    assert response.status_code == 200 and "元树尔村" in response.content.decode()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        candidate_list_publish(actor=township_user, election=village.election)
    assert "already published" in messages(error)


def test_national_cap_keeps_a_third_chair_as_reserve_and_reports_a_tie(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    passed(township_user, village, county_user, [*FULL, ("周敏", Post.MEMBER, 3), ("吴刚", Post.CHAIR, 2)])
    chair = official_list(village.election)[0]
    assert [c.voter.name for c in chair.official] == ["张明", "赵强"] and [
        c.voter.name for c in chair.reserves
    ] == ["吴刚"]
    assert candidate_list_check(village.election) == []


def test_tie_at_the_cut_off_blocks_publication(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    chairs = [("张明", Post.CHAIR, 7), ("赵强", Post.CHAIR, 4), ("吴刚", Post.CHAIR, 4)]
    passed(township_user, village, county_user, [*chairs, *FULL[2:], ("周敏", Post.MEMBER, 3)])
    (problem,) = candidate_list_check(village.election)
    assert problem.code == "tie"
    assert (
        "at most 2 candidates, but 赵强、吴刚 are tied at the cut-off with 4 nomination votes each"
        in problem.message
    )


def test_candidates_in_review_block_publication(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    passed(township_user, village, county_user, [*FULL, ("周敏", Post.MEMBER, 3)])
    candidate(township_user, village.election, village["郑丽"], Post.MEMBER, 1)
    problems = candidate_list_check(village.election)
    assert [p.code for p in problems] == ["in_review"]
    assert "1 candidate is still in review (郑丽)" in problems[0].message


def test_beijing_allows_two_more_per_post(db):
    village = province_village("11", seats=(1, 3, 0))
    rules = village.election.cycle.rule_set
    assert (rules.chair_margin_max, rules.member_margin_max) == (2, 2)
    spec = [
        ("张明", Post.CHAIR, 8),
        ("赵强", Post.CHAIR, 6),
        ("吴刚", Post.CHAIR, 2),
        ("刘洋", Post.VICE_CHAIR, 7),
        ("杨帆", Post.VICE_CHAIR, 5),
        *[
            (name, Post.MEMBER, 10 - i)
            for i, name in enumerate(["王芳", "陈静", "黄磊", "周敏", "郑丽", "孙伟"])
        ],
    ]
    passed(village.actor, village, village.actor, spec)
    lists = {e.post: e for e in official_list(village.election)}
    assert len(lists[Post.CHAIR].official) == 3  # BJ: +1…+2
    assert len(lists[Post.MEMBER].official) == 5 and [c.voter.name for c in lists[Post.MEMBER].reserves] == [
        "孙伟"
    ]
    assert candidate_list_check(village.election) == []


def test_shanghai_chair_one_more_members_one_to_three_more(db):
    village = province_village("31", seats=(1, 3, 0))
    assert village.election.cycle.rule_set.election_committee_size_min == 7
    spec = [
        ("张明", Post.CHAIR, 8),
        ("赵强", Post.CHAIR, 6),
        ("吴刚", Post.CHAIR, 2),
        ("刘洋", Post.VICE_CHAIR, 7),
        *[
            (name, Post.MEMBER, 9 - i)
            for i, name in enumerate(["王芳", "陈静", "黄磊", "周敏", "郑丽", "孙伟", "朱红"])
        ],
    ]
    passed(village.actor, village, village.actor, spec)
    lists = {e.post: e for e in official_list(village.election)}
    assert len(lists[Post.CHAIR].official) == 2 and len(lists[Post.MEMBER].official) == 6
    (problem,) = candidate_list_check(village.election)
    assert problem.post == Post.VICE_CHAIR and problem.needed == 2 and problem.candidates == 1


def test_zhejiang_womens_post_needs_its_own_margin(db):
    village = province_village("33")
    election = village.election
    assert election.seats_women_member == 1
    spec = [
        ("张明", Post.CHAIR, 8),
        ("赵强", Post.CHAIR, 6),
        ("刘洋", Post.VICE_CHAIR, 7),
        ("杨帆", Post.VICE_CHAIR, 5),
        ("王芳", Post.WOMEN_MEMBER, 9),
        *[(name, Post.MEMBER, 10 - i) for i, name in enumerate(["黄磊", "吴刚", "孙伟"])],
    ]
    passed(village.actor, village, village.actor, spec)
    (problem,) = candidate_list_check(election)
    assert problem.post == Post.WOMEN_MEMBER and problem.message.startswith("Women's member: 1 seat(s)")
    assert problem.needed == 2


def test_party_branch_needs_twenty_percent_more_in_stroke_order(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    people = [
        ("张明", 105, 1980),
        ("王芳", 104, 1985),
        ("李华", 131, 1977),
        ("丁一", 133, 1981),
        ("魏明", 135, 1979),
    ]
    party = ready_village(
        county_user,
        cycle=village.election.cycle,
        body=Body.PARTY_BRANCH,
        people=people,
        reserves=[],
        seats=(0, 2, 0),
    )
    assert party.election.seats_total == 3
    spec = [(name, Post.MEMBER, 0) for name in ("张明", "王芳", "李华")]
    made = {
        name: candidate(
            township_user, party.election, party[name], post, tally, method=NominationMethod.PARTY_COMMITTEE
        )
        for name, post, tally in spec
    }
    joint_review_all_pass(county_user, party.election.cycle, regions["630121"])
    (problem,) = candidate_list_check(party.election)
    assert problem.message == (
        "Party committee member: 3 seat(s); a party branch needs at least 20% more candidates than seats, rounded up: 4. "
        "3 passed the review, 1 more needed."
    )
    made["丁一"] = candidate(
        township_user, party.election, party["丁一"], Post.MEMBER, 0, method=NominationMethod.PARTY_COMMITTEE
    )
    joint_review_all_pass(county_user, party.election.cycle, regions["630121"])
    (entry,) = official_list(party.election)
    assert [c.voter.name for c in entry.official] == [
        "丁一",
        "王芳",
        "李华",
        "张明",
    ]  # 2, 4, 7 横, 7 折 strokes
    publication = candidate_list_publish(actor=township_user, election=party.election)
    text = pdf_text(publication.document.file.read())
    assert "按姓氏笔画排序" in text and "委员候选人" in text and "中共元树尔村支部委员会" in text


def test_publishing_past_the_deadline_needs_a_recorded_exception(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    passed(township_user, village, county_user, [*FULL, ("周敏", Post.MEMBER, 3)])
    day = village.election.election_day
    late_day = day - timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        candidate_list_publish(actor=township_user, election=village.election, today=late_day)
    assert messages(error) == (
        f"The official candidate list is published at least 5 days before the election day ({day.isoformat()}), "
        f"that is by {(day - timedelta(days=5)).isoformat()}; today is {late_day.isoformat()}, 2 day(s) late. "
        "Record the reason for the exception to publish late."
    )
    village.election.refresh_from_db()
    assert village.election.stage == Stage.ROLL_PUBLISHED and not CandidateListPublication.objects.exists()
    candidate_list_publish(
        actor=township_user,
        election=village.election,
        today=late_day,
        exception_reason="联审延误，经县民政局同意",
    )
    village.election.refresh_from_db()
    assert village.election.stage == Stage.CANDIDATES_PUBLISHED
    assert village.election.exceptions[-1]["reason"] == "联审延误，经县民政局同意"
    assert AuditEvent.objects.filter(event_type="election.deadline_exception").exists()


def test_withdrawal_after_publication_fills_the_gap_and_posts_a_change(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    made = passed(
        township_user, village, county_user, [*FULL, ("周敏", Post.MEMBER, 3), ("吴刚", Post.CHAIR, 2)]
    )
    candidate_list_publish(actor=township_user, election=village.election)
    result = candidate_withdraw(
        actor=township_user,
        candidate=made["赵强"],
        received_on=TODAY,
        reference="退出申请书（2026）1号",
        reason="外出务工",
    )
    assert [s.voter.name for s in result.substitutes] == ["吴刚"] and result.warnings == []
    made["赵强"].refresh_from_db()
    assert made["赵强"].status == CandidateStatus.WITHDRAWN and made["赵强"].list_position is None
    assert made["赵强"].nomination.status == "withdrawn"
    made["吴刚"].refresh_from_db()
    assert made["吴刚"].list_position == 2
    change = result.publication
    assert change.number == 2 and change.kind == ListPublicationKind.CHANGE
    text = pdf_text(change.document.file.read())
    assert "正式候选人名单变更公告" in text and "赵强" in text and "递补" in text and "吴刚" in text
    for event_type in ("candidate.withdrawn", "candidate_list.changed"):
        assert AuditEvent.objects.filter(event_type=event_type).exists()


def test_withdrawal_past_the_rule_set_deadline_is_refused(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    made = passed(township_user, village, county_user, FULL)
    day = village.election.election_day
    with pytest.raises(ValidationError) as error:
        candidate_withdraw(
            actor=township_user,
            candidate=made["赵强"],
            received_on=day - timedelta(days=2),
            reference="申请书",
            today=day - timedelta(days=2),
        )
    assert (
        f"at least 3 days before the election day ({day.isoformat()}), that is by "
        f"{(day - timedelta(days=3)).isoformat()}; this letter was received on {(day - timedelta(days=2)).isoformat()}"
    ) in messages(error)
    made["赵强"].refresh_from_db()
    assert made["赵强"].status == CandidateStatus.PASSED
    with pytest.raises(ValidationError) as error:
        candidate_withdraw(actor=township_user, candidate=made["赵强"], received_on=TODAY, reference=" ")
    assert "in writing" in messages(error)


def test_withdrawal_with_no_reserve_warns_the_post_is_short(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    made = passed(township_user, village, county_user, FULL)
    result = candidate_withdraw(
        actor=township_user, candidate=made["张明"], received_on=TODAY, reference="申请书"
    )
    assert result.substitutes == [] and result.publication is None
    assert any(w.startswith("Chair: 1 seat(s)") for w in result.warnings)


def test_county_overview_lists_late_short_and_in_review(county_user, regions, township_user):
    village = ready_village(county_user, regions)
    candidate(township_user, village.election, village["张明"], Post.CHAIR, 3)
    rows = candidates_overview(county_user, today=TODAY)
    row = next(r for r in rows if r.election == village.election)
    assert row.in_review == 1 and row.late_days == 0
    assert "Chair 0/2" in row.short and "Member of the committee 0/4" in row.short
    late = candidates_overview(county_user, today=village.election.election_day - timedelta(days=2))
    assert next(r for r in late if r.election == village.election).late_days == 3
    # scoped: the neighbouring township sees none of it
    from tests.factories import UserFactory

    other = UserFactory(username="cg", role="township_staff", region=regions["630121101"])
    assert all(r.election.region_id.startswith("630121101") for r in candidates_overview(other, today=TODAY))
