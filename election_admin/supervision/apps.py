from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "election_admin.supervision"
    label = "supervision"
    verbose_name = _("Supervision of the round")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The progress dashboards (election_admin) show who is responsible, visit coverage, serious
        # complaints and late handovers through this hook, without importing this app.
        from election_admin.selectors_dashboard import register_dashboard_extension

        from .dashboard import dashboard_extension

        register_dashboard_extension(dashboard_extension)
