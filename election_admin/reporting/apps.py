from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """统计 — statistics of the round and of the people elected, for any region and cycle."""

    name = "election_admin.reporting"
    label = "reporting"
    verbose_name = _("Statistics of the round")
    default_auto_field = "django.db.models.BigAutoField"
