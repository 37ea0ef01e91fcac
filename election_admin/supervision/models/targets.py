"""Composition targets (结构目标) per cycle and body, and the villages' reserve pools (后备人才库)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidates.choices import Education, PartyMembership
from election_admin.choices_cycles import Body
from election_admin.models import Cycle, Region
from election_admin.scoping import RegionScopedQuerySet
from voters.choices import Gender

from ..choices import ReservePost, TargetKind


class CompositionTarget(models.Model):
    """结构目标 — one composition target a county sets for one body in a cycle: at least ``minimum`` women,
    at least ``minimum`` members aged ``age_max`` or under on election day, or the party secretary standing
    for chair (一肩挑). Evaluated on each election's candidate list and, once counted, on its result."""

    region_lookup = "cycle__region__code"

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("body"), max_length=25, choices=Body.choices)
    kind = models.CharField(_("target"), max_length=12, choices=TargetKind.choices)
    is_active = models.BooleanField(_("applies"), default=True)
    minimum = models.PositiveSmallIntegerField(_("at least"), default=1)
    age_max = models.PositiveSmallIntegerField(_("aged at most"), default=35)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("composition target")
        verbose_name_plural = _("composition targets")
        ordering = ["cycle", "body", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "body", "kind"], name="target_once_per_cycle_body"),
            models.CheckConstraint(name="target_kind_known", condition=Q(kind__in=TargetKind.values)),
            models.CheckConstraint(name="target_minimum_bounds", condition=Q(minimum__gte=1, minimum__lte=9)),
            models.CheckConstraint(name="target_age_bounds", condition=Q(age_max__gte=18, age_max__lte=60)),
        ]

    def __str__(self) -> str:
        return f"{self.get_body_display()} · {self.get_kind_display()}"


class Reserve(models.Model):
    """后备人才 — one person in a village's reserve pool for a post: gender, birth date or age, education and
    party membership, so that the county can count its reserves per post."""

    region_lookup = "region__code"

    region = models.ForeignKey(
        Region, verbose_name=_("village or community"), on_delete=models.PROTECT, related_name="+"
    )
    post = models.CharField(_("groomed for"), max_length=20, choices=ReservePost.choices)
    name = models.CharField(_("name"), max_length=30)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    age = models.PositiveSmallIntegerField(_("age when recorded"), null=True, blank=True)
    education = models.CharField(_("education"), max_length=15, choices=Education.choices)
    party_membership = models.CharField(
        _("party membership"), max_length=20, choices=PartyMembership.choices, default=PartyMembership.NONE
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in the pool"), default=True)
    removed_reason = models.CharField(_("why removed"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_on = models.DateField(_("added on"))

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reserve")
        verbose_name_plural = _("reserve pool")
        ordering = ["region_id", "post", "name"]
        constraints = [
            models.CheckConstraint(
                name="reserve_birth_date_or_age", condition=Q(birth_date__isnull=False) | Q(age__isnull=False)
            ),
            models.CheckConstraint(name="reserve_post_known", condition=Q(post__in=ReservePost.values)),
            models.CheckConstraint(name="reserve_gender_known", condition=Q(gender__in=Gender.values)),
            models.CheckConstraint(
                name="reserve_removed_has_reason", condition=Q(is_active=True) | ~Q(removed_reason="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_post_display()}"

    def age_on(self, day: date) -> int | None:
        if self.birth_date is not None:
            years = day.year - self.birth_date.year
            return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
        if self.age is not None:
            return self.age + max(0, day.year - self.added_on.year)
        return None
