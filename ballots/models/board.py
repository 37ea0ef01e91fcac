"""唱票 — the live count board of one ballot box and round, its ballots, and tie re-votes (再次投票)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from election_admin.models import Election
from election_admin.scoping import RegionScopedQuerySet

from ..choices import FIRST_ROUND, RUNOFF_ROUND
from .results import RoundResult
from .venues import BallotBox


class BoardStatus(models.TextChoices):
    OPEN = "open", _("Counting")
    CLOSED = "closed", _("Closed")


class LiveBoard(models.Model):
    """计票板 — the live count of one ballot box in one round, ballot after ballot.

    ``returned``, ``invalid``, ``votes`` (``"post|person" -> n``) and ``post_void`` are the running
    totals, kept up to date under the row's lock as ballots are entered or taken back (the projector
    reads them); closing recounts the stored ballots and turns them into the box's agreed tally sheet.
    """

    region_lookup = "election__region__code"

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="live_boards"
    )
    box = models.ForeignKey(
        BallotBox, verbose_name=_("ballot box"), on_delete=models.PROTECT, related_name="live_boards"
    )
    round_number = models.PositiveSmallIntegerField(_("round"), default=FIRST_ROUND)
    status = models.CharField(
        _("status"), max_length=10, choices=BoardStatus.choices, default=BoardStatus.OPEN
    )
    last_sequence = models.PositiveIntegerField(_("last ballot number"), default=0)
    returned = models.PositiveIntegerField(_("ballots counted"), default=0)
    invalid = models.PositiveIntegerField(_("invalid ballots"), default=0)
    votes = models.JSONField(_("votes"), default=dict, blank=True)
    post_void = models.JSONField(_("ballots void for one post"), default=dict, blank=True)
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

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("live count board")
        verbose_name_plural = _("live count boards")
        ordering = ["election", "round_number", "box"]
        constraints = [
            models.UniqueConstraint(fields=["box", "round_number"], name="live_board_one_per_box_round"),
            models.CheckConstraint(
                name="live_board_round_known", condition=Q(round_number__in=[FIRST_ROUND, RUNOFF_ROUND])
            ),
            models.CheckConstraint(
                name="live_board_status_known", condition=Q(status__in=BoardStatus.values)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.box} · {self.round_number}"

    @property
    def is_open(self) -> bool:
        return self.status == BoardStatus.OPEN


class BoardBallot(models.Model):
    """One ballot paper read out on a board (numbered in order); never deleted — taken back instead.

    ``marks``: ``post -> [candidate id]`` marked "for"; ``write_ins``: ``post -> [name]``; ``verdict``:
    what the counting rules made of it (valid, the marks that count, posts void, reasons).
    ``token``: the entry form's one-time token, so a double submission is saved once."""

    region_lookup = "board__election__region__code"

    board = models.ForeignKey(
        LiveBoard, verbose_name=_("live count board"), on_delete=models.PROTECT, related_name="ballots"
    )
    sequence = models.PositiveIntegerField(_("ballot number"))
    token = models.CharField(_("entry token"), max_length=40)
    marks = models.JSONField(_("marks"), default=dict, blank=True)
    write_ins = models.JSONField(_("written-in names"), default=dict, blank=True)
    is_blank = models.BooleanField(_("blank ballot"), default=False)
    is_unreadable = models.BooleanField(_("unreadable ballot"), default=False)
    verdict = models.JSONField(_("verdict"), default=dict, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("corrects ballot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken back by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("taken back at"), null=True, blank=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ballot on the board")
        verbose_name_plural = _("ballots on the board")
        ordering = ["board", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["board", "sequence"], name="board_ballot_unique_sequence"),
            models.UniqueConstraint(fields=["board", "token"], name="board_ballot_unique_token"),
        ]

    def __str__(self) -> str:
        return f"{self.board} · #{self.sequence}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class TieRevoteRecord(models.Model):
    """再次投票 — one re-vote among people tied where the rules cannot choose (a ``TieRevote`` of a
    computed result). ``candidates``/``seats``: who was in this re-vote and how many it elects;
    ``votes``: ``person -> votes``; ``chosen``: elected by it; ``is_settled``: false when the re-vote
    tied again (another re-vote among ``remaining`` is needed)."""

    region_lookup = "election__region__code"

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="tie_revotes"
    )
    round_number = models.PositiveSmallIntegerField(_("round"), default=FIRST_ROUND)
    tie_id = models.CharField(_("tie"), max_length=200)
    attempt = models.PositiveSmallIntegerField(_("re-vote number"), default=1)
    kind = models.CharField(_("kind"), max_length=20)
    post = models.CharField(_("post"), max_length=20)
    tied = models.JSONField(_("tied in the result"), default=list)
    candidates = models.JSONField(_("people in this re-vote"), default=list)
    seats = models.PositiveSmallIntegerField(_("seats decided"))
    seats_in_result = models.PositiveSmallIntegerField(_("seats of the tie in the result"))
    held_on = models.DateField(_("held on"))
    ballots = models.PositiveIntegerField(_("ballots cast"))
    votes = models.JSONField(_("votes"), default=dict)
    chosen = models.JSONField(_("elected by the re-vote"), default=list)
    remaining = models.JSONField(_("tied again"), default=dict, blank=True)
    is_settled = models.BooleanField(_("settled"), default=True)
    result = models.ForeignKey(
        RoundResult,
        verbose_name=_("result"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tie re-vote")
        verbose_name_plural = _("tie re-votes")
        ordering = ["election", "round_number", "tie_id", "attempt"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "round_number", "tie_id", "attempt"], name="tie_revote_unique_attempt"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.election} · {self.tie_id} · {self.attempt}"
