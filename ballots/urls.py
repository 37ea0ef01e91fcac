from django.urls import include, path

from . import views

urlpatterns = [
    path("elections/<int:election_id>/election-day/", views.election_day, name="ballots_election_day"),
    path("elections/<int:election_id>/count-staff/add/", views.count_staff_create, name="ballots_staff_add"),
    path("elections/<int:election_id>/proxies/add/", views.proxy_create, name="ballots_proxy_add"),
    path("elections/<int:election_id>/tally-report/", views.tally_report, name="ballots_tally_report"),
    path("ballot-boxes/<int:box_id>/tally/", views.tally_entry, name="ballots_tally_entry"),
    path("tally-sheets/<int:sheet_id>/compare/", views.tally_compare, name="ballots_tally_compare"),
    path("elections/<int:election_id>/results/", views.results, name="ballots_results"),
    path(
        "elections/<int:election_id>/results/compute/", views.results_compute, name="ballots_results_compute"
    ),
    path("results/<int:result_id>/certify/", views.results_certify, name="ballots_results_certify"),
    path("results/<int:result_id>/certificates/", views.certificates, name="ballots_certificates"),
    path("", include("ballots.urls_board")),
    path("", include("ballots.urls_area")),
    path("", include("ballots.urls_papers")),
    path("", include("ballots.urls_lists")),
]
