from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="returns_home"),
    path("cycles/<int:cycle_id>/<str:code>/", views.region_returns, name="returns_region"),
    path("<int:pk>/", views.return_detail, name="returns_detail"),
    path("<int:pk>/print/", views.return_print, name="returns_print"),
]
