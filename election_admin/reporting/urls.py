from django.urls import path

from . import views

urlpatterns = [
    path("", views.statistics_home, name="statistics_home"),
    path("<int:cycle_id>/<str:code>/", views.statistics_region, name="statistics_region"),
    path(
        "<int:cycle_id>/<str:code>/villages/<str:group>/<str:figure>/",
        views.statistics_villages,
        name="statistics_villages",
    ),
    path(
        "<int:cycle_id>/<str:code>/people/<str:group>/<str:figure>/",
        views.statistics_people,
        name="statistics_people",
    ),
    path("<int:cycle_id>/<str:code>/workbook/", views.statistics_workbook, name="statistics_workbook"),
    path("elections/<int:pk>/members/", views.election_members, name="statistics_election_members"),
    path("previous-template/", views.previous_template, name="statistics_previous_template"),
    path("previous/<int:cycle_id>/", views.previous_import, name="statistics_previous_import"),
]
