"""The live count board (唱票): ballot after ballot, each judged and added to the running totals.

``examine_ballot`` applies the ballot rules of domain.md §6 to one paper; ``CountBoard`` keeps the
running totals (and can take an entry back when a clerk corrects a mistake); ``count_ballots`` counts
a whole pile. The totals it gives are the same ``RoundTotals`` the tally-sheet path gives, so the
winners are decided by the same code whichever way the figures were entered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .inputs import Ballot, PostSeats, RoundTotals, TallySheet, seats_by_post, write_in_key
from .reasons import Reason, explain
from .rules import COUNT_ORDER, CountingRules

_ORDER = {post: index for index, post in enumerate(COUNT_ORDER)}


@dataclass(frozen=True, slots=True)
class BallotVerdict:
    """What one ballot counts for: valid or not, the marks that count per post, the posts void."""

    is_valid: bool
    counted: Mapping[str, frozenset[str]] = field(default_factory=dict)
    void_posts: tuple[str, ...] = ()
    reasons: tuple[Reason, ...] = ()


_BLANK = BallotVerdict(is_valid=False, reasons=(explain("B1"),))
_UNREADABLE = BallotVerdict(is_valid=False, reasons=(explain("B2"),))


def examine_ballot(ballot: Ballot, seats: Mapping[str, int], rules: CountingRules) -> BallotVerdict:
    """Judge one ballot paper under ``rules`` (``seats``: post -> seats, from ``seats_by_post``).

    Order: blank / unreadable → invalid; then per post, more names (for + write-in) than seats →
    void for the post or for the whole ballot (``overvote_voids``); then, among the marks left, the
    same person on two posts is handled per ``same_person_voids``.
    """
    if ballot.is_blank:
        return _BLANK
    if ballot.is_unreadable:
        return _UNREADABLE
    counted: dict[str, frozenset[str]] = {}
    void_posts: list[str] = []
    reasons: list[Reason] = []
    write_ins = ballot.write_ins
    for post in _posts_marked(ballot):
        if post not in seats:
            raise ValueError(f"ballot marks post {post!r}, which is not being elected")
        persons = ballot.marks.get(post, frozenset())
        if write_ins and write_ins.get(post):
            persons = persons | {write_in_key(name) for name in write_ins[post]}
        if not persons:
            continue
        if len(persons) > seats[post]:
            if rules.overvote_voids == "ballot":
                return BallotVerdict(
                    is_valid=False, reasons=(explain("B4", post=post, marks=len(persons), seats=seats[post]),)
                )
            void_posts.append(post)
            reasons.append(explain("B3", post=post, marks=len(persons), seats=seats[post]))
            continue
        counted[post] = persons
    if len(counted) > 1 and rules.same_person_voids != "none":
        verdict = _same_person(counted, rules.same_person_voids, reasons)
        if verdict is not None:
            return verdict
    return BallotVerdict(is_valid=True, counted=counted, void_posts=tuple(void_posts), reasons=tuple(reasons))


def _posts_marked(ballot: Ballot) -> list[str]:
    posts = set(ballot.marks)
    if ballot.write_ins:
        posts.update(ballot.write_ins)
    return sorted(posts, key=lambda p: _ORDER.get(p, len(_ORDER)))


def _same_person(
    counted: dict[str, frozenset[str]], mode: str, reasons: list[Reason]
) -> BallotVerdict | None:
    """Apply the same-person rule in place; answers a verdict only when the whole ballot is void."""
    posts_of: dict[str, list[str]] = {}
    for post, persons in counted.items():  # counted is in counting order: higher posts first
        for person in persons:
            posts_of.setdefault(person, []).append(post)
    for person, posts in sorted(posts_of.items()):
        if len(posts) < 2:
            continue
        if mode == "ballot":
            return BallotVerdict(
                is_valid=False, reasons=(*reasons, explain("B7", name=person, posts=tuple(posts)))
            )
        dropped = posts[1:] if mode == "higher_post" else posts
        for post in dropped:
            counted[post] = counted[post] - {person}
            if not counted[post]:
                del counted[post]
        reasons.append(explain("B5" if mode == "higher_post" else "B6", name=person, posts=tuple(posts)))
    return None


class CountBoard:
    """计票板 — the running count of one ballot box (or one election) as ballots are read out."""

    def __init__(self, posts: Iterable[PostSeats], rules: CountingRules) -> None:
        self.rules = rules
        self.seats = seats_by_post(posts, rules)
        self.returned = 0
        self.invalid = 0
        self._votes: dict[tuple[str, str], int] = {}
        self._post_void: dict[str, int] = {}

    def add(self, ballot: Ballot, times: int = 1) -> BallotVerdict:
        """Read one ballot onto the board (``times``: that many identical papers, e.g. when stored
        ballots are recounted grouped by their marks); answers the verdict to show the clerk."""
        if times < 1:
            raise ValueError("times must be at least 1")
        verdict = examine_ballot(ballot, self.seats, self.rules)
        self._apply(verdict, times)
        return verdict

    def withdraw(self, verdict: BallotVerdict) -> None:
        """Take back an entry (the verdict ``add`` answered), e.g. when the clerk corrects a mistake."""
        if self.returned == 0:
            raise ValueError("nothing to withdraw")
        self._apply(verdict, -1)

    def _apply(self, verdict: BallotVerdict, sign: int) -> None:
        self.returned += sign
        if not verdict.is_valid:
            self.invalid += sign
            return
        votes = self._votes
        for post, persons in verdict.counted.items():
            for person in persons:
                key = (post, person)
                votes[key] = votes.get(key, 0) + sign
        for post in verdict.void_posts:
            self._post_void[post] = self._post_void.get(post, 0) + sign

    @property
    def votes(self) -> dict[tuple[str, str], int]:
        return {key: n for key, n in self._votes.items() if n}

    @property
    def post_void(self) -> dict[str, int]:
        return {post: n for post, n in self._post_void.items() if n}

    def totals(self, *, registered: int, voted: int, issued: int, proxy_voted: int = 0) -> RoundTotals:
        """The round's totals; ``registered``, ``voted`` and ``issued`` come from the roll and the desk."""
        return RoundTotals(
            registered=registered,
            voted=voted,
            issued=issued,
            returned=self.returned,
            invalid=self.invalid,
            votes=self.votes,
            post_void=self.post_void,
            proxy_voted=proxy_voted,
        )

    def tally_sheet(self, *, box: str, voted: int, issued: int, proxy_voted: int = 0) -> TallySheet:
        """This board as the tally sheet of box ``box``."""
        return TallySheet(
            box=box,
            voted=voted,
            issued=issued,
            returned=self.returned,
            invalid=self.invalid,
            votes=self.votes,
            post_void=self.post_void,
            proxy_voted=proxy_voted,
        )


def count_ballots(
    ballots: Iterable[Ballot],
    posts: Iterable[PostSeats],
    rules: CountingRules,
    *,
    registered: int,
    voted: int,
    issued: int,
    proxy_voted: int = 0,
) -> RoundTotals:
    """Count a pile of ballot papers (the live-board path) into the round's totals."""
    board = CountBoard(posts, rules)
    for ballot in ballots:
        board.add(ballot)
    return board.totals(registered=registered, voted=voted, issued=issued, proxy_voted=proxy_voted)
