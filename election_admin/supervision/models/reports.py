"""Weekly progress reports (选举工作周报) of a county or city: figures, PDF and Excel, kept per ISO week."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from election_admin.models import Document, Region
from election_admin.scoping import RegionScopedQuerySet


class WeeklyReport(models.Model):
    """选举工作周报 — the report of one county or city for one ISO week (made on its Monday by Celery beat, or
    on demand): the figures as built, and the stored PDF and Excel. One per region and week: a second run
    in the same week returns the first."""

    region_lookup = "region__code"

    region = models.ForeignKey(
        Region, verbose_name=_("county or city"), on_delete=models.PROTECT, related_name="+"
    )
    week = models.CharField(_("ISO week"), max_length=8)
    report_on = models.DateField(_("report date"))
    figures = models.JSONField(_("figures"), default=dict)
    pdf = models.ForeignKey(Document, verbose_name=_("PDF"), on_delete=models.PROTECT, related_name="+")
    workbook = models.ForeignKey(
        Document, verbose_name=_("Excel sheet"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")
        ordering = ["-week", "region_id"]
        constraints = [models.UniqueConstraint(fields=["region", "week"], name="weekly_report_once_per_week")]

    def __str__(self) -> str:
        return f"{self.region.name} {self.week}"
