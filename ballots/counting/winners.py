"""Who is elected in the first round (当选), per domain.md §6.

``decide_winners`` takes a round's totals and answers a ``RoundOutcome``: per post the standings
(each person's counted votes, with the 下靠 breakdown), who is elected, ties at the cut-off that need
another ballot, seats left for the run-off (some kept for a woman) and the reasons for all of it.

Order of decisions: the round must be valid (``check_round``); posts are decided in ``COUNT_ORDER``
(a person elected to a post is not counted for a later one); a post's qualifiers (more than half of
the ballots cast, ``2 × votes > cast``) are elected in vote order, a tie at the cut-off is never
broken here; once nothing is tied, close relatives elected together keep only the higher post
(ZJ §31) and, if no woman is elected where one is required, a seat is kept for a woman (ZJ §29).
A tie is settled by calling again with ``resolved_ties`` (``TieRevote.id`` -> who won the re-vote).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .inputs import WRITE_IN_PREFIX, Candidate, PostSeats, RoundTotals, seats_by_post
from .reasons import BASE_NAMES, Reason, explain
from .rules import (
    CASCADE_FROM,
    COUNT_ORDER,
    MEMBER,
    POST_LEVEL,
    WOMEN_MEMBER,
    CountingRules,
    at_least_fraction,
    smallest_at_least,
)
from .validity import RoundValidity, check_round

# Standing results
ELECTED = "elected"
TIED = "tied"
OUTRANKED = "outranked"  # more than the threshold but fewer votes than those elected
BELOW_THRESHOLD = "below_threshold"
ALREADY_ELECTED = "already_elected"  # elected to another post (earlier in counting order, or in round 1)
NOT_ELIGIBLE = "not_eligible"  # e.g. a man on the women's seat, a relative of someone already elected
RELATIVE_REMOVED = "relative_removed"  # ZJ §31: a close relative keeps a higher post
GAVE_WAY = "gave_way"  # ZJ §29: the member with fewest votes gives way to a woman
PENDING = "pending"  # waits for a tie re-vote

# Post statuses
DECIDED = "decided"
TIE = "tie"
VOID = "void"  # the round is not valid: nothing decided

_ORDER = {post: index for index, post in enumerate(COUNT_ORDER)}


@dataclass(frozen=True, slots=True)
class Standing:
    """One person's line in a post's count: counted votes = own votes + votes cascaded (下靠)."""

    person: str
    name: str
    votes: int
    own_votes: int
    cascaded_votes: int
    passes_threshold: bool
    result: str


@dataclass(frozen=True, slots=True)
class TieRevote:
    """再次投票 — people tied where the rules cannot choose; another ballot among them decides.

    ``kind``: 'cutoff' (tied at the last seats, domain.md §6), 'relatives' (relatives at the same
    level with equal votes, ZJ §31), 'give_way' (fewest-votes members when a seat must go to a woman,
    ZJ §29). ``seats``: how many of ``candidates`` the re-vote elects (or keeps).
    """

    id: str
    kind: str
    post: str
    candidates: tuple[str, ...]
    seats: int
    votes: int


@dataclass(frozen=True, slots=True)
class Elected:
    """当选 — a person elected to a post, with the votes counted for it."""

    person: str
    name: str
    post: str
    votes: int
    is_woman: bool


@dataclass(frozen=True, slots=True)
class PostResult:
    """The count of one post: standings in vote order, who is elected, seats left."""

    post: str
    seats: int
    status: str
    standings: tuple[Standing, ...]
    elected: tuple[str, ...]
    unfilled: int
    women_only_unfilled: int
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class RoundOutcome:
    """选举结果 — the outcome of round 1 of one election, with every reason."""

    validity: RoundValidity
    cast: int
    base: str
    posts: tuple[PostResult, ...]
    elected: tuple[Elected, ...]
    ties: tuple[TieRevote, ...]
    reasons: tuple[Reason, ...]

    def post(self, post: str) -> PostResult:
        for result in self.posts:
            if result.post == post:
                return result
        raise KeyError(post)

    @property
    def is_decided(self) -> bool:
        """Valid, nothing tied and nothing waiting for a re-vote."""
        return self.validity.is_valid and not self.ties and all(p.status == DECIDED for p in self.posts)

    @property
    def unfilled(self) -> dict[str, int]:
        return {p.post: p.unfilled for p in self.posts if p.unfilled}

    @property
    def women_only_unfilled(self) -> dict[str, int]:
        return {p.post: p.women_only_unfilled for p in self.posts if p.women_only_unfilled}

    @property
    def needs_runoff(self) -> bool:
        return self.is_decided and bool(self.unfilled)

    @property
    def needs_rerun(self) -> bool:
        return self.validity.needs_rerun

    @property
    def is_filled_in_first_round(self) -> bool:
        """一次选举成功: every seat filled without a run-off (a tie re-vote the same day does not count against)."""
        return self.is_decided and not self.unfilled


# --- The engine shared with the run-off -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Threshold:
    """What a person needs: more than half (``majority``) or at least a fraction (run-off) of ``cast``."""

    cast: int
    base: str
    kind: str = "majority"
    numerator: int = 1
    denominator: int = 2
    source: str = "VCOL §15"

    def passes(self, votes: int) -> bool:
        if votes <= 0:
            return False
        if self.kind == "majority":
            return 2 * votes > self.cast
        return at_least_fraction(votes, self.cast, self.numerator, self.denominator)

    @property
    def needed(self) -> int:
        if self.kind == "majority":
            return self.cast // 2 + 1
        return smallest_at_least(self.cast, self.numerator, self.denominator)

    def explain(self, passed: bool, post: str, name: str, votes: int) -> Reason:
        base_en, base_zh = BASE_NAMES[self.base]
        figures: dict[str, object] = dict(
            post=post,
            name=name,
            votes=votes,
            cast=self.cast,
            needed=self.needed,
            base_en=base_en,
            base_zh=base_zh,
        )
        if self.kind == "majority":
            return explain("A1" if passed else "A2", source=self.source, **figures)
        fraction_zh = f"{_CHINESE_NUMBERS.get(self.denominator, self.denominator)}分之{self.numerator}"
        fraction = f"{self.numerator}/{self.denominator}"
        return explain("R4" if passed else "R5", fraction=fraction, fraction_zh=fraction_zh, **figures)


_CHINESE_NUMBERS = {2: "二", 3: "三", 4: "四", 5: "五"}


def majority_threshold(totals: RoundTotals, rules: CountingRules) -> Threshold:
    """ "More than half of the votes of those who voted" (VCOL §15; party: members present, CPC)."""
    if rules.is_party:
        return Threshold(cast=totals.voted, base="present", source="CPC")
    cast = totals.returned if rules.majority_base == "returned" else totals.voted
    return Threshold(cast=cast, base=rules.majority_base)


@dataclass
class _Line:
    person: str
    votes: int
    own: int
    cascaded: int
    passes: bool
    result: str = BELOW_THRESHOLD


@dataclass
class PostWork:
    """A post being counted (mutable while the rules run, frozen into ``PostResult`` at the end)."""

    post: str
    seats: int
    women_seats: int
    lines: dict[str, _Line] = field(default_factory=dict)
    elected: list[str] = field(default_factory=list)
    status: str = DECIDED
    reasons: list[Reason] = field(default_factory=list)

    def freeze(self, people: Mapping[str, Candidate], extra_unfilled_women: int = 0) -> PostResult:
        standings = tuple(
            Standing(
                person=line.person,
                name=person_name(line.person, people),
                votes=line.votes,
                own_votes=line.own,
                cascaded_votes=line.cascaded,
                passes_threshold=line.passes,
                result=line.result,
            )
            for line in sorted(
                self.lines.values(), key=lambda x: (-x.votes, person_name(x.person, people), x.person)
            )
        )
        unfilled = self.seats - len(self.elected) if self.status == DECIDED else 0
        women_elected = sum(1 for p in self.elected if _is_woman(p, people))
        women_unfilled = max(self.women_seats - women_elected, 0) + extra_unfilled_women
        return PostResult(
            post=self.post,
            seats=self.seats,
            status=self.status,
            standings=standings,
            elected=tuple(self.elected),
            unfilled=unfilled,
            women_only_unfilled=min(women_unfilled, unfilled),
            reasons=tuple(self.reasons),
        )


def person_name(person: str, people: Mapping[str, Candidate]) -> str:
    if person in people:
        return people[person].name
    return person[len(WRITE_IN_PREFIX) :] if person.startswith(WRITE_IN_PREFIX) else person


def _is_woman(person: str, people: Mapping[str, Candidate]) -> bool:
    return person in people and people[person].is_woman


def votes_by_post(totals: RoundTotals) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for (post, person), n in totals.votes.items():
        if n:
            table.setdefault(post, {})[person] = n
    return table


def fill_seats(
    ranked: Sequence[tuple[str, int]],
    seats: int,
    *,
    tie_id: str,
    post: str,
    resolved: Mapping[str, Sequence[str]],
) -> tuple[list[str], TieRevote | None, list[Reason]]:
    """Elect ``seats`` of the qualifiers ``ranked`` (vote order); a tie at the cut-off is returned, not broken."""
    if seats <= 0 or not ranked:
        return [], None, []
    if len(ranked) <= seats or ranked[seats][1] < ranked[seats - 1][1]:
        return [p for p, _ in ranked[:seats]], None, []
    cut = ranked[seats - 1][1]
    above = [p for p, v in ranked if v > cut]
    at_cut = [p for p, v in ranked if v == cut]
    open_seats = seats - len(above)
    if tie_id in resolved:
        chosen = list(dict.fromkeys(resolved[tie_id]))
        if len(chosen) != open_seats or not set(chosen) <= set(at_cut):
            raise ValueError(f"tie {tie_id}: the re-vote must elect {open_seats} of {at_cut}, not {chosen}")
        chosen.sort(key=at_cut.index)
        return above + chosen, None, [explain("A20", post=post, names=tuple(chosen))]
    tie = TieRevote(
        id=tie_id, kind="cutoff", post=post, candidates=tuple(at_cut), seats=open_seats, votes=cut
    )
    return above, tie, []


def count_posts(
    *,
    seats: Mapping[str, int],
    women_seats: Mapping[str, int],
    votes: Mapping[str, Mapping[str, int]],
    people: Mapping[str, Candidate],
    standing_for: Mapping[str, Iterable[str]],
    rules: CountingRules,
    threshold: Threshold,
    already_elected: Mapping[str, str],
    ineligible: Callable[[str, str], Reason | None],
    resolved: Mapping[str, Sequence[str]],
    tie_prefix: str = "",
) -> tuple[list[PostWork], list[TieRevote]]:
    """Decide each post in counting order: 下靠, eligibility, threshold, vote order, ties.

    ``standing_for``: per post, people listed even without a vote (the candidates on that line).
    """
    works: list[PostWork] = []
    ties: list[TieRevote] = []
    elected_to: dict[str, str] = dict(already_elected)
    uncertain: set[str] = set()  # people whose result waits for a re-vote
    uncertain_post = ""
    for post, n_seats in seats.items():
        work = PostWork(post=post, seats=n_seats, women_seats=min(women_seats.get(post, 0), n_seats))
        works.append(work)
        own = votes.get(post, {})
        higher = CASCADE_FROM.get(post, ()) if rules.has_cascade else ()
        persons = set(own) | set(standing_for.get(post, ()))
        for h in higher:
            persons.update(votes.get(h, {}))
        for person in persons:
            o = own.get(person, 0)
            c = sum(votes.get(h, {}).get(person, 0) for h in higher)
            work.lines[person] = _Line(person, o + c, o, c, threshold.passes(o + c))
        if persons & uncertain:
            work.status = PENDING
            for line in work.lines.values():
                line.result = PENDING
            work.reasons.append(explain("A12", post=post, higher=uncertain_post))
            uncertain |= persons
            continue
        qualifiers: list[tuple[str, int]] = []
        for line in sorted(
            work.lines.values(), key=lambda x: (-x.votes, person_name(x.person, people), x.person)
        ):
            person = line.person
            name = person_name(person, people)
            if person in elected_to:
                line.result = ALREADY_ELECTED
                line.passes = False
                if line.votes:
                    work.reasons.append(explain("A6", post=post, name=name, higher=elected_to[person]))
                continue
            reason = ineligible(person, post)
            not_a_woman = work.women_seats == n_seats and not _is_woman(person, people)
            if reason is not None or not_a_woman:
                line.result = NOT_ELIGIBLE
                line.passes = False
                if line.votes:
                    work.reasons.append(reason or explain("A15", post=post, name=name))
                continue
            if line.passes:
                qualifiers.append((person, line.votes))
            elif person in people:
                work.reasons.append(threshold.explain(False, post, name, line.votes))
        qualifiers.sort(key=lambda pv: (-pv[1], person_name(pv[0], people), pv[0]))
        women = [(p, v) for p, v in qualifiers if _is_woman(p, people)]
        chosen, tie, notes = fill_seats(
            women, work.women_seats, tie_id=f"{tie_prefix}{post}:women", post=post, resolved=resolved
        )
        if tie is None and n_seats > work.women_seats:
            rest = [(p, v) for p, v in qualifiers if p not in chosen]
            more, tie, more_notes = fill_seats(
                rest,
                n_seats - work.women_seats,
                tie_id=f"{tie_prefix}{post}:cutoff",
                post=post,
                resolved=resolved,
            )
            chosen += more
            notes += more_notes
        work.reasons.extend(notes)
        work.elected = chosen
        for person in chosen:
            work.lines[person].result = ELECTED
            elected_to[person] = post
            line = work.lines[person]
            work.reasons.append(threshold.explain(True, post, person_name(person, people), line.votes))
            if line.cascaded:
                work.reasons.append(
                    explain(
                        "A5",
                        post=post,
                        name=person_name(person, people),
                        votes=line.votes,
                        own=line.own,
                        cascaded=line.cascaded,
                    )
                )
        for person, _ in qualifiers:
            if work.lines[person].result == BELOW_THRESHOLD:
                work.lines[person].result = OUTRANKED
        if tie is not None:
            work.status = TIE
            ties.append(tie)
            names = tuple(person_name(p, people) for p in tie.candidates)
            work.reasons.append(explain("A4", post=post, names=names, votes=tie.votes, seats=tie.seats))
            for person in tie.candidates:
                work.lines[person].result = TIED
            if tie.id.endswith(":women"):  # the ordinary seats of this post wait too
                for person, _ in qualifiers:
                    if work.lines[person].result == OUTRANKED:
                        work.lines[person].result = PENDING
            uncertain |= set(tie.candidates)
            uncertain_post = uncertain_post or post
        else:
            for person, _ in qualifiers:
                if work.lines[person].result == OUTRANKED:
                    work.reasons.append(
                        explain(
                            "A3",
                            post=post,
                            name=person_name(person, people),
                            votes=work.lines[person].votes,
                            seats=n_seats,
                        )
                    )
    return works, ties


def relatives_map(candidates: Iterable[Candidate]) -> dict[str, set[str]]:
    """Close relatives of each person, made symmetric."""
    table: dict[str, set[str]] = {}
    for candidate in candidates:
        for other in candidate.relatives:
            if other != candidate.id:
                table.setdefault(candidate.id, set()).add(other)
                table.setdefault(other, set()).add(candidate.id)
    return table


def apply_relatives(
    works: Sequence[PostWork],
    relatives: Mapping[str, set[str]],
    people: Mapping[str, Candidate],
    resolved: Mapping[str, Sequence[str]],
    *,
    fixed: Mapping[str, tuple[str, int]] | None = None,
    tie_prefix: str = "",
) -> list[TieRevote]:
    """ZJ §31: of close relatives elected together the higher post stays; the same level → more votes;
    equal → another ballot. ``fixed``: people already elected (round 1, for a run-off) who always stay."""
    fixed = dict(fixed or {})
    preferred = {p for key, chosen in resolved.items() if ":relatives:" in key for p in chosen}
    entries = [(w, person, w.lines[person].votes) for w in works for person in w.elected]
    entries.sort(key=lambda e: (POST_LEVEL[e[0].post], -e[2], e[1] not in preferred, _ORDER[e[0].post], e[1]))
    kept: dict[str, tuple[str, int]] = dict(fixed)
    ties: list[TieRevote] = []
    for work, person, votes in entries:
        conflicts = sorted(relatives.get(person, set()) & set(kept))
        if not conflicts:
            kept[person] = (work.post, votes)
            continue
        other = conflicts[0]
        other_post, other_votes = kept[other]
        same = other not in fixed and POST_LEVEL[other_post] == POST_LEVEL[work.post] and other_votes == votes
        tie_id = f"{tie_prefix}relatives:{'+'.join(sorted((person, other)))}"
        if same and tie_id not in resolved:
            ties.append(
                TieRevote(
                    id=tie_id,
                    kind="relatives",
                    post=work.post,
                    candidates=(other, person),
                    seats=1,
                    votes=votes,
                )
            )
            names = (person_name(other, people), person_name(person, people))
            work.reasons.append(explain("A8", names=names, votes=votes))
            for w in works:
                for p in (person, other):
                    if p in w.elected:
                        w.elected.remove(p)
                        w.lines[p].result = TIED
                        w.status = TIE
            del kept[other]
            continue
        work.elected.remove(person)
        work.lines[person].result = RELATIVE_REMOVED
        code = "R11" if other in fixed else "A7"
        work.reasons.append(
            explain(
                code,
                name=person_name(person, people),
                post=work.post,
                other=person_name(other, people),
                other_post=other_post,
            )
        )
    return ties


# --- Round 1 -------------------------------------------------------------------------------------


def decide_winners(
    totals: RoundTotals,
    candidates: Iterable[Candidate],
    posts: Iterable[PostSeats],
    rules: CountingRules,
    *,
    resolved_ties: Mapping[str, Sequence[str]] | None = None,
) -> RoundOutcome:
    """Decide round 1 of one body's election under ``rules`` (see the module docstring for the order)."""
    candidates = list(candidates)
    posts = list(posts)
    seats = seats_by_post(posts, rules)
    resolved = dict(resolved_ties or {})
    people = {c.id: c for c in candidates}
    validity = check_round(totals, rules, posts)
    threshold = majority_threshold(totals, rules)
    reasons: list[Reason] = []
    if rules.is_party and MEMBER in seats:
        reasons.append(explain("P4"))
    if not validity.is_valid:
        void = tuple(
            PostResult(
                post=p, seats=n, status=VOID, standings=(), elected=(), unfilled=0, women_only_unfilled=0
            )
            for p, n in seats.items()
        )
        return RoundOutcome(
            validity=validity,
            cast=threshold.cast,
            base=threshold.base,
            posts=void,
            elected=(),
            ties=(),
            reasons=(*reasons, explain("A16")),
        )
    women_seats = {WOMEN_MEMBER: seats[WOMEN_MEMBER]} if WOMEN_MEMBER in seats else {}
    works, ties = count_posts(
        seats=seats,
        women_seats=women_seats,
        votes=votes_by_post(totals),
        people=people,
        standing_for=_standing_for(candidates),
        rules=rules,
        threshold=threshold,
        already_elected={},
        ineligible=lambda person, post: None,
        resolved=resolved,
    )
    extra_women: dict[str, int] = {}
    if ties or any(w.status != DECIDED for w in works):
        if rules.has_relatives_rule or rules.women_required:
            reasons.append(explain("A19"))
    else:
        if rules.has_relatives_rule:
            ties += apply_relatives(works, relatives_map(candidates), people, resolved)
        if not ties and rules.women_required:
            ties += _women_required(works, people, resolved, reasons, extra_women)
    results = tuple(w.freeze(people, extra_women.get(w.post, 0)) for w in works)
    for result in results:
        if result.post == WOMEN_MEMBER and result.unfilled:
            reasons.append(explain("A11"))
        if result.unfilled:
            reasons.append(explain("A13", post=result.post, unfilled=result.unfilled, seats=result.seats))
    elected = tuple(
        Elected(
            person=p,
            name=person_name(p, people),
            post=r.post,
            votes=next(s.votes for s in r.standings if s.person == p),
            is_woman=_is_woman(p, people),
        )
        for r in results
        for p in r.elected
    )
    is_decided = not ties and all(r.status == DECIDED for r in results)
    if is_decided and not any(r.unfilled for r in results):
        reasons.append(explain("A14", seats=sum(seats.values())))
    return RoundOutcome(
        validity=validity,
        cast=threshold.cast,
        base=threshold.base,
        posts=results,
        elected=elected,
        ties=tuple(ties),
        reasons=tuple(reasons),
    )


