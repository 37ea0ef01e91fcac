"""唱票 — the live count board: a clerk enters ballot after ballot, a projector shows the running totals,
closing turns the count into the box's agreed tally sheet so results are computed by the same code.

Every ballot is a numbered row (``BoardBallot``); the board row is locked while a ballot is added or
taken back, so two clerks at once get consecutive numbers and a double submission (same form token)
is saved once. The running totals on the board row are what the projector shows; closing recounts
the stored ballots with the counting rules (``counting.CountBoard``) and refuses if they differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from ballots import counting

from ..choices import FIRST_ROUND, RUNOFF_ROUND, SheetStatus
from ..models import BallotBox, BoardBallot, BoardStatus, LiveBoard, TallySheet
from .common import lock_election, require_entry
from .election_day import mobile_box_ready
from .tally import _agree, _sheet_locked, vote_key

SPLIT = re.compile(r"[\s,，、;；]+")


# ----------------------------------------------------------------------------------------------------
# What the board counts: posts, seats, rules, candidates numbered per post as on the ballot paper


@dataclass(frozen=True)
class BoardLine:
    """One candidate as the clerk sees them: post, place on the post's list (1, 2 …), id and name."""

    post: str
    post_label: str
    number: int
    person: str
    name: str


@dataclass(frozen=True)
class BoardSetup:
    rules: counting.CountingRules
    posts: list[counting.PostSeats]
    lines: list[BoardLine]

    @property
    def seats(self) -> dict[str, int]:
        return {p.post: p.seats for p in self.posts}

    def post_lines(self, post: str) -> list[BoardLine]:
        return [line for line in self.lines if line.post == post]

    @property
    def post_labels(self) -> dict[str, str]:
        labels = {line.post: line.post_label for line in self.lines}
        for post in self.seats:
            labels.setdefault(post, counting.reasons.POST_NAMES.get(post, (post, post))[1])
        return labels


def board_setup(election, round_number: int = FIRST_ROUND) -> BoardSetup:
    """The posts and seats the ballots of this round carry, the rules judging them and the candidates
    numbered per post in list order (round 1: the election's seats; run-off: the run-off plan)."""
    from ..selectors import runoff_seats, vote_lines
    from .results import election_posts, election_rules

    rules = election_rules(election)
    posts = election_posts(election, rules)
    lines: list[BoardLine] = []
    numbers: dict[str, int] = {}

    def add(post: str, post_label: str, person: str, name: str) -> None:
        numbers[post] = numbers.get(post, 0) + 1
        lines.append(
            BoardLine(post=post, post_label=post_label, number=numbers[post], person=person, name=name)
        )

    official = vote_lines(election)
    if round_number == RUNOFF_ROUND:
        # The run-off ballot carries the run-off list of each post with seats left (round 1's plan).
        seats = runoff_seats(election)
        posts = [counting.PostSeats(s["post"], s["seats"]) for s in seats]
        names = {line.key.partition("|")[2]: line.name for line in official}
        labels = {line.post: line.post_label for line in official}
        for item in seats:
            label = (
                labels.get(item["post"])
                or counting.reasons.POST_NAMES.get(item["post"], ("", item["post"]))[1]
            )
            for person in item.get("pool", []):
                name = person.partition(":")[2] if counting.is_write_in(person) else names.get(person, person)
                add(item["post"], label, person, name)
    else:
        for line in official:
            if line.post in {p.post for p in posts}:
                add(line.post, line.post_label, line.key.partition("|")[2], line.name)
    ordered = counting.inputs.seats_by_post(posts, rules)
    return BoardSetup(rules=rules, posts=[counting.PostSeats(p, n) for p, n in ordered.items()], lines=lines)


# ----------------------------------------------------------------------------------------------------
# Ballots: parse the clerk's typing, judge, store


def parse_marks(setup: BoardSetup, typed: dict[str, str]) -> dict[str, list[str]]:
    """``post -> "1 3"`` (list numbers typed) → ``post -> [candidate id]``; unknown numbers are refused
    with the post and the number named."""
    marks: dict[str, list[str]] = {}
    labels = setup.post_labels
    for post, text in (typed or {}).items():
        if post not in setup.seats:
            raise ValidationError(_("This ballot has no post %(post)s.") % {"post": post})
        by_number = {str(line.number): line.person for line in setup.post_lines(post)}
        chosen: list[str] = []
        for token in SPLIT.split((text or "").strip()):
            if not token:
                continue
            if token not in by_number:
                raise ValidationError(
                    {
                        f"marks_{post}": _("%(post)s: there is no candidate number %(number)s on the list.")
                        % {"post": labels[post], "number": token}
                    }
                )
            if by_number[token] not in chosen:
                chosen.append(by_number[token])
        if chosen:
            marks[post] = chosen
    return marks


