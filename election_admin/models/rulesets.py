"""Rule sets (选举办法): the numbers a province varies, versioned by effective date, with citations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices_cycles import BODY_SIZE_FIELDS, BallotsComparator
from ..legal_calendar import RULE_BOUNDS, RULE_RANGES, CalendarRules

# Fields of a rule set that hold numbers with legal bounds (the CHECK constraints below).
RULE_NUMBER_FIELDS = list(RULE_BOUNDS)
# Yes/no and choice fields a province varies.
RULE_OTHER_FIELDS = ["has_women_post", "ballots_comparator", "has_cascade", "committee_recuses_relatives"]
# The seal goes to the new committee on the day it is elected (上海), not within the handover days.
RULE_OTHER_FIELDS += ["seal_same_day"]
# How ballots are counted (ballots.counting.CountingRules reads these through election_rules()), and how
# the ballot paper is laid out (ballots.pdf_papers reads ballot_layout).
RULE_COUNTING_FIELDS = [
    "overvote_voids",
    "same_person_voids",
    "runoff_pool",
    "min_members_to_leave_seats_empty",
    "majority_base",
    "ballot_layout",
]
RULE_FIELDS = RULE_NUMBER_FIELDS + RULE_OTHER_FIELDS + RULE_COUNTING_FIELDS
# Seats may stay empty once this many members are elected (ZJ §30: 3), at most a full committee;
# 0: every seat must be filled (the national rule).
LEAVE_EMPTY_BOUNDS = (0, 9)


class OvervoteVoids(models.TextChoices):
    """A ballot marking more names than seats for a post (domain.md §6)."""

    POST = "post", _("void for that post only")
    BALLOT = "ballot", _("the whole ballot is void")


class SamePersonVoids(models.TextChoices):
    """The same person marked for two posts on one ballot (ZJ)."""

    NONE = "none", _("both marks count")
    HIGHER_POST = "higher_post", _("only the mark for the higher post counts")
    PERSON = "person", _("that person's marks on the ballot are void")
    BALLOT = "ballot", _("the whole ballot is void")


class RunoffPool(models.TextChoices):
    """How many round-1 non-winners stand in the run-off (另行选举), per post."""

    SEATS_TIMES_TWO = "seats_times_two", _("twice the seats left")
    SEATS_PLUS_ONE = "seats_plus_one", _("one more than the seats left")


class MajorityBase(models.TextChoices):
    """What a winner's "more than half of the votes of those who voted" (VCOL §15) is measured against."""

    RETURNED = "returned", _("ballots cast (returned)")
    VOTED = "voted", _("voters who voted")


class BallotLayout(models.TextChoices):
    """The ballot paper (选票): one for all posts (浙江 requires it, domain.md §6) or one per post."""

    COMBINED = "combined", _("one ballot paper for all posts")
    SEPARATE = "separate", _("one ballot paper per post")


class RuleSetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The national rule sets and those of the user's own province (system administrators: all)."""
        if user is None or not user.is_authenticated or not user.is_active or user.area_code is None:
            return self.none()
        if user.area_code == "":
            return self.all()
        return self.filter(Q(province_code="") | Q(province_code=user.area_code[:2]))

    def for_province(self, province_code: str):
        """Versions that apply in a province: its own if it has any, else the national ones."""
        own = self.filter(province_code=province_code)
        return own if own.exists() else self.filter(province_code="")

    def current(self):
        return self.order_by("-effective_on", "-revision")


def _bounds_constraints() -> list[models.BaseConstraint]:
    constraints: list[models.BaseConstraint] = []
    for field, (low, high) in RULE_BOUNDS.items():
        constraints.append(
            models.CheckConstraint(
                name=f"ruleset_{field}_bounds", condition=Q(**{f"{field}__gte": low, f"{field}__lte": high})
            )
        )
    for low_field, high_field in RULE_RANGES:
        constraints.append(
            models.CheckConstraint(
                name=f"ruleset_{low_field}_le_max", condition=Q(**{f"{low_field}__lte": models.F(high_field)})
            )
        )
    return constraints


