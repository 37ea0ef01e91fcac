from django.urls import path

from . import views, views_roll

urlpatterns = [
    path("elections/<int:election_id>/voters/", views.voter_roll, name="voter_roll"),
    path("elections/<int:election_id>/voters/new/", views.voter_create, name="voter_create"),
    path("elections/<int:election_id>/voters/id-check/", views.voter_id_check, name="voter_id_check"),
    path("elections/<int:election_id>/voters/import/", views_roll.voter_import, name="voter_import"),
    path("elections/<int:election_id>/voters/publish/", views_roll.roll_publish, name="roll_publish"),
    path(
        "elections/<int:election_id>/voters/supplement/", views_roll.roll_supplement, name="roll_supplement"
    ),
    path("elections/<int:election_id>/voters/cards/", views_roll.voter_cards, name="voter_cards"),
    path("elections/<int:election_id>/voters/export.xlsx", views_roll.voter_export, name="voter_export"),
    path(
        "elections/<int:election_id>/voters/carry-over/", views_roll.roll_carry_over, name="roll_carry_over"
    ),
    path("elections/<int:election_id>/objections/", views_roll.objection_list, name="objection_list"),
    path("objections/<int:objection_id>/", views_roll.objection_detail, name="objection_detail"),
    path("voter-imports/<int:import_id>/", views_roll.voter_import_detail, name="voter_import_detail"),
    path(
        "voter-imports/<int:import_id>/confirm/", views_roll.voter_import_confirm, name="voter_import_confirm"
    ),
    path("voters/template.xlsx", views.voter_template, name="voter_template"),
    path("voters/check-card/", views.voter_card_check, name="voter_card_check"),
    path("voters/<int:voter_id>/", views.voter_edit, name="voter_edit"),
    path("voters/<int:voter_id>/strike/", views.voter_strike, name="voter_strike"),
    path("voters/<int:voter_id>/restore/", views.voter_restore, name="voter_restore"),
    path("voters/<int:voter_id>/reveal/", views.voter_reveal, name="voter_reveal"),
]
