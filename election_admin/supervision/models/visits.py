"""Supervision visits (督导检查): a supervision group's visit to a village, its findings and follow-up."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from election_admin.models import Cycle, Region
from election_admin.scoping import RegionScopedQuerySet


class SupervisionVisit(models.Model):
    """督导检查 — one visit of a supervision group (督导组) to a village: when, who, what it found and what
    must follow. The dashboards count villages visited against villages."""

    region_lookup = "region__code"

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        Region, verbose_name=_("village or community"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("visited on"))
    group_name = models.CharField(_("supervision group"), max_length=50)
    members = models.CharField(_("members of the group"), max_length=200, blank=True)
    findings = models.TextField(_("findings"))
    follow_up = models.TextField(_("follow-up required"), blank=True)
    follow_up_done_on = models.DateField(_("follow-up done on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="visit_follow_up_after_visit",
                condition=Q(follow_up_done_on__isnull=True) | Q(follow_up_done_on__gte=F("visited_on")),
            ),
        ]
        indexes = [models.Index(fields=["cycle", "region"], name="visit_cycle_region_idx")]

    def __str__(self) -> str:
        return f"{self.region.name} · {self.visited_on:%Y-%m-%d} · {self.group_name}"
