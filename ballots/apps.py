from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    """Election day and the count (投票与计票): venues, boxes, proxies, tally sheets, results."""

    name = "ballots"
    verbose_name = _("Election day and the count")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from election_admin.selectors_dashboard import register_dashboard_extension

        from .triggers import install_after_migrate

        # Certified results read-only in the database too (ballots/triggers.py).
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="ballots_certified_read_only")

        from .services.area_documents import area_dashboard_panel

        register_dashboard_extension(area_dashboard_panel)
