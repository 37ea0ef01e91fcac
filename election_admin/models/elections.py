"""Elections (村(居)委会选举): one body's election in one village-level unit within a cycle."""

import datetime

from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices_cycles import BODIES_WITH_WOMEN_POST, DEADLINE_LABELS, Body, RiskClass, Stage
from ..scoping import RegionScopedQuerySet
from .cycles import Cycle
from .regions import Region

# Stand-in for "no date" in the progress counters' unique key (NULLs never conflict in a unique index).
NO_DATE = datetime.date(9999, 12, 31)

_SEATS_TOTAL = F("seats_chair") + F("seats_vice_chair") + F("seats_member") + F("seats_women_member")


class Election(models.Model):
    """村(居)委会选举 — one body's election in one village or community, with its calendar and stage.

    ``deadlines`` holds the dated legal calendar computed from the election day and the cycle's rule
    set; ``next_deadline_on`` (indexed) is the one the current stage works towards, so "overdue" is a
    comparison with today. ``stage`` changes only through ``services.stages.election_stage_advance``.
    """

    region_lookup = "region__code"

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="elections"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("village or community"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.CharField(_("body"), max_length=25, choices=Body.choices)
    election_day = models.DateField(_("election day"), null=True, blank=True)
    seats_chair = models.PositiveSmallIntegerField(_("chair"), default=1)
    seats_vice_chair = models.PositiveSmallIntegerField(_("vice-chairs"), default=1)
    seats_member = models.PositiveSmallIntegerField(_("members"), default=3)
    seats_women_member = models.PositiveSmallIntegerField(_("women's post"), default=0)
    risk_class = models.CharField(
        _("risk class"), max_length=10, choices=RiskClass.choices, default=RiskClass.NORMAL
    )
    risk_reason = models.CharField(_("reason for the risk class"), max_length=300, blank=True)
    stage = models.CharField(_("stage"), max_length=25, choices=Stage.choices, default=Stage.PREPARATION)
    stage_changed_at = models.DateTimeField(_("stage changed at"), null=True, blank=True)
    stage_dates = models.JSONField(_("date each stage was reached"), default=dict, blank=True)
    deadlines = models.JSONField(_("deadlines"), default=dict, blank=True)
    next_deadline_key = models.CharField(_("next deadline"), max_length=25, blank=True)
    next_deadline_on = models.DateField(_("next deadline on"), null=True, blank=True)
    exceptions = models.JSONField(_("deadline exceptions"), default=list, blank=True)
    registered_count = models.PositiveIntegerField(_("registered voters"), null=True, blank=True)
    voted_count = models.PositiveIntegerField(_("voters who voted"), null=True, blank=True)
    filled_in_first_round = models.BooleanField(
        _("committee filled in the first round"), null=True, blank=True
    )
    results_on = models.DateField(_("results announced on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["region_id", "body"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "region", "body"], name="election_unique_per_cycle_region_body"
            ),
            models.CheckConstraint(name="election_one_chair", condition=Q(seats_chair=1)),
            models.CheckConstraint(
                name="election_seats_total_legal",
                condition=Q(GreaterThanOrEqual(_SEATS_TOTAL, 3)) & Q(LessThanOrEqual(_SEATS_TOTAL, 9)),
            ),
            models.CheckConstraint(
                name="election_women_post_only_where_body_has_one",
                condition=Q(seats_women_member=0)
                | Q(seats_women_member=1, body__in=sorted(BODIES_WITH_WOMEN_POST)),
            ),
            models.CheckConstraint(
                name="election_day_set_before_roll",
                condition=Q(election_day__isnull=False)
                | Q(stage__in=[Stage.PREPARATION, Stage.COMMITTEE_FORMED]),
            ),
            models.CheckConstraint(
                name="election_voted_le_registered",
                condition=Q(voted_count__isnull=True)
                | Q(registered_count__isnull=True)
                | Q(voted_count__lte=F("registered_count")),
            ),
        ]
        indexes = [
            models.Index(fields=["next_deadline_on"], name="election_next_deadline_idx"),
            models.Index(fields=["stage", "next_deadline_on"], name="election_stage_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} · {self.get_body_display()}"

    def get_absolute_url(self) -> str:
        return reverse("election_detail", args=[self.pk])

    @property
    def seats_total(self) -> int:
        return self.seats_chair + self.seats_vice_chair + self.seats_member + self.seats_women_member

    def deadline_dates(self) -> dict[str, datetime.date]:
        return {key: datetime.date.fromisoformat(value) for key, value in self.deadlines.items()}

    def reached_dates(self) -> dict[str, datetime.date]:
        return {key: datetime.date.fromisoformat(value) for key, value in self.stage_dates.items()}

    @property
    def next_deadline_label(self) -> str:
        return str(DEADLINE_LABELS.get(self.next_deadline_key, ""))


class CommitteeMember(models.Model):
    """村民选举委员会成员 — a member of the committee that runs one village's election.

    The village assembly's selection result is kept in ``selection_order``: the members chosen serve
    (``is_active``), the next names of the result are reserves (``is_reserve``, 候补) who step in, in that
    order, when a member leaves (VCOL §12: 按照原推选结果依次递补). ``id_hash`` (the keyed hash of the ID
    number, as on the voter roll) lets the candidates app see that a member is nominated, or is a close
    relative of a candidate, and must leave.
    """

    region_lookup = "election__region__code"

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair of the election committee")
        MEMBER = "member", _("Member")

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="committee"
    )
    name = models.CharField(_("name"), max_length=50)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    selection_order = models.PositiveSmallIntegerField(_("selection order"))
    is_active = models.BooleanField(_("serving"), default=True)
    is_reserve = models.BooleanField(_("reserve (next in the selection result)"), default=False)
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    id_hash = models.CharField(_("ID number (keyed hash)"), max_length=64, blank=True, default="")
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("stepped in for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("election committee member")
        verbose_name_plural = _("election committee members")
        ordering = ["election", "selection_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "selection_order"], name="committee_member_unique_order"
            ),
            models.CheckConstraint(
                name="committee_reserve_not_serving", condition=Q(is_reserve=False) | Q(is_active=False)
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgressCounter(models.Model):
    """Running totals of elections per region (province, city, county), stage, election day and
    next deadline — what the dashboards read instead of scanning every election. Maintained in the same
    transaction as every change of an election's stage, day, deadline or results
    (``services.progress``); ``progress_counters_rebuild`` recomputes them from the elections."""

    region_lookup = "region_code"

    region_code = models.CharField(max_length=9)
    stage = models.CharField(max_length=25, choices=Stage.choices)
    election_day = models.DateField()
    due_on = models.DateField()
    elections = models.IntegerField(default=0)
    registered = models.BigIntegerField(default=0)
    voted = models.BigIntegerField(default=0)
    first_round_filled = models.IntegerField(default=0)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "stage", "election_day", "due_on"], name="progress_counter_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.stage} {self.election_day} {self.due_on}: {self.elections}"