def parse_write_ins(setup: BoardSetup, typed: dict[str, str]) -> dict[str, list[str]]:
    """``post -> "李四、王五"`` → ``post -> [name]`` (separated by spaces, commas or 、)."""
    found: dict[str, list[str]] = {}
    for post, text in (typed or {}).items():
        if post not in setup.seats:
            raise ValidationError(_("This ballot has no post %(post)s.") % {"post": post})
        names = [name for name in SPLIT.split((text or "").strip()) if name]
        for name in names:
            if len(name) > 30:
                raise ValidationError({f"write_ins_{post}": _("A written-in name is at most 30 characters.")})
        if names:
            found[post] = list(dict.fromkeys(names))
    return found


def ballot_input(marks: dict, write_ins: dict, is_blank: bool, is_unreadable: bool) -> counting.Ballot:
    return counting.Ballot(
        marks={post: frozenset(ids) for post, ids in (marks or {}).items()},
        write_ins={post: tuple(names) for post, names in (write_ins or {}).items()},
        is_blank=is_blank,
        is_unreadable=is_unreadable,
    )


def verdict_json(verdict: counting.BallotVerdict) -> dict:
    return {
        "valid": verdict.is_valid,
        "counted": {post: sorted(persons) for post, persons in verdict.counted.items()},
        "void_posts": list(verdict.void_posts),
        "reasons": [{"code": r.code, "zh": r.message_zh, "en": r.message_en} for r in verdict.reasons],
    }


def _apply(board: LiveBoard, verdict: dict, sign: int) -> None:
    """Add (``sign`` 1) or take back (-1) one judged ballot on the board's running totals."""
    board.returned += sign
    if not verdict["valid"]:
        board.invalid += sign
        return
    votes = dict(board.votes or {})
    for post, persons in verdict["counted"].items():
        for person in persons:
            key = vote_key(post, person)
            votes[key] = votes.get(key, 0) + sign
            if not votes[key]:
                del votes[key]
    board.votes = votes
    void = dict(board.post_void or {})
    for post in verdict["void_posts"]:
        void[post] = void.get(post, 0) + sign
        if not void[post]:
            del void[post]
    board.post_void = void


def _locked_board(actor, board: LiveBoard) -> LiveBoard:
    election = lock_election(actor, board.election)
    locked = LiveBoard.objects.select_for_update().select_related("box").get(pk=board.pk, election=election)
    locked.election = election
    return locked


def _require_open(board: LiveBoard) -> None:
    if board.status != BoardStatus.OPEN:
        raise ValidationError(_("This count board is closed; its ballots can no longer be changed."))


# ----------------------------------------------------------------------------------------------------
# The services


@transaction.atomic
def board_open(*, actor, box: BallotBox, round_number: int = FIRST_ROUND) -> LiveBoard:
    """Open (or return the open) live count board of a box and round (开始唱票). A box counted on paper
    (its tally sheet already entered) is not counted again on the board."""
    require_entry(actor)
    election = lock_election(actor, box.election)
    box = BallotBox.objects.get(pk=box.pk, election=election)
    existing = LiveBoard.objects.filter(box=box, round_number=round_number).first()
    if existing is not None:
        return existing
    if not mobile_box_ready(box):
        raise ValidationError(_("A mobile ballot box needs at least three scrutineers before its count."))
    sheet = TallySheet.objects.filter(box=box, round_number=round_number).first()
    if sheet is not None and (sheet.status != SheetStatus.OPEN or sheet.entries.exists()):
        raise ValidationError(
            _("This box's tally sheet is already being entered; it is not counted again on the board.")
        )
    setup = board_setup(election, round_number)
    if not setup.posts:
        raise ValidationError(_("This election has no seats to count in this round."))
    board = LiveBoard.objects.create(election=election, box=box, round_number=round_number, opened_by=actor)
    audit_record(
        actor=actor,
        event_type="board.opened",
        region_code=election.region_id,
        obj=board,
        after={"box": box.label, "round": round_number},
    )
    return board


