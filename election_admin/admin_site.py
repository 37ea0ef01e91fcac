"""The Django admin is for system administrators only (and lives at ADMIN_URL_PATH, not /admin/)."""

from django.contrib import admin

from .choices import Role


def _system_admins_only(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_authenticated and user.role == Role.SYSTEM_ADMIN and user.is_staff)


def restrict_admin_site(site: admin.AdminSite) -> None:
    site.has_permission = _system_admins_only
    site.site_header = site.site_title = "系统管理"
