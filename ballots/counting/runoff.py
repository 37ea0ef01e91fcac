"""另行选举 (run-off) for the seats round 1 left unfilled (VCOL §15, ZJ §29–§31, CPC).

``runoff_candidates`` draws the run-off list from round 1: per post, the non-winners in vote order
(counted votes, 下靠 included), seats × 2 or seats + 1 of them (rule set), everyone tied at the edge
of the list included; a seat kept for a woman draws women. ``decide_runoff`` counts the run-off: the
most votes win provided they have at least 1/3 (rule set) of the ballots cast (party branch: still
more than half of members present), the run-off must fall within the window after election day, and
with enough members elected (ZJ §30) the remaining seats may stay empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from .inputs import Candidate, PostSeats, RoundTotals
from .reasons import Reason, explain
from .rules import COUNT_ORDER, WOMEN_MEMBER, CountingRules
from .validity import RoundValidity, check_round
from .winners import (
    DECIDED,
    NOT_ELIGIBLE,
    VOID,
    Elected,
    PostResult,
    RoundOutcome,
    Threshold,
    TieRevote,
    apply_relatives,
    count_posts,
    majority_threshold,
    person_name,
    relatives_map,
    votes_by_post,
)


@dataclass(frozen=True, slots=True)
class RunoffSeats:
    """One post in the run-off: seats (of which ``women_seats`` for women only) and its candidates."""

    post: str
    seats: int
    women_seats: int
    pool: tuple[str, ...]
    pool_votes: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RunoffPlan:
    """What the run-off ballot carries, drawn from round 1."""

    seats: tuple[RunoffSeats, ...]
    already_elected: tuple[Elected, ...]
    may_leave_seats_empty: bool
    reasons: tuple[Reason, ...]

    @property
    def posts(self) -> tuple[PostSeats, ...]:
        """The run-off's posts and seats, to count its ballots with ``count_ballots``."""
        return tuple(PostSeats(s.post, s.seats) for s in self.seats)


@dataclass(frozen=True, slots=True)
class RunoffOutcome:
    """The outcome of a run-off: who it elected, seats still open, and why."""

    validity: RoundValidity
    cast: int
    base: str
    posts: tuple[PostResult, ...]
    elected: tuple[Elected, ...]
    ties: tuple[TieRevote, ...]
    is_within_window: bool
    may_leave_seats_empty: bool
    reasons: tuple[Reason, ...]

    @property
    def is_decided(self) -> bool:
        return (
            self.validity.is_valid
            and self.is_within_window
            and not self.ties
            and all(p.status == DECIDED for p in self.posts)
        )

    @property
    def unfilled(self) -> dict[str, int]:
        return {p.post: p.unfilled for p in self.posts if p.unfilled}

    @property
    def women_only_unfilled(self) -> dict[str, int]:
        return {p.post: p.women_only_unfilled for p in self.posts if p.women_only_unfilled}


def pool_size(seats: int, rules: CountingRules) -> int:
    """How many run-off candidates ``seats`` open seats get (seats × 2 or seats + 1)."""
    return seats * 2 if rules.runoff_pool == "seats_times_two" else seats + 1


def runoff_deadline(election_day: date, rules: CountingRules) -> date:
    """The last day the run-off may be held (domain.md §6: within 30 days; BJ 15)."""
    return election_day + timedelta(days=rules.runoff_window_days)


