"""Complaints and petitions (信访/举报) received during a round, and the per-cycle answer time."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from election_admin.models import Cycle, Election, Region
from election_admin.scoping import RegionScopedQuerySet

from ..choices import (
    COMPLAINT_ANSWER_DAYS_BOUNDS,
    DEFAULT_COMPLAINT_ANSWER_DAYS,
    SUPERVISION_ROLES,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintOutcome,
)
from .assignments import mask_phone


class SupervisionSettings(models.Model):
    """督导设置 — the numbers of one cycle's supervision that a county sets: how many days a complaint may
    wait for its answer (default 15, see ``choices.DEFAULT_COMPLAINT_ANSWER_DAYS``)."""

    region_lookup = "cycle__region__code"

    cycle = models.OneToOneField(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="supervision_settings"
    )
    complaint_answer_days = models.PositiveSmallIntegerField(
        _("complaints answered within, days"), default=DEFAULT_COMPLAINT_ANSWER_DAYS
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision settings")
        verbose_name_plural = _("supervision settings")
        constraints = [
            models.CheckConstraint(
                name="supervision_complaint_days_bounds",
                condition=Q(
                    complaint_answer_days__gte=COMPLAINT_ANSWER_DAYS_BOUNDS[0],
                    complaint_answer_days__lte=COMPLAINT_ANSWER_DAYS_BOUNDS[1],
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.cycle)


class ComplaintQuerySet(RegionScopedQuerySet):
    def visible_to(self, user):
        """The region prefix, for township staff and above only: a village clerk never sees the register
        (complaints are often about the village's own committee, and name who complained)."""
        if user is None or not user.is_authenticated or user.role not in SUPERVISION_ROLES:
            return self.none()
        return super().visible_to(user)

    def open(self):
        return self.filter(answered_on__isnull=True)

    def serious_open(self):
        return self.filter(is_serious=True, answered_on__isnull=True)


class Complaint(models.Model):
    """信访举报 — one complaint or petition about a village's election received during a round: how it came,
    from whom (anonymous allowed), about what, who handles it, by when it must be answered, and the answer.

    ``due_on`` is fixed at receipt from the cycle's answer time; an answer after it is late by
    ``answered_on - due_on`` days. An open complaint marked serious flags its election on the dashboards
    and is returned by ``selectors.complaint_blocks_certification``."""

    region_lookup = "region__code"

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("number"))
    region = models.ForeignKey(
        Region, verbose_name=_("village or community"), on_delete=models.PROTECT, related_name="+"
    )
    election = models.ForeignKey(
        Election,
        verbose_name=_("election concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=12, choices=ComplaintChannel.choices)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    complainant = models.CharField(_("from"), max_length=50, blank=True)
    complainant_phone = models.CharField(_("complainant's phone"), max_length=20, blank=True)
    category = models.CharField(_("category"), max_length=15, choices=ComplaintCategory.choices)
    summary = models.TextField(_("what the complaint says"))
    is_serious = models.BooleanField(
        _("serious"), default=False, help_text=_("A serious open complaint flags the election.")
    )
    assigned_to = models.CharField(_("handled by"), max_length=100, blank=True)
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    due_on = models.DateField(_("to be answered by"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=ComplaintOutcome.choices, blank=True)
    answer = models.TextField(_("answer given"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="complaint_number_unique_per_cycle"),
            models.CheckConstraint(
                name="complaint_anonymous_has_no_name",
                condition=Q(is_anonymous=False, complainant__gt="")
                | Q(is_anonymous=True, complainant="", complainant_phone=""),
            ),
            models.CheckConstraint(
                name="complaint_answered_has_outcome",
                condition=Q(answered_on__isnull=True, outcome="")
                | Q(answered_on__isnull=False, outcome__in=ComplaintOutcome.values),
            ),
            models.CheckConstraint(
                name="complaint_due_after_received", condition=Q(due_on__gte=F("received_on"))
            ),
            models.CheckConstraint(
                name="complaint_answered_after_received",
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("received_on")),
            ),
            models.CheckConstraint(
                name="complaint_channel_known", condition=Q(channel__in=ComplaintChannel.values)
            ),
            models.CheckConstraint(
                name="complaint_category_known", condition=Q(category__in=ComplaintCategory.values)
            ),
        ]
        indexes = [
            models.Index(fields=["answered_on", "due_on"], name="complaint_open_due_idx"),
            models.Index(fields=["election", "is_serious"], name="complaint_election_serious_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.region.name}"

    def get_absolute_url(self) -> str:
        return reverse("supervision_complaint_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """信访编号, e.g. 2026-007 (year of receipt, number within the cycle)."""
        return f"{self.received_on:%Y}-{self.number:03d}"

    @property
    def is_open(self) -> bool:
        return self.answered_on is None

    @property
    def from_label(self) -> str:
        return str(_("Anonymous")) if self.is_anonymous else self.complainant

    @property
    def complainant_phone_masked(self) -> str:
        return mask_phone(self.complainant_phone)

    def days_late(self, today: date) -> int:
        """Days past the answer date: of the answer when answered, of today while still open."""
        end = self.answered_on or today
        return max(0, (end - self.due_on).days)
