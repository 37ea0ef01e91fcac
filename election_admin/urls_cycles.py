from django.urls import path

from . import views_cycles, views_dashboard

urlpatterns = [
    path("rulesets/", views_cycles.ruleset_list, name="ruleset_list"),
    path("rulesets/<int:pk>/", views_cycles.ruleset_detail, name="ruleset_detail"),
    path("rulesets/<int:pk>/edit/", views_cycles.ruleset_edit, name="ruleset_edit"),
    path("cycles/", views_cycles.cycle_list, name="cycle_list"),
    path("cycles/new/", views_cycles.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", views_cycles.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/days/", views_cycles.cycle_set_days, name="cycle_set_days"),
    path("cycles/<int:pk>/close/", views_cycles.cycle_close, name="cycle_close"),
    path("elections/<int:pk>/", views_cycles.election_detail, name="election_detail"),
    path("jobs/<int:pk>/", views_cycles.job_detail, name="job_detail"),
    path("progress/", views_dashboard.progress_home, name="progress_home"),
    path("progress/<str:code>/", views_dashboard.progress_region, name="progress_region"),
    path("progress/<str:code>/projector/", views_dashboard.progress_projector, name="progress_projector"),
    path("progress/<str:code>/export.xlsx", views_dashboard.progress_export, name="progress_export"),
]
