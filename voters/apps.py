from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotersConfig(AppConfig):
    name = "voters"
    verbose_name = _("Voter rolls")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from election_admin.selectors_dashboard import register_dashboard_extension

        from .dashboard import dashboard_extension

        register_dashboard_extension(dashboard_extension)