def runoff_candidates(
    outcome: RoundOutcome, candidates: Iterable[Candidate], rules: CountingRules
) -> RunoffPlan:
    """The run-off list for every post ``outcome`` left unfilled (round-1 non-winners in vote order)."""
    if not outcome.is_decided:
        raise ValueError("round 1 is void, invalid or has ties to settle: no run-off list yet")
    candidates = list(candidates)
    people = {c.id: c for c in candidates}
    relatives = relatives_map(candidates) if rules.has_relatives_rule else {}
    elected = {e.person: e for e in outcome.elected}
    reasons: list[Reason] = []
    seats: list[RunoffSeats] = []
    for result in outcome.posts:
        if not result.unfilled:
            continue
        post, open_seats, women_seats = result.post, result.unfilled, result.women_only_unfilled
        eligible: list[tuple[str, int]] = []
        for standing in result.standings:  # already in vote order
            person = standing.person
            if standing.votes <= 0 or person in elected or standing.result == NOT_ELIGIBLE:
                continue
            related = sorted(relatives.get(person, set()) & set(elected))
            if related:
                other = person_name(related[0], people)
                reasons.append(explain("R9", post=post, name=standing.name, other=other))
                continue
            eligible.append((person, standing.votes))
        pool: list[tuple[str, int]] = []
        shortfalls: list[tuple[int, int]] = []  # (found, wanted) for each part of the list
        if open_seats > women_seats:
            size = pool_size(open_seats - women_seats, rules)
            pool = _take(eligible, size, post, people, reasons)
            shortfalls.append((len(pool), size))
        if women_seats:
            women = [(p, v) for p, v in eligible if p in people and people[p].is_woman]
            size = pool_size(women_seats, rules)
            women_pool = _take(women, size, post, people, reasons)
            shortfalls.append((len(women_pool), size))
            if post != WOMEN_MEMBER:
                names = tuple(person_name(p, people) for p, _ in women_pool)
                reasons.append(explain("R10", post=post, names=names))
            chosen = {p for p, _ in pool} | {p for p, _ in women_pool}
            pool = [(p, v) for p, v in eligible if p in chosen]
        for found, size in shortfalls:
            if found < size:
                reasons.append(explain("R2", post=post, found=found, size=size))
        names = tuple(person_name(p, people) for p, _ in pool)
        reasons.append(explain("R1", post=post, seats=open_seats, names=names))
        seats.append(
            RunoffSeats(
                post=post,
                seats=open_seats,
                women_seats=women_seats,
                pool=tuple(p for p, _ in pool),
                pool_votes=dict(pool),
            )
        )
    may_leave = _may_leave_seats_empty(
        len(outcome.elected), sum(s.seats for s in seats), sum(s.women_seats for s in seats), rules, reasons
    )
    return RunoffPlan(
        seats=tuple(seats),
        already_elected=outcome.elected,
        may_leave_seats_empty=may_leave,
        reasons=tuple(reasons),
    )


def _take(
    ranked: Sequence[tuple[str, int]],
    size: int,
    post: str,
    people: Mapping[str, Candidate],
    reasons: list[Reason],
) -> list[tuple[str, int]]:
    """The first ``size`` of ``ranked`` and everyone tied with the last of them (R3)."""
    if len(ranked) <= size:
        return list(ranked)
    edge = ranked[size - 1][1]
    taken = [(p, v) for p, v in ranked if v >= edge]
    if len(taken) > size:
        tied = tuple(person_name(p, people) for p, v in taken if v == edge)
        reasons.append(explain("R3", post=post, names=tied, votes=edge))
    return taken


def _may_leave_seats_empty(
    elected: int, unfilled: int, women_unfilled: int, rules: CountingRules, reasons: list[Reason]
) -> bool:
    """ZJ §30: with at least the minimum elected, the seats left may stay empty — not a seat kept for a woman."""
    minimum = rules.min_members_to_leave_seats_empty
    if minimum is None or not unfilled or women_unfilled or elected < minimum:
        return False
    reasons.append(explain("R7", elected=elected, minimum=minimum, unfilled=unfilled))
    return True


