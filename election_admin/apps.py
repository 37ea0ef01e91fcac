from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionAdminConfig(AppConfig):
    name = "election_admin"
    verbose_name = _("Elections")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signals  # noqa: F401  (deploy checks; sign-in/out audit receivers)