class RuleSet(models.Model):
    """选举办法 — one version of the legal numbers of a province (or the national default).

    Rows are never changed once saved: an edit saves a new revision, so a cycle keeps exactly the
    version it was opened with. ``citations`` maps each field to the text it comes from (data, never
    hard-coded in the interface, since article numbers change between editions).
    """

    province_code = models.CharField(
        _("province code"), max_length=2, blank=True, help_text=_("Empty for the national default.")
    )
    name = models.CharField(_("name"), max_length=100)
    effective_on = models.DateField(_("effective from"))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous revision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source texts"), max_length=300, blank=True)

    roll_publish_days_before = models.PositiveSmallIntegerField(
        _("roll published, days before election day"), default=20
    )
    objection_window_days = models.PositiveSmallIntegerField(
        _("objection window, days after publication"), default=5
    )
    objection_answer_days = models.PositiveSmallIntegerField(_("objections answered within, days"), default=3)
    candidate_list_days_before = models.PositiveSmallIntegerField(
        _("official candidates published, days before election day"), default=5
    )
    withdrawal_days_before = models.PositiveSmallIntegerField(
        _("candidates withdraw in writing, days before election day"), default=3
    )
    proxy_limit = models.PositiveSmallIntegerField(_("principals per proxy, at most"), default=3)
    proxy_filing_days_before = models.PositiveSmallIntegerField(
        _("proxies filed, days before election day"), default=3
    )
    chair_margin_min = models.PositiveSmallIntegerField(_("chair: extra candidates, at least"), default=1)
    chair_margin_max = models.PositiveSmallIntegerField(_("chair: extra candidates, at most"), default=1)
    vice_chair_margin_min = models.PositiveSmallIntegerField(
        _("vice-chair: extra candidates, at least"), default=1
    )
    vice_chair_margin_max = models.PositiveSmallIntegerField(
        _("vice-chair: extra candidates, at most"), default=1
    )
    member_margin_min = models.PositiveSmallIntegerField(_("members: extra candidates, at least"), default=1)
    member_margin_max = models.PositiveSmallIntegerField(_("members: extra candidates, at most"), default=3)
    party_margin_percent = models.PositiveSmallIntegerField(
        _("party branch: extra candidates, at least %"), default=20
    )
    villagers_committee_size_min = models.PositiveSmallIntegerField(
        _("villagers' committee: seats, at least"), default=3
    )
    villagers_committee_size_max = models.PositiveSmallIntegerField(
        _("villagers' committee: seats, at most"), default=7
    )
    residents_committee_size_min = models.PositiveSmallIntegerField(
        _("residents' committee: seats, at least"), default=5
    )
    residents_committee_size_max = models.PositiveSmallIntegerField(
        _("residents' committee: seats, at most"), default=9
    )
    supervision_committee_size_min = models.PositiveSmallIntegerField(
        _("supervision committee: seats, at least"), default=3
    )
    supervision_committee_size_max = models.PositiveSmallIntegerField(
        _("supervision committee: seats, at most"), default=5
    )
    party_branch_size_min = models.PositiveSmallIntegerField(_("party branch: seats, at least"), default=3)
    party_branch_size_max = models.PositiveSmallIntegerField(_("party branch: seats, at most"), default=5)
    election_committee_size_min = models.PositiveSmallIntegerField(
        _("election committee: members, at least"), default=3
    )
    election_committee_size_max = models.PositiveSmallIntegerField(
        _("election committee: members, at most"), default=9
    )
    has_women_post = models.BooleanField(_("separate women's post"), default=False)
    committee_recuses_relatives = models.BooleanField(
        _("election committee members leave when a close relative is a candidate"), default=False
    )
    ballots_comparator = models.CharField(
        _("ballots collected are compared with"),
        max_length=10,
        choices=BallotsComparator.choices,
        default=BallotsComparator.VOTERS_WHO_VOTED,
    )
    runoff_threshold_numerator = models.PositiveSmallIntegerField(_("run-off threshold numerator"), default=1)
    runoff_threshold_denominator = models.PositiveSmallIntegerField(
        _("run-off threshold denominator"), default=3
    )
    runoff_window_days = models.PositiveSmallIntegerField(
        _("run-off within, days after election day"), default=30
    )
    has_cascade = models.BooleanField(_("votes for a higher post count for lower ones (下靠)"), default=False)
    handover_days = models.PositiveSmallIntegerField(_("handover within, days"), default=10)
    seal_same_day = models.BooleanField(
        _("seal handed over the day the new committee is elected"), default=False
    )
    term_years = models.PositiveSmallIntegerField(_("term, years"), default=5)
    # Counting options (计票规则); the defaults are the national rules (domain.md §6).
    overvote_voids = models.CharField(
        _("a ballot marking more names than seats for a post is"),
        max_length=10,
        choices=OvervoteVoids.choices,
        default=OvervoteVoids.POST,
    )
    same_person_voids = models.CharField(
        _("the same person marked for two posts on one ballot"),
        max_length=12,
        choices=SamePersonVoids.choices,
        default=SamePersonVoids.NONE,
    )
    runoff_pool = models.CharField(
        _("run-off candidates per post"),
        max_length=16,
        choices=RunoffPool.choices,
        default=RunoffPool.SEATS_TIMES_TWO,
    )
    min_members_to_leave_seats_empty = models.PositiveSmallIntegerField(
        _("seats left may stay empty once this many are elected"),
        default=0,
        help_text=_("0: every seat must be filled."),
    )
    majority_base = models.CharField(
        _("a winner needs more than half of"),
        max_length=10,
        choices=MajorityBase.choices,
        default=MajorityBase.RETURNED,
    )
    ballot_layout = models.CharField(
        _("ballot papers"),
        max_length=10,
        choices=BallotLayout.choices,
        default=BallotLayout.COMBINED,
    )
    citations = models.JSONField(_("citations"), default=dict, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "election_admin.User", verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT
    )

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["province_code", "-effective_on", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["province_code", "effective_on", "revision"], name="ruleset_unique_version"
            ),
            *_bounds_constraints(),
            models.CheckConstraint(
                name="ruleset_leave_empty_bounds",
                condition=Q(min_members_to_leave_seats_empty__lte=LEAVE_EMPTY_BOUNDS[1]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_on:%Y-%m-%d}, r{self.revision})"

    @property
    def is_national(self) -> bool:
        return self.province_code == ""

    def clean(self) -> None:
        # 下靠 counts a chair's votes again for the lower posts: a person marked for two posts would be
        # counted twice unless the rule set says which mark stays.
        if self.has_cascade and self.same_person_voids == SamePersonVoids.NONE:
            raise ValidationError(
                {
                    "same_person_voids": _(
                        "With votes for a higher post counting for lower ones (下靠), the same person marked "
                        "for two posts must not count twice: choose which mark stays or what is void."
                    )
                }
            )

    def calendar_rules(self) -> CalendarRules:
        return CalendarRules(
            roll_publish_days_before=self.roll_publish_days_before,
            objection_window_days=self.objection_window_days,
            objection_answer_days=self.objection_answer_days,
            candidate_list_days_before=self.candidate_list_days_before,
            proxy_filing_days_before=self.proxy_filing_days_before,
            runoff_window_days=self.runoff_window_days,
            handover_days=self.handover_days,
        )

    def size_range(self, body: str) -> tuple[int, int]:
        prefix = BODY_SIZE_FIELDS[body]
        return getattr(self, f"{prefix}_min"), getattr(self, f"{prefix}_max")

    def values(self) -> dict:
        return {field: getattr(self, field) for field in RULE_FIELDS}
