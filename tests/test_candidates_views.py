"""Candidate pages: the scoping matrix (anonymous / other area / own area), nominating from the roll through
the page, what the publish page says is missing, and department staff kept to the joint review."""

import pytest
from django.urls import reverse
from django.utils import translation

from candidates.choices import CandidateStatus, NominationStatus, Outcome, Post
from candidates.models import Candidate, Department, DepartmentVerdict, NegativeListItem, Nomination
from candidates.services import review as review_services
from election_admin.choices import Role
from tests.candidate_helpers import candidate, joint_review_all_pass, nominate, ready_village, record_round
from tests.factories import UserFactory
from tests.permissions import assert_scoped_get
from tests.voter_helpers import assert_no_full_id
from tests.voters.files import make_id


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def village(county_user, regions):
    return ready_village(county_user, regions)


@pytest.fixture
def police_user(regions):
    return UserFactory(
        username="gongan",
        role=Role.DEPARTMENT_REVIEWER,
        region=regions["630121"],
        department_code="public_security",
    )


def test_pages_are_scoped(
    client, village, township_user, neighbour_township_user, county_user, neighbour_county_user
):
    election = village.election
    cand = candidate(township_user, election, village["张明"])
    nomination = nominate(township_user, election, village["赵强"], Post.CHAIR, tally=2)
    for url in (
        reverse("candidate_election", args=[election.pk]),
        reverse("nomination_create", args=[election.pk]),
        reverse("nomination_round", args=[election.pk]),
        reverse("candidate_list_publish", args=[election.pk]),
        reverse("committee_members", args=[election.pk]),
        reverse("nomination_confirm", args=[nomination.pk]),
        reverse("candidate_detail", args=[cand.pk]),
    ):
        assert_scoped_get(client, url, own=township_user, other=neighbour_township_user)
    review = review_services.joint_review_open(
        actor=county_user,
        cycle=election.cycle,
        county=county_user.region,
        departments=[Department.objects.get(code="court")],
    )
    assert_scoped_get(
        client, reverse("joint_review_detail", args=[review.pk]), own=county_user, other=neighbour_county_user
    )


def test_election_page_lists_nominations_without_full_ids(client, village, township_user):
    candidate(township_user, village.election, village["张明"])
    client.force_login(township_user)
    page = client.get(reverse("candidate_election", args=[village.election.pk])).content.decode()
    assert "张明" in page and village["张明"].id_masked in page
    assert "Chair: 1 seat(s)" in page  # what is missing, in words
    assert_no_full_id(page, "candidate page")