@transaction.atomic
def board_ballot_add(
    *,
    actor,
    board: LiveBoard,
    token: str,
    marks: dict[str, list[str]] | None = None,
    write_ins: dict[str, list[str]] | None = None,
    is_blank: bool = False,
    is_unreadable: bool = False,
    replaces: BoardBallot | None = None,
) -> tuple[BoardBallot, bool]:
    """Read one ballot onto the board (录入一张选票): judged by the counting rules at once (an over-voted
    post void, or the whole ballot, as the rule set says) and added to the running totals. Answers
    ``(ballot, created)``: a second submission of the same form token answers the first ballot."""
    require_entry(actor)
    token = (token or "").strip()
    if not token or len(token) > 40:
        raise ValidationError(_("The entry form is out of date; reload the page."))
    board = _locked_board(actor, board)
    _require_open(board)
    earlier = BoardBallot.objects.filter(board=board, token=token).first()
    if earlier is not None:
        return earlier, False
    setup = board_setup(board.election, board.round_number)
    marks = {post: list(ids) for post, ids in (marks or {}).items() if ids}
    write_ins = {post: list(names) for post, names in (write_ins or {}).items() if names}
    known = {line.person for line in setup.lines}
    for post, ids in marks.items():
        if post not in setup.seats:
            raise ValidationError(_("This ballot has no post %(post)s.") % {"post": post})
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ValidationError(
                _("Not a candidate of this election: %(ids)s.") % {"ids": ", ".join(unknown)}
            )
    if is_blank and is_unreadable:
        raise ValidationError(_("A ballot is either blank or unreadable, not both."))
    if (is_blank or is_unreadable) and (marks or write_ins):
        raise ValidationError(_("A blank or unreadable ballot carries no marks; clear them first."))
    for post in write_ins:
        if post not in setup.seats:
            raise ValidationError(_("This ballot has no post %(post)s.") % {"post": post})
    paper = ballot_input(marks, write_ins, is_blank, is_unreadable)
    verdict = verdict_json(counting.examine_ballot(paper, setup.seats, setup.rules))
    board.last_sequence += 1
    ballot = BoardBallot.objects.create(
        board=board,
        sequence=board.last_sequence,
        token=token,
        marks=marks,
        write_ins=write_ins,
        is_blank=is_blank,
        is_unreadable=is_unreadable,
        verdict=verdict,
        replaces=replaces,
        entered_by=actor,
    )
    _apply(board, verdict, 1)
    board.save(update_fields=["last_sequence", "returned", "invalid", "votes", "post_void"])
    return ballot, True


def _withdraw(actor, board: LiveBoard, ballot: BoardBallot, why: str) -> BoardBallot:
    ballot = BoardBallot.objects.select_for_update().get(pk=ballot.pk, board=board)
    if ballot.is_withdrawn:
        raise ValidationError(_("Ballot %(number)s was already taken back.") % {"number": ballot.sequence})
    ballot.withdrawn_by = actor
    ballot.withdrawn_at = timezone.now()
    ballot.save(update_fields=["withdrawn_by", "withdrawn_at"])
    _apply(board, ballot.verdict, -1)
    board.save(update_fields=["returned", "invalid", "votes", "post_void"])
    audit_record(
        actor=actor,
        event_type="board.ballot_withdrawn",
        region_code=board.election.region_id,
        obj=ballot,
        before={"sequence": ballot.sequence, "marks": ballot.marks, "write_ins": ballot.write_ins},
        after={"why": why, "returned": board.returned},
    )
    return ballot


@transaction.atomic
def board_ballot_withdraw(*, actor, ballot: BoardBallot) -> BoardBallot:
    """Take a ballot back (撤回) — e.g. entered by mistake; it stays listed, struck through, audited."""
    require_entry(actor)
    board = _locked_board(actor, ballot.board)
    _require_open(board)
    return _withdraw(actor, board, ballot, "taken back")