def _standing_for(candidates: Iterable[Candidate]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for candidate in candidates:
        table.setdefault(candidate.post, []).append(candidate.id)
    return table


def _women_required(
    works: Sequence[PostWork],
    people: Mapping[str, Candidate],
    resolved: Mapping[str, Sequence[str]],
    reasons: list[Reason],
    extra_women: dict[str, int],
) -> list[TieRevote]:
    """ZJ §29: no woman elected → a seat for a woman in the run-off (the women's post keeps its own)."""
    if any(_is_woman(p, people) for w in works for p in w.elected):
        return []
    by_post = {w.post: w for w in works}
    if WOMEN_MEMBER in by_post:
        return []  # the women's post is unfilled and stays a women's post in the run-off (A11)
    member = by_post.get(MEMBER)
    if member is None or (not member.elected and member.seats == 0):
        reasons.append(explain("A17"))
        return []
    if len(member.elected) < member.seats:
        extra_women[MEMBER] = 1
        reasons.append(explain("A9"))
        return []
    fewest = min(member.lines[p].votes for p in member.elected)
    lowest = [p for p in member.elected if member.lines[p].votes == fewest]
    tie_id = f"{MEMBER}:give_way"
    if len(lowest) > 1:
        if tie_id not in resolved:
            names = tuple(person_name(p, people) for p in lowest)
            reasons.append(explain("A18", names=names, votes=fewest))
            member.status = TIE
            return [
                TieRevote(
                    id=tie_id,
                    kind="give_way",
                    post=MEMBER,
                    candidates=tuple(lowest),
                    seats=len(lowest) - 1,
                    votes=fewest,
                )
            ]
        staying = set(resolved[tie_id])
        if len(staying) != len(lowest) - 1 or not staying <= set(lowest):
            raise ValueError(f"tie {tie_id}: the re-vote must keep {len(lowest) - 1} of {lowest}")
        lowest = [p for p in lowest if p not in staying]
    leaving = lowest[0]
    member.elected.remove(leaving)
    member.lines[leaving].result = GAVE_WAY
    extra_women[MEMBER] = 1
    reasons.append(explain("A10", name=person_name(leaving, people), votes=fewest))
    return []


def decide_tie_revote(tie: TieRevote, votes: Mapping[str, int]) -> tuple[tuple[str, ...], TieRevote | None]:
    """The re-vote among the tied: the ``tie.seats`` with most votes; equal again at the cut-off → a new tie.

    Answers ``(elected, None)`` — pass on as ``resolved_ties={tie.id: elected}`` — or ``(elected so far,
    remaining tie)``: the remaining tie keeps the id, and once it is settled the resolution of ``tie.id``
    is those elected so far plus its winners.
    """
    unknown = set(votes) - set(tie.candidates)
    if unknown:
        raise ValueError(f"votes for people not in the re-vote: {sorted(unknown)}")
    ranked = sorted(((p, votes.get(p, 0)) for p in tie.candidates), key=lambda pv: (-pv[1], pv[0]))
    chosen, again, _ = fill_seats(ranked, tie.seats, tie_id=tie.id, post=tie.post, resolved={})
    if again is not None:
        return tuple(chosen), TieRevote(
            id=tie.id,
            kind=tie.kind,
            post=tie.post,
            candidates=again.candidates,
            seats=again.seats,
            votes=again.votes,
        )
    return tuple(chosen), None
