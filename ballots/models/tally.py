"""计票单 — one tally sheet per ballot box and round, entered twice by two different people."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from election_admin.models import Election
from election_admin.scoping import RegionScopedQuerySet

from ..choices import FIRST_ROUND, RUNOFF_ROUND, SheetStatus
from .venues import BallotBox


def _figure(label):
    # Blank until entered (never 0 by default); PositiveIntegerField also gives a >= 0 CHECK.
    return models.PositiveIntegerField(label, null=True, blank=True)


def _figure_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            name=f"{prefix}_figures_not_negative",
            condition=(Q(voted__isnull=True) | Q(voted__gte=0))
            & (Q(issued__isnull=True) | Q(issued__gte=0))
            & (Q(returned__isnull=True) | Q(returned__gte=0))
            & (Q(invalid__isnull=True) | Q(invalid__gte=0)),
        ),
        models.CheckConstraint(
            name=f"{prefix}_invalid_le_returned",
            condition=Q(invalid__isnull=True) | Q(returned__isnull=True) | Q(invalid__lte=F("returned")),
        ),
    ]


class TallySheet(models.Model):
    """计票单 — the count of one ballot box in one round; its figures are set only once agreed.

    ``version`` grows with every entry or resolution, so a page saved from an older state is told."""

    region_lookup = "election__region__code"

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="tally_sheets"
    )
    box = models.ForeignKey(
        BallotBox, verbose_name=_("ballot box"), on_delete=models.PROTECT, related_name="sheets"
    )
    round_number = models.PositiveSmallIntegerField(_("round"), default=FIRST_ROUND)
    status = models.CharField(
        _("status"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.OPEN
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    voted = _figure(_("voters who voted"))
    issued = _figure(_("ballots issued"))
    returned = _figure(_("ballots returned"))
    invalid = _figure(_("invalid ballots"))
    votes = models.JSONField(_("votes"), default=dict, blank=True)
    # Ballots valid as a whole but void for one post (over-voted there): ``post -> n``; only the live
    # count board (唱票) knows them, a paper tally sheet leaves this empty.
    post_void = models.JSONField(_("ballots void for one post"), default=dict, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution_note = models.CharField(_("resolution note"), max_length=300, blank=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tally sheet")
        verbose_name_plural = _("tally sheets")
        ordering = ["election", "round_number", "box"]
        constraints = [
            models.UniqueConstraint(fields=["box", "round_number"], name="tally_sheet_one_per_box_round"),
            models.CheckConstraint(
                name="tally_sheet_round_known", condition=Q(round_number__in=[FIRST_ROUND, RUNOFF_ROUND])
            ),
            models.CheckConstraint(
                name="tally_sheet_agreed_has_figures",
                condition=~Q(status=SheetStatus.AGREED)
                | Q(voted__isnull=False, issued__isnull=False, returned__isnull=False, invalid__isnull=False),
            ),
            *_figure_constraints("tally_sheet"),
        ]

    def __str__(self) -> str:
        return f"{self.box} · {self.round_number}"


class TallyEntry(models.Model):
    """一次录入 — one person's entry of a tally sheet; two entries by different people must agree.

    ``votes`` maps ``"post|person"`` (person: candidate id or ``write_in:<name>``) to votes."""

    region_lookup = "sheet__election__region__code"

    sheet = models.ForeignKey(
        TallySheet, verbose_name=_("tally sheet"), on_delete=models.PROTECT, related_name="entries"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    voted = _figure(_("voters who voted"))
    issued = _figure(_("ballots issued"))
    returned = _figure(_("ballots returned"))
    invalid = _figure(_("invalid ballots"))
    votes = models.JSONField(_("votes"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tally entry")
        verbose_name_plural = _("tally entries")
        ordering = ["sheet", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "entered_by"], name="tally_entry_one_per_person"),
            *_figure_constraints("tally_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} · {self.entered_by_id}"
