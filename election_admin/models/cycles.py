"""Election cycles (换届): one round of re-elections over an area, opened by a bureau."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import CODE_LENGTH
from ..choices_cycles import Body, CycleStatus
from ..scoping import RegionScopedQuerySet
from .regions import Region
from .rulesets import RuleSet


class CycleQuerySet(RegionScopedQuerySet):
    def visible_to(self, user):
        """Cycles inside the user's area, and those covering it (a township sees its county's cycle)."""
        if user is None or not user.is_authenticated or not user.is_active or user.area_code is None:
            return self.none()
        area = user.area_code
        if area == "":
            return self.all()
        covering = [area[:length] for length in CODE_LENGTH.values() if length < len(area)]
        return self.filter(Q(region__code__startswith=area) | Q(region_id__in=covering))


class Cycle(models.Model):
    """换届 — one round of re-elections over a county, city or province, under one rule-set version."""

    region_lookup = "region__code"

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        Region, verbose_name=_("area"), on_delete=models.PROTECT, related_name="cycles"
    )
    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="cycles"
    )
    term_start = models.DateField(_("new term starts"))
    term_years = models.PositiveSmallIntegerField(_("term, years"), default=5)
    window_start = models.DateField(_("election days from"))
    window_end = models.DateField(_("election days until"))
    bodies = models.JSONField(_("bodies elected"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    election_count = models.PositiveIntegerField(_("elections"), default=0)
    created_by = models.ForeignKey(
        "election_admin.User", verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    job = models.ForeignKey(
        "election_admin.Job",
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("election cycle")
        verbose_name_plural = _("election cycles")
        ordering = ["-window_start", "region_id"]
        constraints = [
            models.CheckConstraint(
                name="cycle_window_ordered", condition=Q(window_start__lte=models.F("window_end"))
            ),
            models.CheckConstraint(name="cycle_term_five_years", condition=Q(term_years=5)),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cycle_detail", args=[self.pk])

    def body_labels(self) -> list[str]:
        return [str(Body(b).label) for b in self.bodies]
