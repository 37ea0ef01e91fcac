from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views, views_documents
from .admin_site import restrict_admin_site

restrict_admin_site(admin.site)

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("election_admin.urls_accounts")),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("staff/", include("election_admin.urls_staff")),
    path("", include("election_admin.urls_cycles")),
    path("", include("voters.urls")),
    path("", include("ballots.urls")),
    path("", include("candidates.urls")),
    path("supervision/", include("election_admin.supervision.urls")),
    path("statistics/", include("election_admin.reporting.urls")),
    path("returns/", include("election_admin.returns.urls")),
    path("documents/<int:pk>/download/", views_documents.document_download, name="document_download"),
    path("verify/<str:short_code>/", views_documents.document_verify, name="document_verify"),
    path("audit/", include("audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL_PATH, admin.site.urls),
]