@transaction.atomic
def board_ballot_correct(
    *,
    actor,
    ballot: BoardBallot,
    token: str,
    marks=None,
    write_ins=None,
    is_blank: bool = False,
    is_unreadable: bool = False,
) -> BoardBallot:
    """Correct a ballot (更正): the old entry is taken back and the corrected one entered in its stead."""
    require_entry(actor)
    board = _locked_board(actor, ballot.board)
    _require_open(board)
    earlier = BoardBallot.objects.filter(board=board, token=(token or "").strip()).first()
    if earlier is not None:
        return earlier
    _withdraw(actor, board, ballot, "corrected")
    corrected, _created = board_ballot_add(
        actor=actor,
        board=board,
        token=token,
        marks=marks,
        write_ins=write_ins,
        is_blank=is_blank,
        is_unreadable=is_unreadable,
        replaces=ballot,
    )
    return corrected


def board_recount(board: LiveBoard) -> counting.CountBoard:
    """Count the stored ballots again from scratch with the counting rules (not the running totals).

    Identical papers are judged once: the database groups the ballots not taken back by their marks
    (most papers of a village repeat a few patterns), and each group is added as many times as it has
    ballots — the same totals as adding them one by one."""
    setup = board_setup(board.election, board.round_number)
    count = counting.CountBoard(setup.posts, setup.rules)
    groups = (
        BoardBallot.objects.filter(board=board, withdrawn_at__isnull=True)
        .order_by()
        .values_list("marks", "write_ins", "is_blank", "is_unreadable")
        .annotate(n=Count("id"))
    )
    for marks, write_ins, is_blank, is_unreadable, n in groups:
        count.add(ballot_input(marks, write_ins, is_blank, is_unreadable), times=n)
    return count


def board_figures(count: counting.CountBoard) -> tuple[dict[str, int], dict[str, int]]:
    """A recount as the tally sheet's ``votes`` (``post|person``) and ``post_void``."""
    votes = {vote_key(post, person): n for (post, person), n in count.votes.items()}
    return votes, dict(count.post_void)


@transaction.atomic
def board_close(*, actor, board: LiveBoard, voted, issued, confirm: bool = False) -> TallySheet:
    """Close the board (唱票结束): the stored ballots are recounted and become the box's agreed tally
    sheet for the round, with the voters who voted and ballots issued from the sign-in desk."""
    require_entry(actor)
    board = _locked_board(actor, board)
    _require_open(board)
    errors = {}
    figures = {"voted": voted, "issued": issued}
    for name, value in figures.items():
        if value in (None, ""):
            errors[name] = _("Enter this figure from the sign-in desk (0 if none).")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors[name] = _("Enter a whole number, 0 or more.")
    if errors:
        raise ValidationError(errors)
    if not confirm:
        raise ValidationError(_("Confirm that every ballot of the box has been read out."))
    count = board_recount(board)
    votes, post_void = board_figures(count)
    if (count.returned, count.invalid, votes, post_void) != (
        board.returned,
        board.invalid,
        board.votes,
        board.post_void,
    ):  # pragma: no cover - the running totals are kept under the same lock; a guard, never expected
        raise ValidationError(_("The running totals differ from a recount of the ballots; call support."))
    if count.returned > issued:
        raise ValidationError(
            {
                "issued": _("%(returned)s ballots were counted but only %(issued)s issued.")
                % {"returned": count.returned, "issued": issued}
            }
        )
    sheet = _sheet_locked(board.box, board.round_number)
    if sheet.status != SheetStatus.OPEN or sheet.entries.exists():
        raise ValidationError(
            _("This box's tally sheet is already being entered; it is not counted again on the board.")
        )
    _agree(
        sheet,
        {"voted": voted, "issued": issued, "returned": count.returned, "invalid": count.invalid, **votes},
    )
    sheet.post_void = post_void
    sheet.resolved_by = actor
    sheet.resolved_at = timezone.now()
    sheet.resolution_note = "live count board"
    sheet.version += 1
    sheet.full_clean()
    sheet.save()
    board.status = BoardStatus.CLOSED
    board.closed_by = actor
    board.closed_at = timezone.now()
    board.save(update_fields=["status", "closed_by", "closed_at"])
    audit_record(
        actor=actor,
        event_type="board.closed",
        region_code=board.election.region_id,
        obj=board,
        after={
            "sheet": sheet.pk,
            "voted": voted,
            "issued": issued,
            "returned": count.returned,
            "invalid": count.invalid,
            "ballots_entered": board.last_sequence,
            "post_void": post_void,
        },
    )
    return sheet
