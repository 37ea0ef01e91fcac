"""URLs of the printable ballot paper (选票样张) and the blank count sheet (计票单) of a ballot box."""

from django.urls import path

from . import views_papers

urlpatterns: list = [
    path(
        "elections/<int:election_id>/ballot-paper.pdf", views_papers.ballot_paper, name="ballots_ballot_paper"
    ),
    path("ballot-boxes/<int:box_id>/count-sheet.pdf", views_papers.count_sheet, name="ballots_count_sheet"),
]
