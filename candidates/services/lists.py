"""The official candidate list as it stands (正式候选人名单): per post the candidates in order, the
reserves after the cap, and every reason the list cannot be published yet (``candidate_list_check``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from election_admin.models import Election

from ..choices import CandidateStatus
from ..models import Candidate
from ..rules import Ranked, candidates_needed, cut_list, tally_order
from ..strokes import stroke_sort_key, unknown_characters
from .common import is_party, margin_for, post_label, posts_for


@dataclass
class PostList:
    """One post of the list: seats, how many candidates the rule set asks for, and who stands."""

    post: str
    label: str
    seats: int
    needed_min: int
    needed_max: int | None
    margin_min: int
    official: list[Candidate] = field(default_factory=list)
    reserves: list[Candidate] = field(default_factory=list)
    tie: list[Candidate] = field(default_factory=list)
    in_review: list[Candidate] = field(default_factory=list)
    failed: list[Candidate] = field(default_factory=list)
    withdrawn: list[Candidate] = field(default_factory=list)
    unknown_strokes: list[str] = field(default_factory=list)

    @property
    def passed_count(self) -> int:
        return len(self.official) + len(self.reserves)

    @property
    def missing(self) -> int:
        return max(0, self.needed_min - self.passed_count)


@dataclass(frozen=True)
class Problem:
    """Why the list cannot be published yet, in words naming the rule and the numbers."""

    code: str  # "short", "tie", "in_review", "no_posts"
    message: str
    post: str = ""
    seats: int = 0
    candidates: int = 0
    needed: int = 0


def election_candidates(election: Election) -> list[Candidate]:
    return list(
        Candidate.objects.filter(election=election)
        .select_related("voter", "nomination", "occupation")
        .order_by("id")
    )


def _ordered(election: Election, passed: list[Candidate]) -> list[Ranked[Candidate]]:
    ranked = [Ranked(c, c.nomination.tally, c.nomination.recorded_at, c.voter.name) for c in passed]
    if is_party(election):
        return sorted(ranked, key=lambda r: (stroke_sort_key(r.name), r.nominated_at))
    return tally_order(ranked)


def official_list(election: Election, candidates: list[Candidate] | None = None) -> list[PostList]:
    """The list per post as it would be published now: passed candidates in nomination-vote order
    (party branch: surname stroke order), up to the rule set's cap; the rest are reserves."""
    rules = election.cycle.rule_set
    candidates = election_candidates(election) if candidates is None else candidates
    result = []
    for post, seats in posts_for(election):
        margin = margin_for(rules, election, post)
        low, high = candidates_needed(seats, margin)
        of_post = [c for c in candidates if c.post == post]
        passed = [c for c in of_post if c.status == CandidateStatus.PASSED]
        cut = cut_list(_ordered(election, passed), high, by_tally=not is_party(election))
        entry = PostList(
            post=post,
            label=post_label(election, post),
            seats=seats,
            needed_min=low,
            needed_max=high,
            margin_min=margin.minimum,
            official=cut.official,
            reserves=cut.reserves,
            tie=cut.tie_at_cutoff,
            in_review=[c for c in of_post if c.status == CandidateStatus.IN_REVIEW],
            failed=[c for c in of_post if c.status == CandidateStatus.FAILED],
            withdrawn=[c for c in of_post if c.status == CandidateStatus.WITHDRAWN],
        )
        if is_party(election):
            entry.unknown_strokes = sorted({u for c in passed if (u := unknown_characters(c.voter.name))})
        result.append(entry)
    return result


def _short_message(election: Election, entry: PostList) -> str:
    values = {
        "post": entry.label,
        "seats": entry.seats,
        "count": entry.passed_count,
        "needed": entry.needed_min,
        "margin": entry.margin_min,
        "missing": entry.missing,
    }
    if is_party(election):
        text = _(
            "%(post)s: %(seats)s seat(s); a party branch needs at least %(percent)s%% more candidates than "
            "seats, rounded up: %(needed)s. %(count)s passed the review, %(missing)s more needed."
        ) % {**values, "percent": election.cycle.rule_set.party_margin_percent}
    else:
        text = (
            _(
                "%(post)s: %(seats)s seat(s); the rule set asks for at least %(margin)s more candidates than "
                "seats: %(needed)s. %(count)s passed the review, %(missing)s more needed."
            )
            % values
        )
    if entry.in_review:
        text += " " + ngettext(
            "%(n)s candidate of this post is still in review.",
            "%(n)s candidates of this post are still in review.",
            len(entry.in_review),
        ) % {"n": len(entry.in_review)}
    return text


def candidate_list_check(election: Election, lists: list[PostList] | None = None) -> list[Problem]:
    """Everything that keeps the official list from being published, post by post (empty: it may be)."""
    lists = official_list(election) if lists is None else lists
    problems: list[Problem] = []
    if not lists:
        problems.append(Problem("no_posts", _("This election has no seats.")))
    for entry in lists:
        if entry.missing:
            problems.append(
                Problem(
                    "short",
                    _short_message(election, entry),
                    post=entry.post,
                    seats=entry.seats,
                    candidates=entry.passed_count,
                    needed=entry.needed_min,
                )
            )
        if entry.tie:
            problems.append(
                Problem(
                    "tie",
                    _(
                        "%(post)s: at most %(max)s candidates, but %(names)s are tied at the cut-off with "
                        "%(tally)s nomination votes each. Break the tie (a further nomination vote, or a "
                        "withdrawal) before publishing."
                    )
                    % {
                        "post": entry.label,
                        "max": entry.needed_max,
                        "names": "、".join(c.voter.name for c in entry.tie),
                        "tally": entry.tie[0].nomination.tally,
                    },
                    post=entry.post,
                    seats=entry.seats,
                    candidates=entry.passed_count,
                    needed=entry.needed_min,
                )
            )
    in_review = [c for entry in lists for c in entry.in_review]
    if in_review:
        problems.append(
            Problem(
                "in_review",
                ngettext(
                    "%(n)s candidate is still in review (%(names)s): the township review and the county's "
                    "joint review must be finished first.",
                    "%(n)s candidates are still in review (%(names)s): the township review and the county's "
                    "joint review must be finished first.",
                    len(in_review),
                )
                % {"n": len(in_review), "names": "、".join(c.voter.name for c in in_review[:10])},
                candidates=len(in_review),
            )
        )
    return problems
