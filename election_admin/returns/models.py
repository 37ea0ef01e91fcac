"""Returns up the hierarchy (逐级上报): a region's frozen figures for a cycle, submitted to the bureau above,
which accepts them or sends them back with a comment. Every submission is a new version; none is ever
changed after it is submitted except for its review."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from election_admin.choices import RegionLevel
from election_admin.models import Cycle, Region
from election_admin.scoping import RegionScopedQuerySet

from .choices import RETURN_ROLES, ReturnAction, ReturnStatus


class ReturnQuerySet(RegionScopedQuerySet):
    def visible_to(self, user):
        """Returns of the user's area (their own region's and those below), for township staff and above."""
        if user is None or not user.is_authenticated or user.role not in RETURN_ROLES:
            return self.none()
        return super().visible_to(user)

    def current(self):
        return self.filter(is_current=True)


class Return(models.Model):
    """报表 (逐级上报) — one version of a region's return for a cycle: the figures as they stood when it was
    submitted (``figures``, with their SHA-256 and the time they were read), who submitted it and who
    reviewed it. A re-submission is a new version; the older ones stay, no longer current.

    ``children`` lists the returns of the regions below this one that it rests on (region, name, return
    id, version, status when submitted); ``missing`` the regions below whose return was not accepted at
    submission, explained in ``missing_explanation``."""

    region_lookup = "region__code"

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(_("current version"), default=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ReturnStatus.choices, default=ReturnStatus.SUBMITTED
    )
    figures = models.JSONField(_("figures"), default=dict)
    figure_labels = models.JSONField(_("figure names"), default=dict)
    figures_sha256 = models.CharField(_("SHA-256 of the figures"), max_length=64)
    figures_at = models.DateTimeField(_("figures read at"))
    children = models.JSONField(_("returns below it rests on"), default=list, blank=True)
    missing = models.JSONField(_("returns below not accepted at submission"), default=list, blank=True)
    missing_explanation = models.TextField(_("explanation of the missing returns"), blank=True)
    note = models.TextField(_("note of the submitter"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    objects = ReturnQuerySet.as_manager()

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["cycle_id", "region_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "region", "version"], name="return_unique_version"),
            models.UniqueConstraint(
                fields=["cycle", "region"], condition=Q(is_current=True), name="return_one_current"
            ),
            models.CheckConstraint(
                name="return_sent_back_has_comment",
                condition=~Q(status=ReturnStatus.SENT_BACK) | ~Q(review_comment=""),
            ),
            models.CheckConstraint(
                name="return_reviewed_has_reviewer",
                condition=Q(status__in=[ReturnStatus.SUBMITTED, ReturnStatus.SUPERSEDED])
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} · {self.cycle.name} · v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("returns_detail", args=[self.pk])

    @property
    def is_open_for_review(self) -> bool:
        return self.is_current and self.status == ReturnStatus.SUBMITTED


class ReturnEvent(models.Model):
    """报表记录 — one step in a return's history: submitted, re-submitted, sent back (with the comment),
    accepted; who did it and when."""

    region_lookup = "return_obj__region__code"

    return_obj = models.ForeignKey(
        Return, verbose_name=_("return"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=12, choices=ReturnAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("return history entry")
        verbose_name_plural = _("return history")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.return_obj_id} {self.action}"


class ReturnDueDate(models.Model):
    """上报时限 — by when the returns of one level (townships, counties or cities) are due in a cycle, set by
    the bureau of the cycle's area. A region below that level which has not reported (or whose return was
    sent back and not yet submitted again) after the date is overdue."""

    region_lookup = "cycle__region__code"

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices)
    due_on = models.DateField(_("due on"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("return due date")
        verbose_name_plural = _("return due dates")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "level"], name="return_due_date_unique_level"),
            models.CheckConstraint(
                name="return_due_date_level_reports",
                condition=Q(level__in=[RegionLevel.TOWNSHIP, RegionLevel.COUNTY, RegionLevel.CITY]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.get_level_display()} {self.due_on}"
