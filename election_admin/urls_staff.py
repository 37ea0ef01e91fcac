from django.urls import path

from . import views_staff

urlpatterns = [
    path("", views_staff.staff_list, name="staff_list"),
    path("new/", views_staff.staff_create, name="staff_create"),
    path("<int:pk>/edit/", views_staff.staff_edit, name="staff_edit"),
    path("<int:pk>/active/", views_staff.staff_toggle_active, name="staff_toggle_active"),
    path("<int:pk>/password/", views_staff.staff_reset_password, name="staff_reset_password"),
]