def test_township_clerk_nominates_from_the_roll_through_the_page(client, village, township_user):
    election = village.election
    record_round(township_user, election)
    client.force_login(township_user)
    url = reverse("nomination_create", args=[election.pk])
    search = client.get(url, {"q": "张明"}).content.decode()
    assert f"?voter={village['张明'].pk}" in search
    response = client.post(
        f"{url}?voter={village['张明'].pk}",
        {
            "voter": village["张明"].pk,
            "post": "chair",
            "method": "direct",
            "nominating_count": "6",
            "next": "list",
        },
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get(voter=village["张明"])
    assert nomination.tally == 6
    # by ID number: somebody not on the roll is refused with the rule
    response = client.post(
        url,
        {"id_number": make_id(sequence=999), "post": "chair", "method": "self", "next": "list"},
    )
    assert response.status_code == 200
    assert "No voter with this ID number is on the roll of 元树尔村委会" in response.content.decode()
    # confirm through the page
    response = client.post(
        reverse("nomination_confirm", args=[nomination.pk]),
        {"education": "senior", "party_membership": "none"},
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.CONFIRMED and Candidate.objects.count() == 1


def test_publish_page_says_exactly_what_is_missing_and_refuses(client, village, township_user, county_user):
    for name, post, tally in [("张明", Post.CHAIR, 5), ("赵强", Post.CHAIR, 4), ("刘洋", Post.VICE_CHAIR, 3)]:
        candidate(township_user, village.election, village[name], post, tally)
    joint_review_all_pass(county_user, village.election.cycle, county_user.region)
    client.force_login(township_user)
    url = reverse("candidate_list_publish", args=[village.election.pk])
    page = client.get(url).content.decode()
    assert (
        "Vice-chair: 1 seat(s); the rule set asks for at least 1 more candidates than seats: 2. 1 passed"
        in page
    )
    assert "Member of the committee: 3 seat(s)" in page and "4 more needed" in page
    response = client.post(url, {"term_number": ""})
    assert response.status_code == 200 and "1 more needed" in response.content.decode()
    village.election.refresh_from_db()
    assert village.election.stage == "roll_published"


def test_candidate_page_records_the_review_and_a_relation(client, village, township_user):
    cand = candidate(township_user, village.election, village["张明"], passed_township=False)
    client.force_login(township_user)
    url = reverse("candidate_detail", args=[cand.pk])
    response = client.post(
        url,
        {
            "action": "review",
            "outcome": "fail",
            "negative_item": NegativeListItem.objects.get(code="long_absent").pk,
            "reason": "",
        },
    )
    assert response.status_code == 302
    cand.refresh_from_db()
    assert cand.status == CandidateStatus.FAILED
    response = client.post(
        url, {"action": "relation", "relative": village["王芳"].pk, "kind": "spouse", "note": ""}
    )
    assert response.status_code == 302
    assert "王芳" in client.get(url).content.decode()


def test_department_staff_see_only_the_joint_review_of_their_county(
    client, village, township_user, county_user, police_user
):
    cand = candidate(township_user, village.election, village["张明"])
    review = review_services.joint_review_open(
        actor=county_user,
        cycle=village.election.cycle,
        county=county_user.region,
        departments=list(Department.objects.filter(code__in=["public_security", "court"])),
    )
    client.force_login(police_user)
    assert client.get(reverse("home"))["Location"] == reverse("joint_review_list")
    assert client.get(reverse("joint_review_list")).status_code == 200
    page = client.get(reverse("joint_review_detail", args=[review.pk])).content.decode()
    assert "张明" in page and "公安机关" in page and "人民法院" not in page.split("review-table")[1]
    assert client.get(reverse("candidate_election", args=[village.election.pk])).status_code == 404
    assert client.get(reverse("candidate_detail", args=[cand.pk])).status_code == 403
    assert client.get(reverse("cycle_list")).status_code == 200  # empty: their area is nothing
    assert "元树尔" not in client.get(reverse("cycle_list")).content.decode()
    assert client.get(reverse("election_detail", args=[village.election.pk])).status_code == 404
    assert client.get(reverse("voter_roll", args=[village.election.pk])).status_code == 404
    response = client.post(
        reverse("verdict_enter", args=[review.pk, cand.pk]),
        {
            "outcome": "fail",
            "negative_item": NegativeListItem.objects.get(code="criminal_record").pk,
            "reason": "",
            "department": Department.objects.get(code="court").pk,  # ignored: their own department counts
        },
    )
    assert response.status_code == 302
    verdict = DepartmentVerdict.objects.get()
    assert verdict.department.code == "public_security" and verdict.outcome == Outcome.FAIL
    # the full ID, for checking records: audited, answered as a fragment to htmx
    response = client.post(reverse("candidate_reveal_id", args=[cand.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and village["张明"].id_masked[-4:] in response.content.decode()
    assert client.post(reverse("joint_review_close", args=[review.pk])).status_code == 403
    review.refresh_from_db()
    assert review.is_open  # refused: only the bureau closes


def test_bureau_enters_on_behalf_and_closes_through_the_pages(client, village, township_user, county_user):
    candidate(township_user, village.election, village["张明"])
    court = Department.objects.get(code="court")
    review = review_services.joint_review_open(
        actor=county_user, cycle=village.election.cycle, county=county_user.region, departments=[court]
    )
    client.force_login(county_user)
    page = client.get(
        reverse("joint_review_detail", args=[review.pk]), {"department": "court"}
    ).content.decode()
    assert "on its behalf" in page
    client.post(
        reverse("verdicts_pass_remaining", args=[review.pk]), {"department": court.pk, "paper_reference": ""}
    )
    assert not DepartmentVerdict.objects.exists()  # refused without the paper's reference
    client.post(
        reverse("verdicts_pass_remaining", args=[review.pk]),
        {"department": court.pk, "paper_reference": "通法函1号"},
    )
    assert DepartmentVerdict.objects.get().is_on_behalf
    client.post(reverse("joint_review_close", args=[review.pk]))
    review.refresh_from_db()
    assert not review.is_open


def test_staff_form_offers_the_department(client, county_user):
    client.force_login(county_user)
    page = client.get(reverse("staff_create")).content.decode()
    assert "公安机关" in page and "department_code" in page
    response = client.post(
        reverse("staff_create"),
        {
            "username": "fayuan",
            "full_name": "县法院",
            "role": "department_reviewer",
            "region": "630121",
            "department_code": "court",
            "password": "Court-password-2026",
        },
    )
    assert response.status_code == 302


def test_county_overview_and_navigation(client, village, township_user, county_user):
    candidate(township_user, village.election, village["张明"])
    client.force_login(county_user)
    page = client.get(reverse("candidates_overview")).content.decode()
    assert "元树尔村委会" in page and 'data-testid="nav-candidates"' in page
    assert client.get(reverse("candidates_overview"), {"area": "630121100"}).status_code == 200
