from django.urls import path

from . import views_lists

urlpatterns = [
    path(
        "ballot-boxes/<int:box_id>/mobile-voters/",
        views_lists.mobile_box_voters,
        name="ballots_mobile_box_voters",
    ),
    path(
        "mobile-voters/<int:item_id>/remove/",
        views_lists.mobile_box_voter_delete,
        name="ballots_mobile_box_voter_remove",
    ),
    path(
        "ballot-boxes/<int:box_id>/mobile-voters/publish/",
        views_lists.mobile_box_publish,
        name="ballots_mobile_box_publish",
    ),
    path(
        "elections/<int:election_id>/proxies/publish/",
        views_lists.proxies_publish,
        name="ballots_proxies_publish",
    ),
]
