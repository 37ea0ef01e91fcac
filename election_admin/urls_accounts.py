from django.contrib.auth import views as auth_views
from django.urls import path

from . import views_accounts

urlpatterns = [
    path("login/", views_accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views_accounts.password_change_view, name="password_change"),
    path("two-factor/", views_accounts.two_factor_view, name="two_factor"),
]