def decide_runoff(
    totals: RoundTotals,
    plan: RunoffPlan,
    candidates: Iterable[Candidate],
    rules: CountingRules,
    *,
    election_day: date,
    runoff_day: date,
    resolved_ties: Mapping[str, Sequence[str]] | None = None,
) -> RunoffOutcome:
    """Count the run-off held on ``runoff_day`` for the seats in ``plan``.

    Anyone on the run-off list or written in may win, except people already elected and (ZJ §31)
    their close relatives. Women's seats are filled first from the women, then the other seats in vote
    order; a tie at the cut-off is returned (``TieRevote`` ids start with ``runoff:``).
    """
    candidates = list(candidates)
    people = {c.id: c for c in candidates}
    resolved = dict(resolved_ties or {})
    posts = plan.posts
    validity = check_round(totals, rules, posts)
    reasons: list[Reason] = []
    days = (runoff_day - election_day).days
    within = 0 <= days <= rules.runoff_window_days
    figures = dict(runoff_day=runoff_day.isoformat(), election_day=election_day.isoformat(), days=days)
    reasons.append(explain("R12" if within else "R6", window=rules.runoff_window_days, **figures))
    threshold = _runoff_threshold(totals, rules)
    if not validity.is_valid or not within:
        void = tuple(
            PostResult(
                post=s.post,
                seats=s.seats,
                status=VOID,
                standings=(),
                elected=(),
                unfilled=0,
                women_only_unfilled=0,
            )
            for s in plan.seats
        )
        return RunoffOutcome(
            validity=validity,
            cast=threshold.cast,
            base=threshold.base,
            posts=void,
            elected=(),
            ties=(),
            is_within_window=within,
            may_leave_seats_empty=False,
            reasons=(*reasons, explain("A16")),
        )
    relatives = relatives_map(candidates) if rules.has_relatives_rule else {}
    already = {e.person: e.post for e in plan.already_elected}

    def ineligible(person: str, post: str) -> Reason | None:
        related = sorted(relatives.get(person, set()) & set(already))
        if not related:
            return None
        return explain(
            "R9", post=post, name=person_name(person, people), other=person_name(related[0], people)
        )

    ordered = sorted(plan.seats, key=lambda s: COUNT_ORDER.index(s.post))
    works, ties = count_posts(
        seats={s.post: s.seats for s in ordered},
        women_seats={s.post: s.women_seats for s in ordered},
        votes=votes_by_post(totals),
        people=people,
        standing_for={s.post: s.pool for s in ordered},
        rules=rules,
        threshold=threshold,
        already_elected=already,
        ineligible=ineligible,
        resolved=resolved,
        tie_prefix="runoff:",
    )
    if not ties and all(w.status == DECIDED for w in works) and rules.has_relatives_rule:
        fixed = {e.person: (e.post, e.votes) for e in plan.already_elected}
        ties += apply_relatives(works, relatives, people, resolved, fixed=fixed, tie_prefix="runoff:")
    results = tuple(w.freeze(people) for w in works)
    for result in results:
        if result.unfilled:
            reasons.append(explain("R8", post=result.post, unfilled=result.unfilled))
    elected = tuple(
        Elected(
            person=p,
            name=person_name(p, people),
            post=r.post,
            votes=next(s.votes for s in r.standings if s.person == p),
            is_woman=p in people and people[p].is_woman,
        )
        for r in results
        for p in r.elected
    )
    decided = not ties and all(r.status == DECIDED for r in results)
    may_leave = decided and _may_leave_seats_empty(
        len(plan.already_elected) + len(elected),
        sum(r.unfilled for r in results),
        sum(r.women_only_unfilled for r in results),
        rules,
        reasons,
    )
    return RunoffOutcome(
        validity=validity,
        cast=threshold.cast,
        base=threshold.base,
        posts=results,
        elected=elected,
        ties=tuple(ties),
        is_within_window=within,
        may_leave_seats_empty=may_leave,
        reasons=tuple(reasons),
    )


def _runoff_threshold(totals: RoundTotals, rules: CountingRules) -> Threshold:
    majority = majority_threshold(totals, rules)
    if rules.runoff_needs_majority:
        return majority
    return Threshold(
        cast=majority.cast,
        base=majority.base,
        kind="at_least",
        numerator=rules.runoff_threshold_numerator,
        denominator=rules.runoff_threshold_denominator,
    )
