from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    """逐级上报 — statistics returns submitted up the hierarchy, reviewed, sent back or accepted."""

    name = "election_admin.returns"
    label = "returns"
    verbose_name = _("Statistics returns")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The progress dashboards show who has and has not reported through this hook, without importing
        # this app.
        from election_admin.selectors_dashboard import register_dashboard_extension

        from .dashboard import dashboard_extension

        register_dashboard_extension(dashboard_extension)
