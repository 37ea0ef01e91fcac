from django.urls import path

from . import views, views_complaints, views_records

urlpatterns = [
    path("", views.home, name="supervision_home"),
    path("mine/", views.my_responsibilities, name="supervision_mine"),
    path("cycles/<int:cycle_id>/", views.cycle_overview, name="supervision_cycle"),
    path("cycles/<int:cycle_id>/assign/<str:code>/", views.assign, name="supervision_assign"),
    path("cycles/<int:cycle_id>/complaints/", views_complaints.complaint_list, name="supervision_complaints"),
    path(
        "cycles/<int:cycle_id>/complaints/new/",
        views_complaints.complaint_create,
        name="supervision_complaint_create",
    ),
    path("cycles/<int:cycle_id>/visits/", views_complaints.visit_list, name="supervision_visits"),
    path("cycles/<int:cycle_id>/settings/", views_complaints.settings_edit, name="supervision_settings"),
    path("cycles/<int:cycle_id>/targets/", views_records.targets, name="supervision_targets"),
    path("leaders/<int:leader_id>/", views.leader_detail, name="supervision_leader_detail"),
    path(
        "complaints/<int:complaint_id>/",
        views_complaints.complaint_detail,
        name="supervision_complaint_detail",
    ),
    path(
        "visits/<int:visit_id>/follow-up/",
        views_complaints.visit_follow_up,
        name="supervision_visit_follow_up",
    ),
    path("elections/<int:election_id>/", views_records.election_supervision, name="supervision_election"),
    path(
        "elections/<int:election_id>/record/",
        views_records.election_record,
        name="supervision_election_record",
    ),
    path("elections/<int:election_id>/handover/", views_records.handover_edit, name="supervision_handover"),
    path("reports/<str:code>/", views_records.report_list, name="supervision_report_list"),
    path("reserves/<str:code>/", views_records.reserves, name="supervision_reserves"),
    path(
        "reserves/remove/<int:reserve_id>/", views_records.reserve_remove, name="supervision_reserve_remove"
    ),
]
