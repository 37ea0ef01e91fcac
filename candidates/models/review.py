"""Qualification review (资格审查) by the township, and the county's joint review (联审) by departments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from election_admin.models import Cycle, Region

from ..choices import JointReviewStatus, Outcome
from ..scoping import CandidatesQuerySet
from .lists import Department, NegativeListItem


class QualificationReview(models.Model):
    """资格审查 — the township's preliminary review of one candidate: pass, or fail on a negative-list ground."""

    region_lookup = "candidate__election__region__code"

    candidate = models.OneToOneField(
        "candidates.Candidate",
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="qualification_review",
    )
    outcome = models.CharField(_("outcome"), max_length=5, choices=Outcome.choices)
    negative_item = models.ForeignKey(
        NegativeListItem,
        verbose_name=_("ground"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("details"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)

    objects = CandidatesQuerySet.as_manager()

    class Meta:
        verbose_name = _("qualification review")
        verbose_name_plural = _("qualification reviews")
        constraints = [
            models.CheckConstraint(
                name="qualification_fail_has_ground",
                condition=Q(outcome=Outcome.PASS) | Q(negative_item__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.outcome}"


class JointReview(models.Model):
    """联审 — one batch of a county's joint review: the departments that check, the candidates sent to it.

    Candidates that passed the township review join the county's open batch; each department gives a
    verdict on each; only the county bureau closes the batch, which passes or strikes every candidate."""

    region_lookup = "region__code"

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("batch"))
    departments = models.ManyToManyField(Department, verbose_name=_("departments"), related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=JointReviewStatus.choices, default=JointReviewStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = CandidatesQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint review")
        verbose_name_plural = _("joint reviews")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "region", "number"], name="joint_review_number_unique"),
            models.UniqueConstraint(
                fields=["cycle", "region"],
                condition=Q(status=JointReviewStatus.OPEN),
                name="joint_review_one_open_per_county",
            ),
            models.CheckConstraint(
                name="joint_review_closed_has_time",
                condition=Q(status=JointReviewStatus.OPEN) | Q(closed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} 联审 #{self.number}"

    @staticmethod
    def department_filter(user) -> dict:
        """A department reviewer sees the batches their department takes part in."""
        return {"departments__code": user.department_code}

    @property
    def is_open(self) -> bool:
        return self.status == JointReviewStatus.OPEN


class DepartmentVerdict(models.Model):
    """联审意见 — one department's pass or fail on one candidate, entered by that department's staff or
    by the county bureau on its behalf from the department's paper reply (its reference kept)."""

    region_lookup = "candidate__election__region__code"

    joint_review = models.ForeignKey(
        JointReview, verbose_name=_("joint review"), on_delete=models.PROTECT, related_name="verdicts"
    )
    candidate = models.ForeignKey(
        "candidates.Candidate", verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="verdicts"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=5, choices=Outcome.choices)
    negative_item = models.ForeignKey(
        NegativeListItem,
        verbose_name=_("ground"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("details"), max_length=300, blank=True)
    is_on_behalf = models.BooleanField(_("entered by the bureau on the department's behalf"), default=False)
    paper_reference = models.CharField(_("reference of the department's reply"), max_length=100, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    objects = CandidatesQuerySet.as_manager()

    class Meta:
        verbose_name = _("department verdict")
        verbose_name_plural = _("department verdicts")
        constraints = [
            models.UniqueConstraint(
                fields=["joint_review", "candidate", "department"], name="verdict_once_per_department"
            ),
            models.CheckConstraint(
                name="verdict_fail_has_ground",
                condition=Q(outcome=Outcome.PASS) | Q(negative_item__isnull=False),
            ),
            models.CheckConstraint(
                name="verdict_on_behalf_has_reference",
                condition=Q(is_on_behalf=False) | ~Q(paper_reference=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.candidate_id} {self.outcome}"

    @staticmethod
    def department_filter(user) -> dict:
        """A department reviewer sees its own department's verdicts only."""
        return {"department__code": user.department_code}
