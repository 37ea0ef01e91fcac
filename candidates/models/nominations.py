"""Nominations (提名), candidates (候选人) and the close relations (近亲属关系) declared during review."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from election_admin.models import Cycle, Election, Region
from voters.models import Voter

from ..choices import (
    JOINT_MIN_HOUSEHOLDS,
    JOINT_MIN_VOTERS,
    CandidateStatus,
    Education,
    NominationMethod,
    NominationStatus,
    PartyMembership,
    Post,
    RelationKind,
)
from ..scoping import CandidatesQuerySet
from .lists import Occupation


class NominationRound(models.Model):
    """提名会 — the direct nomination of one election: how many voters handed in their nomination ballots
    in person (no proxies). Each names at most as many people as a post has seats, which bounds the tallies."""

    region_lookup = "election__region__code"

    election = models.OneToOneField(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    ballots_returned = models.PositiveIntegerField(_("nomination ballots handed in"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = CandidatesQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination round")
        verbose_name_plural = _("nomination rounds")
        constraints = [
            models.CheckConstraint(name="nomination_round_has_ballots", condition=Q(ballots_returned__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.election_id} {self.held_on}"


class Nomination(models.Model):
    """提名 / 初步候选人 — one person proposed for one post of one election, how, and with what tally.

    ``nominating_count`` is how many nominated the person (voters of a direct nomination, co-signers of a
    joint one); ``tally`` is the nomination vote that fixes the order of the list. A person nominated for
    several posts confirms one (the database allows one confirmed post per person and election)."""

    region_lookup = "election__region__code"

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="+"
    )
    voter = models.ForeignKey(Voter, verbose_name=_("nominee"), on_delete=models.PROTECT, related_name="+")
    post = models.CharField(_("post"), max_length=15, choices=Post.choices)
    method = models.CharField(_("nominated by"), max_length=20, choices=NominationMethod.choices)
    nominating_count = models.PositiveIntegerField(_("nominators"), default=0)
    by_households = models.BooleanField(_("nominators are household representatives"), default=False)
    tally = models.PositiveIntegerField(_("nomination votes"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=NominationStatus.choices, default=NominationStatus.NOMINATED
    )
    decline_reason = models.CharField(_("why declined"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("nominated at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = CandidatesQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["election", "post", "-tally", "recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["election", "voter", "post"], name="nomination_once_per_post"),
            models.UniqueConstraint(
                fields=["election", "voter"],
                condition=Q(status=NominationStatus.CONFIRMED),
                name="nomination_one_confirmed_post",
            ),
            models.CheckConstraint(name="nomination_post_known", condition=Q(post__in=Post.values)),
            models.CheckConstraint(
                name="nomination_method_known", condition=Q(method__in=NominationMethod.values)
            ),
            models.CheckConstraint(
                name="nomination_status_known", condition=Q(status__in=NominationStatus.values)
            ),
            models.CheckConstraint(
                name="nomination_joint_enough_signers",
                condition=~Q(method=NominationMethod.JOINT)
                | Q(by_households=True, nominating_count__gte=JOINT_MIN_HOUSEHOLDS)
                | Q(by_households=False, nominating_count__gte=JOINT_MIN_VOTERS),
            ),
            models.CheckConstraint(
                name="nomination_households_only_joint",
                condition=Q(by_households=False) | Q(method=NominationMethod.JOINT),
            ),
            models.CheckConstraint(
                name="nomination_direct_has_nominators",
                condition=~Q(method=NominationMethod.DIRECT) | Q(nominating_count__gt=0),
            ),
        ]
        indexes = [models.Index(fields=["election", "status"], name="nomination_election_status_idx")]

    def __str__(self) -> str:
        return f"{self.voter.name} · {self.get_post_display()}"


class Candidate(models.Model):
    """候选人 — a nominee who confirmed standing: details for the statistics, the review, the list.

    Name, gender and age come from the voter (never retyped). ``status`` follows the review: in review
    (township, then the county's joint review), passed, failed (struck), withdrawn. ``list_position`` is
    the place on the published official list (正式候选人名单), None while unpublished or not on it."""

    region_lookup = "election__region__code"

    nomination = models.OneToOneField(
        Nomination, verbose_name=_("nomination"), on_delete=models.PROTECT, related_name="candidate"
    )
    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="+"
    )
    voter = models.ForeignKey(Voter, verbose_name=_("voter"), on_delete=models.PROTECT, related_name="+")
    post = models.CharField(_("post"), max_length=15, choices=Post.choices)
    education = models.CharField(_("education"), max_length=15, choices=Education.choices)
    party_membership = models.CharField(
        _("party membership"), max_length=20, choices=PartyMembership.choices, default=PartyMembership.NONE
    )
    occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("occupation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_incumbent = models.BooleanField(_("member of the outgoing committee"), default=False)
    is_dual_role_intended = models.BooleanField(
        _("intended to be party secretary as well (一肩挑)"), default=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.IN_REVIEW
    )
    joint_review = models.ForeignKey(
        "candidates.JointReview",
        verbose_name=_("joint review"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidates",
    )
    list_position = models.PositiveSmallIntegerField(_("place on the official list"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawal letter received on"), null=True, blank=True)
    withdrawal_reference = models.CharField(_("withdrawal letter reference"), max_length=100, blank=True)
    withdrawal_reason = models.CharField(_("reason given"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = CandidatesQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["election", "post", "list_position", "id"]
        constraints = [
            models.CheckConstraint(
                name="candidate_status_known", condition=Q(status__in=CandidateStatus.values)
            ),
            models.CheckConstraint(
                name="candidate_education_known", condition=Q(education__in=Education.values)
            ),
            models.CheckConstraint(
                name="candidate_dual_role_only_chair",
                condition=Q(is_dual_role_intended=False) | Q(post=Post.CHAIR),
            ),
            models.CheckConstraint(
                name="candidate_withdrawn_has_date",
                condition=~Q(status=CandidateStatus.WITHDRAWN) | Q(withdrawn_on__isnull=False),
            ),
            models.CheckConstraint(
                name="candidate_on_list_only_if_passed",
                condition=Q(list_position__isnull=True) | Q(status=CandidateStatus.PASSED),
            ),
        ]
        indexes = [models.Index(fields=["election", "status"], name="candidate_election_status_idx")]

    def __str__(self) -> str:
        return f"{self.voter.name} · {self.get_post_display()}"

    @staticmethod
    def department_filter(user) -> dict:
        """A department reviewer sees the candidates sent to a joint review that includes their department."""
        return {"joint_review__departments__code": user.department_code}


class CloseRelation(models.Model):
    """近亲属关系 — two voters of a cycle declared close relatives (spouse, parent and child, siblings)
    during the review. Used here for the election committee's recusal (where the rule set says so) and by
    the ballots app for tellers and scrutineers and for relatives elected together."""

    region_lookup = "region__code"

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        Region, verbose_name=_("declared in"), on_delete=models.PROTECT, related_name="+"
    )
    voter_a = models.ForeignKey(Voter, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    voter_b = models.ForeignKey(Voter, verbose_name=_("relative"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("relation"), max_length=15, choices=RelationKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = CandidatesQuerySet.as_manager()

    class Meta:
        verbose_name = _("close relation")
        verbose_name_plural = _("close relations")
        constraints = [
            models.UniqueConstraint(fields=["voter_a", "voter_b"], name="close_relation_once"),
            models.CheckConstraint(name="close_relation_ordered_pair", condition=Q(voter_a__lt=F("voter_b"))),
            models.CheckConstraint(
                name="close_relation_kind_known", condition=Q(kind__in=RelationKind.values)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter_a_id}–{self.voter_b_id} {self.kind}"
