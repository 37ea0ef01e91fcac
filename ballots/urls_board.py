"""URLs of the live count board (唱票) and of the tie re-vote (再次投票)."""

from django.urls import path

from . import views_board

urlpatterns: list = [
    path("ballot-boxes/<int:box_id>/board/", views_board.board_for_box, name="ballots_board_box"),
    path("count-boards/<int:board_id>/", views_board.board, name="ballots_board"),
    path("count-boards/<int:board_id>/close/", views_board.board_close, name="ballots_board_close"),
    path(
        "count-boards/<int:board_id>/projector/", views_board.board_projector, name="ballots_board_projector"
    ),
    path(
        "count-boards/<int:board_id>/projector/totals/",
        views_board.board_projector_totals,
        name="ballots_board_projector_totals",
    ),
    path(
        "board-ballots/<int:ballot_id>/take-back/", views_board.board_withdraw, name="ballots_board_withdraw"
    ),
    path("board-ballots/<int:ballot_id>/correct/", views_board.board_correct, name="ballots_board_correct"),
    path("results/<int:result_id>/ties/<int:index>/", views_board.tie_revote, name="ballots_tie_revote"),
]
