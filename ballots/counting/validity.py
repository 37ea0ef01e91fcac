"""Is the round valid? Turnout / quorum, ballots returned against the comparator, figures that add up.

``check_round`` answers a ``RoundValidity``: ``election_invalid`` (not more than half of registered
voters voted, VCOL §15; party: not more than 4/5 of members due present, CPC), ``round_void`` (more
ballots returned than voters who voted or ballots issued, ZJ §27 / SH §19 / BJ §28 / HA / CPC), both
of which mean a re-run (重新选举); ``figures_inconsistent`` (a tally that cannot be right: fix the
entry before deciding anything); or ``valid``. Warnings never change the status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .inputs import PostSeats, RoundTotals, seats_by_post
from .reasons import ERROR, WARNING, Reason, explain
from .rules import MEMBER, CountingRules, more_than_fraction, smallest_more_than

VALID = "valid"
ELECTION_INVALID = "election_invalid"
ROUND_VOID = "round_void"
FIGURES_INCONSISTENT = "figures_inconsistent"

_INCONSISTENT = {"E3", "E4", "E5", "E6", "E7", "P2"}
_LIMIT_NAMES = {
    "voted": ("voters who voted", "参加投票人数"),
    "issued": ("ballots issued", "发出选票数"),
}
_LIMIT_SOURCES = {"voted": "ZJ §27, SH §19, BJ §28", "issued": "HA"}


@dataclass(frozen=True, slots=True)
class RoundValidity:
    """选举是否有效 — the status of a round and every check behind it."""

    status: str
    reasons: tuple[Reason, ...]

    @property
    def is_valid(self) -> bool:
        return self.status == VALID

    @property
    def needs_rerun(self) -> bool:
        """Void or invalid: a whole new election (重新选举)."""
        return self.status in (ELECTION_INVALID, ROUND_VOID)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)

    @property
    def errors(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.severity == ERROR)

    @property
    def warnings(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.severity == WARNING)


def check_round(
    totals: RoundTotals, rules: CountingRules, posts: Iterable[PostSeats] | None = None
) -> RoundValidity:
    """Check one round's totals under ``rules``; with ``posts`` the per-post figures are checked too."""
    reasons: list[Reason] = []
    if totals.voted > totals.registered:
        reasons.append(explain("E6", voted=totals.voted, registered=totals.registered))
    reasons.append(_quorum(totals, rules))
    reasons.extend(_ballots_returned(totals, rules))
    if totals.invalid > totals.returned:
        reasons.append(explain("E5", invalid=totals.invalid, returned=totals.returned))
    elif 100 * totals.invalid > rules.invalid_warning_percent * totals.returned:
        reasons.append(
            explain(
                "W1", invalid=totals.invalid, returned=totals.returned, percent=rules.invalid_warning_percent
            )
        )
    if rules.is_party and totals.proxy_voted:
        reasons.append(explain("P2", proxy_voted=totals.proxy_voted))
    if posts is not None:
        reasons.extend(_per_post(totals, rules, seats_by_post(posts, rules)))
    else:
        reasons.extend(_per_person(totals, {post for post, _ in totals.votes}))
    return RoundValidity(status=_status(reasons), reasons=tuple(reasons))


def _quorum(totals: RoundTotals, rules: CountingRules) -> Reason:
    n, d = rules.quorum_numerator, rules.quorum_denominator
    met = more_than_fraction(totals.voted, totals.registered, n, d)
    if rules.is_party:
        figures = {"present": totals.voted, "due": totals.registered}
        if met:
            return explain("P3", **figures)
        return explain("P1", needed=smallest_more_than(totals.registered, n, d), **figures)
    if met:
        return explain("I1", voted=totals.voted, registered=totals.registered)
    return explain(
        "E1",
        voted=totals.voted,
        registered=totals.registered,
        needed=smallest_more_than(totals.registered, n, d),
    )


def _ballots_returned(totals: RoundTotals, rules: CountingRules) -> list[Reason]:
    comparator = rules.ballots_comparator
    limit = totals.voted if comparator == "voted" else totals.issued
    en, zh = _LIMIT_NAMES[comparator]
    source = "CPC" if rules.is_party else _LIMIT_SOURCES[comparator]
    figures = {"returned": totals.returned, "limit": limit, "limit_en": en, "limit_zh": zh, "source": source}
    reasons = [explain("E2" if totals.returned > limit else "I2", **figures)]
    if comparator == "voted" and totals.returned > totals.issued:
        reasons.append(explain("W2", returned=totals.returned, issued=totals.issued))
    if totals.issued < totals.voted:
        reasons.append(explain("W3", issued=totals.issued, voted=totals.voted))
    if totals.returned < totals.voted:
        reasons.append(
            explain(
                "I3", returned=totals.returned, voted=totals.voted, missing=totals.voted - totals.returned
            )
        )
    return reasons


def _per_post(totals: RoundTotals, rules: CountingRules, seats: dict[str, int]) -> list[Reason]:
    reasons: list[Reason] = []
    for post, _person in totals.votes:
        if post not in seats:
            raise ValueError(f"votes recorded for post {post!r}, which is not being elected")
    for post in seats:
        void = totals.post_void.get(post, 0)
        if void > max(totals.valid, 0):
            reasons.append(explain("E7", post=post, void=void, valid=totals.valid))
    for post, n in seats.items():
        ballots = max(totals.valid_for(post), 0)
        recorded = sum(totals.votes_for(post).values())
        if recorded > ballots * n:
            reasons.append(
                explain("E3", post=post, votes=recorded, ballots=ballots, seats=n, limit=ballots * n)
            )
    reasons.extend(_per_person(totals, set(seats)))
    total_seats = sum(seats.values())
    if (not rules.is_party or MEMBER in seats) and not (
        rules.committee_size_min <= total_seats <= rules.committee_size_max
    ):
        reasons.append(
            explain(
                "W4", seats=total_seats, size_min=rules.committee_size_min, size_max=rules.committee_size_max
            )
        )
    return reasons


def _per_person(totals: RoundTotals, posts: set[str]) -> list[Reason]:
    reasons = []
    for (post, person), n in sorted(totals.votes.items()):
        if post in posts and n > max(totals.valid_for(post), 0):
            reasons.append(explain("E4", post=post, name=person, votes=n, ballots=totals.valid_for(post)))
    return reasons


def _status(reasons: list[Reason]) -> str:
    codes = {r.code for r in reasons}
    if codes & _INCONSISTENT:
        return FIGURES_INCONSISTENT
    if codes & {"E1", "P1"}:
        return ELECTION_INVALID
    if "E2" in codes:
        return ROUND_VOID
    return VALID
