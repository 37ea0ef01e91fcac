"""Objections (申诉) against a published roll: filed within the window, decided within the answer time."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from election_admin.models import Cycle, Document, Election, Region
from election_admin.scoping import RegionScopedQuerySet

from ..choices import Category, ObjectionDecision, ObjectionKind, RollKind
from .voters import Voter


class ObjectionQuerySet(RegionScopedQuerySet):
    def open(self):
        return self.filter(decided_on__isnull=True)

    def overdue(self, today):
        """Not yet decided although the answer time has passed."""
        return self.filter(decided_on__isnull=True, due_on__lt=today)


class Objection(models.Model):
    """申诉 — a voter's challenge to the roll: someone included wrongly, left out, or with wrong details.

    For an exclusion the proposed person is kept like a voter's data (masked and encrypted ID); when the
    objection is upheld, ``objection_decide`` registers, strikes or corrects in the same transaction.
    """

    region_lookup = "region__code"

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        Region, verbose_name=_("village or community"), on_delete=models.PROTECT, related_name="+"
    )
    roll = models.CharField(_("roll"), max_length=10, choices=RollKind.choices)
    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ObjectionKind.choices)
    filed_by = models.CharField(_("filed by"), max_length=50)
    filed_on = models.DateField(_("received on"))
    voter = models.ForeignKey(
        Voter,
        verbose_name=_("voter concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
    )
    proposed_name = models.CharField(_("person to add"), max_length=30, blank=True)
    proposed_id_hash = models.CharField(max_length=64, blank=True)
    proposed_id_masked = models.CharField(_("ID number"), max_length=18, blank=True)
    proposed_id_encrypted = models.TextField(blank=True)
    proposed_group = models.CharField(_("villagers' group"), max_length=50, blank=True)
    proposed_category = models.CharField(
        _("registration category"), max_length=25, choices=Category.choices, default=Category.RESIDENT
    )
    proposed_approval_reference = models.CharField(_("approval reference"), max_length=100, blank=True)
    corrections = models.JSONField(_("corrections asked for"), default=dict, blank=True)
    grounds = models.TextField(_("grounds"))
    due_on = models.DateField(_("to be decided by"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=ObjectionDecision.choices, blank=True)
    decision_text = models.TextField(_("decision and reasons"), blank=True)
    decision_document = models.ForeignKey(
        Document,
        verbose_name=_("decision notice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.CheckConstraint(name="objection_kind_known", condition=Q(kind__in=ObjectionKind.values)),
            models.CheckConstraint(
                name="objection_decided_has_decision",
                condition=Q(decided_on__isnull=True, decision="")
                | Q(decided_on__isnull=False, decision__in=ObjectionDecision.values),
            ),
            models.CheckConstraint(
                name="objection_due_after_filed", condition=Q(due_on__gte=models.F("filed_on"))
            ),
            models.CheckConstraint(
                name="objection_subject_given",
                condition=Q(kind=ObjectionKind.EXCLUSION, voter__isnull=True)
                | (~Q(kind=ObjectionKind.EXCLUSION) & Q(voter__isnull=False)),
            ),
        ]
        indexes = [models.Index(fields=["decided_on", "due_on"], name="objection_open_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.filed_by} · {self.filed_on:%Y-%m-%d}"

    @property
    def subject_name(self) -> str:
        return self.voter.name if self.voter_id else self.proposed_name

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None
