"""Election-day arrangements: venues, ballot boxes, count staff, proxies (委托投票) and the voters of
mobile boxes (流动票箱)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from election_admin.models import Election
from election_admin.scoping import RegionScopedQuerySet
from voters.models import Voter

from ..choices import BoxKind, StaffRole, VenueKind

ELECTION_REGION = "election__region__code"


class Venue(models.Model):
    """选举会场 — the election assembly, the central venue or a polling station (投票站)."""

    region_lookup = ELECTION_REGION

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="venues"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=VenueKind.choices)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["election", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "name"], name="venue_unique_name"),
            models.CheckConstraint(name="venue_kind_known", condition=Q(kind__in=VenueKind.values)),
        ]

    def __str__(self) -> str:
        return self.name


class BallotBox(models.Model):
    """票箱 — a fixed box at a venue or a mobile box (流动票箱, at least three scrutineers)."""

    region_lookup = ELECTION_REGION

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="ballot_boxes"
    )
    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="boxes")
    kind = models.CharField(_("kind"), max_length=10, choices=BoxKind.choices, default=BoxKind.FIXED)
    label = models.CharField(_("label"), max_length=50)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ballot box")
        verbose_name_plural = _("ballot boxes")
        ordering = ["election", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "label"], name="ballot_box_unique_label"),
            models.CheckConstraint(name="ballot_box_kind_known", condition=Q(kind__in=BoxKind.values)),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_mobile(self) -> bool:
        return self.kind == BoxKind.MOBILE


class CountStaff(models.Model):
    """唱票、计票、监票人员 and 代写人 — staff of the count and ballot writers; never a candidate or a
    candidate's close relative."""

    region_lookup = ELECTION_REGION

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="count_staff"
    )
    box = models.ForeignKey(
        BallotBox,
        verbose_name=_("ballot box"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    role = models.CharField(_("role"), max_length=16, choices=StaffRole.choices)
    name = models.CharField(_("name"), max_length=30)
    voter = models.ForeignKey(
        Voter, verbose_name=_("voter"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("count staff")
        verbose_name_plural = _("count staff")
        ordering = ["election", "role", "id"]
        constraints = [
            models.CheckConstraint(name="count_staff_role_known", condition=Q(role__in=StaffRole.values)),
        ]

    def __str__(self) -> str:
        return self.name


class Proxy(models.Model):
    """委托投票 — a voter away on election day asks a close relative on the same roll to vote for them."""

    region_lookup = ELECTION_REGION

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="proxies"
    )
    principal = models.ForeignKey(
        Voter, verbose_name=_("voter away (principal)"), on_delete=models.PROTECT, related_name="+"
    )
    proxy = models.ForeignKey(Voter, verbose_name=_("proxy"), on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(_("relation"), max_length=30)
    filed_on = models.DateField(_("filed on"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        ordering = ["election", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "principal"], name="proxy_one_per_principal"),
            models.CheckConstraint(name="proxy_not_self", condition=~Q(principal=F("proxy"))),
        ]

    def __str__(self) -> str:
        return f"{self.principal_id} → {self.proxy_id}"


class MobileBoxVoter(models.Model):
    """流动票箱投票选民 — a voter who votes at a mobile ballot box (ill, old, far away); the list of a mobile
    box is approved by the township and published before election day (ZJ §24). A voter is on at most
    one mobile box of an election."""

    region_lookup = ELECTION_REGION

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="mobile_box_voters"
    )
    box = models.ForeignKey(
        BallotBox, verbose_name=_("ballot box"), on_delete=models.PROTECT, related_name="mobile_voters"
    )
    voter = models.ForeignKey(Voter, verbose_name=_("voter"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("why at the mobile box"), max_length=60, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mobile ballot box voter")
        verbose_name_plural = _("mobile ballot box voters")
        ordering = ["box", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "voter"], name="mobile_box_voter_once_per_election"),
        ]

    def __str__(self) -> str:
        return f"{self.box_id}: {self.voter_id}"
