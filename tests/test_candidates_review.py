"""The review: the township's qualification review, then the county's joint review by departments — each
department's staff enter their own verdicts (or the bureau on its behalf with the paper's reference),
only the county bureau opens and closes, and a closed review takes no more verdicts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from audit.models import AuditEvent
from candidates.choices import CandidateStatus, JointReviewStatus, Outcome, Post
from candidates.models import (
    Candidate,
    Department,
    DepartmentVerdict,
    JointReview,
    NegativeListItem,
    Nomination,
)
from candidates.selectors import failed_verdicts
from candidates.services import review as review_services
from election_admin.choices import Role
from election_admin.models import Election
from election_admin.services.staff import staff_create
from tests.candidate_helpers import candidate, nominate, ready_village
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


def dept(code) -> Department:
    return Department.objects.get(code=code)


def ground(code) -> NegativeListItem:
    return NegativeListItem.objects.get(code=code)


@pytest.fixture
def police_user(regions):
    return UserFactory(
        username="gongan",
        role=Role.DEPARTMENT_REVIEWER,
        region=regions["630121"],
        department_code="public_security",
    )


@pytest.fixture
def court_user(regions):
    return UserFactory(
        username="fayuan", role=Role.DEPARTMENT_REVIEWER, region=regions["630121"], department_code="court"
    )


@pytest.fixture
def village(county_user, regions):
    return ready_village(county_user, regions)


@pytest.fixture
def batch(village, county_user, township_user, regions):
    """Three candidates passed by the township, in a joint review of 公安 and 法院 and 纪委监委."""
    election = village.election
    people = [("马成林", Post.CHAIR, 8), ("张明", Post.CHAIR, 6), ("王芳", Post.MEMBER, 9)]
    made = {
        name: candidate(township_user, election, village[name], post, tally) for name, post, tally in people
    }
    review = review_services.joint_review_open(
        actor=county_user,
        cycle=election.cycle,
        county=regions["630121"],
        departments=[dept("public_security"), dept("court"), dept("discipline")],
    )
    return review, made


def test_township_review_pass_waits_for_the_joint_review_and_fail_strikes(village, township_user):
    election = village.election
    first = candidate(township_user, election, village["张明"], Post.CHAIR, passed_township=False)
    assert first.status == CandidateStatus.IN_REVIEW
    with pytest.raises(ValidationError) as error:
        review_services.qualification_review_record(
            actor=township_user, candidate=first, outcome=Outcome.FAIL
        )
    assert "names its ground from the negative list" in " ".join(error.value.messages)
    with pytest.raises(ValidationError) as error:
        review_services.qualification_review_record(
            actor=township_user, candidate=first, outcome=Outcome.FAIL, negative_item=ground("other")
        )
    assert "needs a written detail" in " ".join(error.value.messages)
    review_services.qualification_review_record(
        actor=township_user, candidate=first, outcome=Outcome.FAIL, negative_item=ground("long_absent")
    )
    first.refresh_from_db()
    assert first.status == CandidateStatus.FAILED
    # corrected before the joint review: passes again and waits
    review_services.qualification_review_record(actor=township_user, candidate=first, outcome=Outcome.PASS)
    first.refresh_from_db()
    assert first.status == CandidateStatus.IN_REVIEW and first.joint_review is None
    assert AuditEvent.objects.filter(event_type="candidate.reviewed", object_id=str(first.pk)).count() == 2


def test_only_the_county_bureau_opens_a_joint_review(
    village, township_user, police_user, county_user, regions
):
    candidate(township_user, village.election, village["张明"])
    for user in (township_user, police_user):
        with pytest.raises(PermissionDenied):
            review_services.joint_review_open(
                actor=user,
                cycle=village.election.cycle,
                county=regions["630121"],
                departments=[dept("court")],
            )
    with pytest.raises(ValidationError) as error:
        review_services.joint_review_open(
            actor=county_user, cycle=village.election.cycle, county=regions["630121"], departments=[]
        )
    assert "departments" in error.value.message_dict


def test_opening_collects_the_waiting_and_later_passes_join(
    batch, village, township_user, county_user, regions
):
    review, made = batch
    assert set(review.candidates.values_list("voter__name", flat=True)) == {"马成林", "张明", "王芳"}
    late = candidate(township_user, village.election, village["赵强"], Post.MEMBER, 4)
    assert late.joint_review == review
    with pytest.raises(ValidationError) as error:
        review_services.joint_review_open(
            actor=county_user,
            cycle=village.election.cycle,
            county=regions["630121"],
            departments=[dept("court")],
        )
    assert "#1 of 大通回族土族自治县 is still open" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):  # the township review no longer changes
        review_services.qualification_review_record(
            actor=township_user, candidate=late, outcome=Outcome.FAIL, negative_item=ground("gang")
        )


def test_department_staff_enter_their_own_departments_verdicts_only(batch, police_user):
    review, made = batch
    verdict = review_services.department_verdict_enter(
        actor=police_user,
        review=review,
        candidate=made["张明"],
        department=dept("public_security"),
        outcome=Outcome.FAIL,
        negative_item=ground("criminal_record"),
        reason="2019年因寻衅滋事被判处有期徒刑一年",
    )
    assert not verdict.is_on_behalf and verdict.entered_by == police_user
    with pytest.raises(PermissionDenied):
        review_services.department_verdict_enter(
            actor=police_user,
            review=review,
            candidate=made["张明"],
            department=dept("court"),
            outcome=Outcome.PASS,
        )
    event = AuditEvent.objects.get(event_type="joint_review.verdict", object_id=str(verdict.pk))
    assert event.after["department"] == "public_security" and event.after["outcome"] == "fail"


def test_department_of_another_county_sees_nothing(batch, regions):
    review, made = batch
    other = UserFactory(
        username="huangyuan-gongan",
        role=Role.DEPARTMENT_REVIEWER,
        region=regions["630123"],
        department_code="public_security",
    )
    with pytest.raises(ValidationError) as error:
        review_services.department_verdict_enter(
            actor=other,
            review=review,
            candidate=made["张明"],
            department=dept("public_security"),
            outcome=Outcome.PASS,
        )
    assert "outside your area" in " ".join(error.value.messages)
    assert not JointReview.objects.visible_to(other).exists()
    assert not Candidate.objects.visible_to(other).exists()


def test_department_users_see_only_the_joint_review_side_of_their_county(batch, police_user, regions):
    review, made = batch
    assert police_user.area_code is None
    assert list(JointReview.objects.visible_to(police_user)) == [review]
    assert Candidate.objects.visible_to(police_user).count() == 3
    assert not Nomination.objects.visible_to(police_user).exists()
    assert not Election.objects.visible_to(police_user).exists()
    market = UserFactory(
        username="shichang",
        role=Role.DEPARTMENT_REVIEWER,
        region=regions["630121"],
        department_code="market_regulation",
    )
    assert not JointReview.objects.visible_to(market).exists()  # not one of this review's departments


def test_bureau_enters_on_behalf_with_the_papers_reference(batch, county_user):
    review, made = batch
    with pytest.raises(ValidationError) as error:
        review_services.department_verdict_enter(
            actor=county_user,
            review=review,
            candidate=made["张明"],
            department=dept("court"),
            outcome=Outcome.PASS,
        )
    assert "Entering 人民法院's verdict on its behalf: give the reference" in " ".join(error.value.messages)
    verdict = review_services.department_verdict_enter(
        actor=county_user,
        review=review,
        candidate=made["张明"],
        department=dept("court"),
        outcome=Outcome.PASS,
        paper_reference="通法函〔2026〕12号",
    )
    assert verdict.is_on_behalf and verdict.paper_reference == "通法函〔2026〕12号"
    # corrected while open: one row, the change audited with its before
    review_services.department_verdict_enter(
        actor=county_user,
        review=review,
        candidate=made["张明"],
        department=dept("court"),
        outcome=Outcome.FAIL,
        negative_item=ground("under_investigation"),
        paper_reference="通法函〔2026〕13号",
    )
    assert DepartmentVerdict.objects.filter(candidate=made["张明"], department=dept("court")).count() == 1
    last = AuditEvent.objects.filter(event_type="joint_review.verdict").order_by("-sequence").first()
    assert last.before["outcome"] == "pass" and last.after["outcome"] == "fail"


def test_department_not_in_the_review_is_refused(batch, county_user):
    review, made = batch
    with pytest.raises(ValidationError) as error:
        review_services.department_verdict_enter(
            actor=county_user,
            review=review,
            candidate=made["张明"],
            department=dept("petitions"),
            outcome=Outcome.PASS,
            paper_reference="x",
        )
    assert "信访部门 does not take part in this joint review" in " ".join(error.value.messages)


def test_closing_needs_every_departments_answer(batch, county_user, police_user):
    review, made = batch
    review_services.department_verdicts_pass_remaining(
        actor=police_user, review=review, department=dept("public_security")
    )
    with pytest.raises(ValidationError) as error:
        review_services.joint_review_close(actor=county_user, review=review)
    text = " ".join(error.value.messages)
    assert (
        "人民法院 has not answered for 3 candidate(s)" in text and "纪委监委 has not answered for 3" in text
    )
    assert "公安机关" not in text
    with pytest.raises(PermissionDenied):
        review_services.joint_review_close(actor=police_user, review=review)


def test_two_departments_fail_one_candidate_who_is_struck(batch, county_user, police_user, court_user):
    review, made = batch
    review_services.department_verdict_enter(
        actor=police_user,
        review=review,
        candidate=made["王芳"],
        department=dept("public_security"),
        outcome=Outcome.FAIL,
        negative_item=ground("gang"),
    )
    review_services.department_verdict_enter(
        actor=court_user,
        review=review,
        candidate=made["王芳"],
        department=dept("court"),
        outcome=Outcome.FAIL,
        negative_item=ground("dishonest_debtor"),
    )
    assert (
        review_services.department_verdicts_pass_remaining(
            actor=police_user, review=review, department=dept("public_security")
        )
        == 2
    )
    review_services.department_verdicts_pass_remaining(
        actor=court_user, review=review, department=dept("court")
    )
    review_services.department_verdicts_pass_remaining(
        actor=county_user, review=review, department=dept("discipline"), paper_reference="通纪函〔2026〕3号"
    )
    closing = review_services.joint_review_close(actor=county_user, review=review)
    assert [c.voter.name for c in closing.failed] == ["王芳"]
    assert {c.voter.name for c in closing.passed} == {"马成林", "张明"}
    made["王芳"].refresh_from_db()
    assert made["王芳"].status == CandidateStatus.FAILED
    assert {v.department.code for v in failed_verdicts(made["王芳"])} == {"public_security", "court"}
    review.refresh_from_db()
    assert review.status == JointReviewStatus.CLOSED and review.closed_by == county_user
    assert AuditEvent.objects.filter(event_type="joint_review.closed", object_id=str(review.pk)).exists()
    event = (
        AuditEvent.objects.filter(event_type="candidate.reviewed", object_id=str(made["王芳"].pk))
        .order_by("sequence")
        .last()
    )
    assert event.after["outcome"] == "fail" and len(event.after["failed_by"]) == 2

    # a verdict after the review closed: refused, nothing saved
    count = DepartmentVerdict.objects.count()
    with pytest.raises(ValidationError) as error:
        review_services.department_verdict_enter(
            actor=police_user,
            review=review,
            candidate=made["张明"],
            department=dept("public_security"),
            outcome=Outcome.FAIL,
            negative_item=ground("gang"),
        )
    assert "Joint review #1 closed on" in " ".join(error.value.messages)
    assert "can no longer be entered or changed" in " ".join(error.value.messages)
    assert DepartmentVerdict.objects.count() == count
    with pytest.raises(ValidationError):
        review_services.joint_review_close(actor=county_user, review=review)


def test_a_new_batch_after_the_first_closed(batch, village, county_user, township_user, regions):
    review, made = batch
    for code in ("public_security", "court", "discipline"):
        review_services.department_verdicts_pass_remaining(
            actor=county_user, review=review, department=dept(code), paper_reference="复函"
        )
    review_services.joint_review_close(actor=county_user, review=review)
    late = candidate(township_user, village.election, village["赵强"], Post.MEMBER, 4)
    assert late.joint_review is None
    second = review_services.joint_review_open(
        actor=county_user, cycle=village.election.cycle, county=regions["630121"], departments=[dept("court")]
    )
    assert second.number == 2 and list(second.candidates.all()) == [late]


def test_candidate_id_is_shown_to_the_department_in_full_and_audited(batch, police_user, city_user):
    review, made = batch
    number = review_services.candidate_reveal_id(actor=police_user, candidate=made["张明"])
    assert len(number) == 18 and number.endswith(made["张明"].voter.id_masked[-4:])
    event = AuditEvent.objects.filter(event_type="pii.revealed").order_by("sequence").last()
    assert event.actor == police_user and event.after["voter"] == made["张明"].voter.id_masked
    with pytest.raises(PermissionDenied):
        review_services.candidate_reveal_id(actor=city_user, candidate=made["张明"])


def test_candidate_details_are_kept_and_audited(village, township_user):
    from candidates.models import Occupation

    cand = candidate(township_user, village.election, village["张明"])
    review_services.candidate_update(
        actor=township_user,
        candidate=cand,
        education="bachelor",
        party_membership="cpc_member",
        occupation=Occupation.objects.get(name="返乡大学生"),
        is_incumbent=False,
        is_dual_role_intended=True,
    )
    cand.refresh_from_db()
    assert (
        cand.education == "bachelor" and cand.occupation.name == "返乡大学生" and cand.is_dual_role_intended
    )
    event = AuditEvent.objects.filter(event_type="candidate.updated").order_by("sequence").last()
    assert event.after["education"] == "bachelor"


def test_county_creates_a_department_reviewer(county_user, regions):
    with pytest.raises(ValidationError) as error:
        staff_create(
            manager=county_user,
            username="gongan2",
            full_name="县公安局",
            phone="",
            role=Role.DEPARTMENT_REVIEWER,
            region=regions["630121"],
            password="Gongan-2026-password",
        )
    assert "department_code" in error.value.message_dict
    with pytest.raises(ValidationError):
        staff_create(
            manager=county_user,
            username="town2",
            full_name="乡镇",
            phone="",
            role=Role.TOWNSHIP_STAFF,
            region=regions["630121100"],
            password="Town-2026-password",
            department_code="court",
        )
    user = staff_create(
        manager=county_user,
        username="gongan2",
        full_name="县公安局",
        phone="",
        role=Role.DEPARTMENT_REVIEWER,
        region=regions["630121"],
        password="Gongan-2026-password",
        department_code="public_security",
    )
    assert user.department_code == "public_security" and user.area_code is None
    with pytest.raises(ValidationError):  # a department reviewer works at county level
        staff_create(
            manager=county_user,
            username="gongan3",
            full_name="派出所",
            phone="",
            role=Role.DEPARTMENT_REVIEWER,
            region=regions["630121100"],
            password="Gongan-2026-password",
            department_code="public_security",
        )


def test_nominating_is_not_for_department_staff(village, police_user):
    with pytest.raises(PermissionDenied):
        nominate(police_user, village.election, village["张明"])
