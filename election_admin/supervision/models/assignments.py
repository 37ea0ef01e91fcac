"""Responsibility assignments (包保责任制): the leaders and resident cadres who answer for townships and
villages in a round."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from election_admin.models import Cycle, Region
from election_admin.scoping import RegionScopedQuerySet

from ..choices import AssignmentKind


def mask_phone(phone: str) -> str:
    """138****5678 — the first three and last four digits of a phone; short numbers keep only the last two."""
    phone = (phone or "").strip()
    if len(phone) >= 11:
        return f"{phone[:3]}****{phone[-4:]}"
    if len(phone) > 2:
        return "*" * (len(phone) - 2) + phone[-2:]
    return phone


class Leader(models.Model):
    """包保责任人 — a county or township leader or a resident cadre (驻村干部): name, title and phone.

    ``region`` is the unit the person works for (the county for county leaders, the township for township
    leaders and resident cadres); ``user`` links the person to a staff account when they have one, so that
    their own page lists what they answer for."""

    region_lookup = "region__code"

    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=30)
    title = models.CharField(_("title"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("responsible leader")
        verbose_name_plural = _("responsible leaders")
        ordering = ["region_id", "name"]
        constraints = [
            # Namesakes in one unit are told apart in the name itself, e.g. 王伟（农业站）.
            models.UniqueConstraint(fields=["region", "name"], name="leader_unique_name_per_unit"),
            models.CheckConstraint(name="leader_name_given", condition=~Q(name="")),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）" if self.title else self.name

    def get_absolute_url(self) -> str:
        return reverse("supervision_leader_detail", args=[self.pk])

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Assignment(models.Model):
    """包保 — one leader answering for one township (a county leader) or one village (a township leader or
    a resident cadre) in one cycle. One of each kind per unit and cycle."""

    region_lookup = "region__code"

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        Region, verbose_name=_("township or village"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("responsibility"), max_length=20, choices=AssignmentKind.choices)
    leader = models.ForeignKey(
        Leader, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("responsibility assignment")
        verbose_name_plural = _("responsibility assignments")
        ordering = ["cycle", "region_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "region", "kind"], name="assignment_one_per_kind"),
            models.CheckConstraint(name="assignment_kind_known", condition=Q(kind__in=AssignmentKind.values)),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} · {self.get_kind_display()} · {self.leader.name}"
