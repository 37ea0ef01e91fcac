from django.urls import path

from . import views, views_review

urlpatterns = [
    path("elections/<int:election_id>/candidates/", views.candidate_election, name="candidate_election"),
    path("elections/<int:election_id>/candidates/round/", views.nomination_round, name="nomination_round"),
    path(
        "elections/<int:election_id>/candidates/nominate/", views.nomination_create, name="nomination_create"
    ),
    path(
        "elections/<int:election_id>/candidates/publish/",
        views.candidate_list_publish,
        name="candidate_list_publish",
    ),
    path("elections/<int:election_id>/committee/", views.committee_members, name="committee_members"),
    path("nominations/<int:nomination_id>/confirm/", views.nomination_confirm, name="nomination_confirm"),
    path("nominations/<int:nomination_id>/decline/", views.nomination_decline, name="nomination_decline"),
    path("candidates/overview/", views.candidates_overview, name="candidates_overview"),
    path("candidates/<int:candidate_id>/", views.candidate_detail, name="candidate_detail"),
    path(
        "candidates/<int:candidate_id>/reveal/", views_review.candidate_reveal_id, name="candidate_reveal_id"
    ),
    path("joint-reviews/", views_review.joint_review_list, name="joint_review_list"),
    path("joint-reviews/<int:review_id>/", views_review.joint_review_detail, name="joint_review_detail"),
    path("joint-reviews/<int:review_id>/close/", views_review.joint_review_close, name="joint_review_close"),
    path(
        "joint-reviews/<int:review_id>/pass-remaining/",
        views_review.verdicts_pass_remaining,
        name="verdicts_pass_remaining",
    ),
    path(
        "joint-reviews/<int:review_id>/candidates/<int:candidate_id>/verdict/",
        views_review.verdict_enter,
        name="verdict_enter",
    ),
]
