from django.urls import path

from . import views

urlpatterns = [
    path("", views.event_list, name="audit_event_list"),
    path("<int:sequence>/", views.event_detail, name="audit_event_detail"),
]
