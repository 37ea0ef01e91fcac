"""Handover and departure (工作移交、离任审计、离任证书) of the outgoing committee of one election."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from election_admin.models import Document, Election
from election_admin.scoping import RegionScopedQuerySet

from ..choices import HandoverItem

ITEM_FIELDS = {
    HandoverItem.SEAL: "seal_on",
    HandoverItem.ACCOUNTS: "accounts_on",
    HandoverItem.FILES: "files_on",
    HandoverItem.ASSETS: "assets_on",
}


class Handover(models.Model):
    """工作移交 — the outgoing committee's departure audit (离任审计: done, result published) and its handover
    of seal, accounts, files and assets to the newly elected committee, each with its date.

    Due ``rule_set.handover_days`` after the results (the new committee takes office); where the rule set
    says ``seal_same_day`` the seal is due on the day of the results itself."""

    region_lookup = "election__region__code"

    election = models.OneToOneField(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="+"
    )
    audit_done_on = models.DateField(_("departure audit done on"), null=True, blank=True)
    audit_published_on = models.DateField(_("audit result published on"), null=True, blank=True)
    audit_result = models.CharField(_("audit result"), max_length=300, blank=True)
    seal_on = models.DateField(_("seal handed over on"), null=True, blank=True)
    accounts_on = models.DateField(_("accounts handed over on"), null=True, blank=True)
    files_on = models.DateField(_("files handed over on"), null=True, blank=True)
    assets_on = models.DateField(_("assets handed over on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    late_reason = models.CharField(_("reason for the late handover"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("recorded at"), auto_now=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            models.CheckConstraint(
                name="handover_audit_published_after_done",
                condition=Q(audit_published_on__isnull=True)
                | Q(audit_done_on__isnull=False, audit_published_on__gte=F("audit_done_on")),
            ),
        ]

    def __str__(self) -> str:
        return str(self.election)

    def item_dates(self) -> dict[str, date | None]:
        return {item: getattr(self, field) for item, field in ITEM_FIELDS.items()}

    @property
    def completed_on(self) -> date | None:
        """The day the last item was handed over (None while any is missing)."""
        dates = list(self.item_dates().values())
        return None if any(d is None for d in dates) else max(dates)

    def due_on(self) -> date | None:
        """Results day (the new committee takes office) + the rule set's handover days."""
        results_on = self.election.results_on
        if results_on is None:
            return None
        return results_on + timedelta(days=self.election.cycle.rule_set.handover_days)

    def item_due_on(self, item: str) -> date | None:
        if item == HandoverItem.SEAL and self.election.cycle.rule_set.seal_same_day:
            return self.election.results_on
        return self.due_on()

    def item_days_late(self, item: str, today: date) -> int:
        due = self.item_due_on(item)
        if due is None:
            return 0
        done = self.item_dates()[item]
        return max(0, ((done or today) - due).days)

    def days_late(self, today: date) -> int:
        return max((self.item_days_late(item, today) for item in ITEM_FIELDS), default=0)


class OutgoingMember(models.Model):
    """离任成员 — a member of the outgoing committee, for their departure certificate (离任证书)."""

    region_lookup = "handover__election__region__code"

    handover = models.ForeignKey(
        Handover, verbose_name=_("handover"), on_delete=models.PROTECT, related_name="outgoing_members"
    )
    name = models.CharField(_("name"), max_length=30)
    post = models.CharField(_("post held"), max_length=30)
    certificate = models.ForeignKey(
        Document,
        verbose_name=_("departure certificate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing member")
        verbose_name_plural = _("outgoing members")
        ordering = ["handover", "id"]
        constraints = [
            models.UniqueConstraint(fields=["handover", "name"], name="outgoing_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"
