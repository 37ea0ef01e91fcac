"""URLs of documents for a whole township or county (summary workbook, batch notices), and the results
page's action to request a result notice again."""

from django.urls import path

from . import views_area

urlpatterns: list = [
    path(
        "areas/<str:code>/documents/", views_area.area_documents_latest, name="ballots_area_documents_latest"
    ),
    path(
        "cycles/<int:cycle_id>/areas/<str:code>/documents/",
        views_area.area_documents,
        name="ballots_area_documents",
    ),
    path(
        "cycles/<int:cycle_id>/areas/<str:code>/summary-workbook/",
        views_area.area_summary_request,
        name="ballots_area_summary",
    ),
    path(
        "cycles/<int:cycle_id>/areas/<str:code>/result-notices/",
        views_area.area_notices_request,
        name="ballots_area_notices",
    ),
    path("results/<int:result_id>/notice/", views_area.result_notice_again, name="ballots_result_notice"),
]
