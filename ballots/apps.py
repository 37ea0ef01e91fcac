from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    """Election day and the count (投票与计票): venues, boxes, proxies, tally sheets, results."""

    name = "ballots"
    verbose_name = _("Election day and the count")
    default_auto_field = "django.db.models.BigAutoField"
