"""选举结果 — the computed, reviewed and certified outcome of one round of an election."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from election_admin.models import Election
from election_admin.scoping import RegionScopedQuerySet

from ..choices import FIRST_ROUND, RUNOFF_ROUND, ResultStatus


class RoundResult(models.Model):
    """选举结果 — one version of the outcome of round 1 or the run-off (另行选举), computed by the counting
    rules from the agreed tally sheets. Certified is final: a correction is a new version that
    supersedes it (``is_current``), audited."""

    region_lookup = "election__region__code"

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="round_results"
    )
    round_number = models.PositiveSmallIntegerField(_("round"), default=FIRST_ROUND)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ResultStatus.choices, default=ResultStatus.COMPUTED
    )
    totals = models.JSONField(_("totals"), default=dict)
    outcome = models.JSONField(_("outcome"), default=dict)
    correction_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("computed by"), on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("certified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    certified_at = models.DateTimeField(_("certified at"), null=True, blank=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("round result")
        verbose_name_plural = _("round results")
        ordering = ["election", "round_number", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "round_number", "version"], name="round_result_unique_version"
            ),
            models.UniqueConstraint(
                fields=["election", "round_number"],
                condition=Q(is_current=True),
                name="round_result_one_current",
            ),
            models.CheckConstraint(
                name="round_result_round_known", condition=Q(round_number__in=[FIRST_ROUND, RUNOFF_ROUND])
            ),
            models.CheckConstraint(
                name="round_result_certified_has_certifier",
                condition=~Q(status=ResultStatus.CERTIFIED) | Q(certified_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.election} · {self.round_number} · v{self.version}"

    @property
    def is_certified(self) -> bool:
        return self.status == ResultStatus.CERTIFIED
