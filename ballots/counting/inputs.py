"""What the counting rules are given: candidates, seats, ballot papers and count totals.

A vote is keyed by ``(post, person)`` where ``person`` is a candidate id or, for a name written in
(另选他人), ``write_in_key(name)``. Once the election committee has identified a written-in voter it
may pass a ``Candidate`` with that key so gender and relatives are known for the women and
relatives rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .rules import COUNT_ORDER, WOMEN_MEMBER, CountingRules

FEMALE = "female"
MALE = "male"
WRITE_IN_PREFIX = "write_in:"


def write_in_key(name: str) -> str:
    """The person key of a name written in (另选他人), whitespace normalised."""
    return WRITE_IN_PREFIX + " ".join(name.split())


def is_write_in(person: str) -> bool:
    return person.startswith(WRITE_IN_PREFIX)


@dataclass(frozen=True, slots=True)
class Candidate:
    """正式候选人 (or an identified write-in) — who may receive votes, with what the rules look at.

    ``post`` is the post the person stands for (votes may still come on other lines of a combined
    ballot). ``gender`` is 'female', 'male' or '' (unknown: never counted as a woman). ``relatives``
    holds the ids of close relatives (spouse, parent, child, sibling) among the people who may be
    elected; the relation is made symmetric by the rules.
    """

    id: str
    name: str
    post: str
    gender: str = ""
    relatives: frozenset[str] = frozenset()

    @property
    def is_woman(self) -> bool:
        return self.gender == FEMALE


@dataclass(frozen=True, slots=True)
class PostSeats:
    """应选名额 — how many are to be elected to one post. The women's post takes women only."""

    post: str
    seats: int

    def __post_init__(self) -> None:
        if self.seats < 1:
            raise ValueError(f"{self.post}: seats must be at least 1")

    @property
    def is_women_only(self) -> bool:
        return self.post == WOMEN_MEMBER


@dataclass(frozen=True, slots=True)
class Ballot:
    """One ballot paper as the announcer reads it (唱票).

    ``marks``: per post, the candidate ids marked "for"; ``write_ins``: per post, the names written
    in. Marks against or abstentions are not votes and need not be entered: a paper marked only
    against or abstain is a valid ballot with no votes. The clerk flags ``is_blank`` (nothing written
    at all) or ``is_unreadable`` (the committee ruled the marks unclear, BJ): both make it invalid.
    """

    marks: Mapping[str, frozenset[str]] = field(default_factory=dict)
    write_ins: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    is_blank: bool = False
    is_unreadable: bool = False

    def __post_init__(self) -> None:
        if self.is_blank and (any(self.marks.values()) or any(self.write_ins.values())):
            raise ValueError("a blank ballot cannot carry marks")


def _check_counts(**counts: int) -> None:
    for name, value in counts.items():
        if value < 0:
            raise ValueError(f"{name} cannot be negative")


@dataclass(frozen=True, slots=True)
class RoundTotals:
    """The totals of one round of voting (one election, all boxes): what the result notice reports.

    ``registered``: voters on the roll (party: members due to attend); ``voted``: voters who voted,
    proxies included (party: members present); ``issued`` / ``returned`` / ``invalid``: ballots;
    ``votes``: ``(post, person) -> votes``; ``post_void``: ballots valid as a whole but void for one
    post (over-voted there); ``proxy_voted``: voters among ``voted`` who voted by proxy.
    """

    registered: int
    voted: int
    issued: int
    returned: int
    invalid: int
    votes: Mapping[tuple[str, str], int] = field(default_factory=dict)
    post_void: Mapping[str, int] = field(default_factory=dict)
    proxy_voted: int = 0

    def __post_init__(self) -> None:
        _check_counts(
            registered=self.registered,
            voted=self.voted,
            issued=self.issued,
            returned=self.returned,
            invalid=self.invalid,
            proxy_voted=self.proxy_voted,
        )
        for key, value in self.votes.items():
            if value < 0:
                raise ValueError(f"votes for {key} cannot be negative")
        for post, value in self.post_void.items():
            if value < 0:
                raise ValueError(f"ballots void for {post} cannot be negative")

    @property
    def valid(self) -> int:
        return self.returned - self.invalid

    def valid_for(self, post: str) -> int:
        """Ballots whose marks count for ``post``: valid ballots less those void for that post."""
        return self.valid - self.post_void.get(post, 0)

    def votes_for(self, post: str) -> dict[str, int]:
        return {person: n for (p, person), n in self.votes.items() if p == post}


@dataclass(frozen=True, slots=True)
class TallySheet:
    """计票单 — the totals of one ballot box, as counted and signed at the box."""

    box: str
    voted: int
    issued: int
    returned: int
    invalid: int
    votes: Mapping[tuple[str, str], int] = field(default_factory=dict)
    post_void: Mapping[str, int] = field(default_factory=dict)
    proxy_voted: int = 0


def combine_tally_sheets(registered: int, sheets: Iterable[TallySheet]) -> RoundTotals:
    """The round's totals from the tally sheets of all its boxes (the tally-sheet path)."""
    voted = issued = returned = invalid = proxy_voted = 0
    votes: dict[tuple[str, str], int] = {}
    post_void: dict[str, int] = {}
    for sheet in sheets:
        voted += sheet.voted
        issued += sheet.issued
        returned += sheet.returned
        invalid += sheet.invalid
        proxy_voted += sheet.proxy_voted
        for key, n in sheet.votes.items():
            votes[key] = votes.get(key, 0) + n
        for post, n in sheet.post_void.items():
            post_void[post] = post_void.get(post, 0) + n
    return RoundTotals(
        registered=registered,
        voted=voted,
        issued=issued,
        returned=returned,
        invalid=invalid,
        votes={k: n for k, n in votes.items() if n},
        post_void={p: n for p, n in post_void.items() if n},
        proxy_voted=proxy_voted,
    )


def seats_by_post(posts: Iterable[PostSeats], rules: CountingRules) -> dict[str, int]:
    """``post -> seats`` in counting order; refuses a post the body does not elect or a repeated post."""
    seats: dict[str, int] = {}
    for item in posts:
        if item.post not in rules.posts:
            raise ValueError(
                f"{rules.body} does not elect {item.post!r} under these rules (posts: {rules.posts})"
            )
        if item.post in seats:
            raise ValueError(f"post {item.post!r} given twice")
        seats[item.post] = item.seats
    return {post: seats[post] for post in COUNT_ORDER if post in seats}
