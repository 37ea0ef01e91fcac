from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """统计 — statistics of the round and of the people elected, for any region and cycle."""

    name = "election_admin.reporting"
    label = "reporting"
    verbose_name = _("Statistics of the round")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ballots.signals import result_certified

        from .services import on_result_certified

        # Record the people elected once a round's result is certified (after the commit).
        result_certified.connect(on_result_certified, dispatch_uid="reporting.members_record")
