"""The counting rules of one body's election (计票规则): bodies, posts and ``CountingRules``.

Pure data, no Django import. ``rules_for`` builds the rules of a body from the values of a rule set
(``RuleSet.values()`` in ``election_admin``) so the Django side never has to know these field names.
Sources are those of docs/domain.md: VCOL = 村民委员会组织法 (2018), ZJ/SH/BJ/HA = provincial measures,
CPC = 中国共产党基层组织选举工作条例 (2020). Article numbers are the 2018 texts' and live in data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

# --- Bodies (glossary) ---
VILLAGERS_COMMITTEE = "villagers_committee"
RESIDENTS_COMMITTEE = "residents_committee"
SUPERVISION_COMMITTEE = "supervision_committee"
PARTY_BRANCH = "party_branch"
BODIES = (VILLAGERS_COMMITTEE, RESIDENTS_COMMITTEE, SUPERVISION_COMMITTEE, PARTY_BRANCH)

# --- Posts (glossary) ---
CHAIR = "chair"
VICE_CHAIR = "vice_chair"
MEMBER = "member"
WOMEN_MEMBER = "women_member"
SECRETARY = "secretary"
DEPUTY_SECRETARY = "deputy_secretary"

POST_NAMES: dict[str, tuple[str, str]] = {
    CHAIR: ("chair", "主任"),
    VICE_CHAIR: ("vice-chair", "副主任"),
    MEMBER: ("member", "委员"),
    WOMEN_MEMBER: ("women's member", "妇女委员"),
    SECRETARY: ("secretary", "书记"),
    DEPUTY_SECRETARY: ("deputy secretary", "副书记"),
}

# Posts each body elects by ballot. The party branch's members' meeting elects the committee
# members (the new committee then elects its secretary and deputy, approved by the level above,
# CPC); a branch too small for a committee elects its secretary (and deputy) directly.
BODY_POSTS: dict[str, tuple[str, ...]] = {
    VILLAGERS_COMMITTEE: (CHAIR, VICE_CHAIR, WOMEN_MEMBER, MEMBER),
    RESIDENTS_COMMITTEE: (CHAIR, VICE_CHAIR, WOMEN_MEMBER, MEMBER),
    SUPERVISION_COMMITTEE: (CHAIR, VICE_CHAIR, MEMBER),
    PARTY_BRANCH: (SECRETARY, DEPUTY_SECRETARY, MEMBER),
}

# The order in which posts are decided: a person elected to an earlier post is not counted for a
# later one. The women's post is decided before the ordinary members' seats, so a woman who wins it
# frees a member seat rather than taking two.
COUNT_ORDER = (SECRETARY, DEPUTY_SECRETARY, CHAIR, VICE_CHAIR, WOMEN_MEMBER, MEMBER)

# Seniority for the relatives rule (ZJ §31: the higher post stays). The women's post ranks with
# the members (both are 委员).
POST_LEVEL = {SECRETARY: 0, CHAIR: 0, DEPUTY_SECRETARY: 1, VICE_CHAIR: 1, WOMEN_MEMBER: 2, MEMBER: 2}

# 下靠 (domain.md §6): a member's count = member + vice-chair + chair votes; a vice-chair's =
# vice-chair + chair votes. The women's post neither gives nor receives cascaded votes.
CASCADE_FROM: dict[str, tuple[str, ...]] = {VICE_CHAIR: (CHAIR,), MEMBER: (CHAIR, VICE_CHAIR)}

# Rule-set field prefix of each body's committee size (mirrors election_admin.choices_cycles).
_SIZE_PREFIX = {
    VILLAGERS_COMMITTEE: "villagers_committee_size",
    RESIDENTS_COMMITTEE: "residents_committee_size",
    SUPERVISION_COMMITTEE: "supervision_committee_size",
    PARTY_BRANCH: "party_branch_size",
}
_DEFAULT_SIZES = {
    VILLAGERS_COMMITTEE: (3, 7),
    RESIDENTS_COMMITTEE: (5, 9),
    SUPERVISION_COMMITTEE: (3, 5),
    PARTY_BRANCH: (3, 5),
}

_CHOICES = {
    "ballots_comparator": ("voted", "issued"),
    "majority_base": ("returned", "voted"),
    "overvote_voids": ("post", "ballot"),
    "same_person_voids": ("none", "higher_post", "person", "ballot"),
    "runoff_pool": ("seats_times_two", "seats_plus_one"),
}


@dataclass(frozen=True, slots=True)
class CountingRules:
    """计票规则 — every number and choice the count of one body's election depends on.

    Each field names its source in docs/domain.md. Fractions are kept as integer numerator and
    denominator and compared by cross-multiplication, never as floats.
    """

    # Which body is elected (glossary): selects the posts allowed and the party-branch rules.
    body: str = VILLAGERS_COMMITTEE
    # Quorum, strictly more than numerator/denominator of the electorate must vote: committees 1/2
    # of registered voters (VCOL §15); party branch 4/5 of the members due (CPC).
    quorum_numerator: int = 1
    quorum_denominator: int = 2
    # Ballots returned are compared with voters who voted ('voted': ZJ §27, SH §19, BJ §28) or with
    # ballots issued ('issued': HA; the party branch, CPC). More returned → the round is void.
    ballots_comparator: str = "voted"
    # "More than half of the votes of those who voted" (VCOL §15) is measured against ballots
    # returned ('returned', the ballots cast, not the valid ones) or against voters who voted
    # ('voted'). Party branch: members actually present ('voted', CPC).
    majority_base: str = "returned"
    # A ballot marking more names (for + write-in) than seats for a post is void for that post
    # ('post') or void as a whole ('ballot') (domain.md §6).
    overvote_voids: str = "post"
    # The same person marked for two posts on one ballot (ZJ): 'none' counts both marks; 'higher_post'
    # keeps only the mark for the higher post; 'person' voids that person's marks on the ballot;
    # 'ballot' voids the ballot. With 下靠 anything but 'none' is needed to avoid a double count.
    same_person_voids: str = "none"
    # 下靠: votes for a higher post count for a lower one (rule set ``has_cascade``; domain.md §6).
    has_cascade: bool = False
    # A separate women's post elected on its own line (妇女委员专职专选, ZJ §21; rule set).
    has_women_post: bool = False
    # The committee must include at least one woman (VCOL §6); if none is elected a seat is kept for
    # a woman in the run-off (ZJ §29).
    women_required: bool = True
    # Close relatives (spouse, parent–child, siblings) elected together: the higher post stays (ZJ §31).
    has_relatives_rule: bool = True
    # Run-off (另行选举) candidates: round-1 non-winners in vote order, seats × 2 or seats + 1
    # (domain.md §6, provincial).
    runoff_pool: str = "seats_times_two"
    # A run-off winner needs at least numerator/denominator of the ballots cast (VCOL §15: 1/3).
    runoff_threshold_numerator: int = 1
    runoff_threshold_denominator: int = 3
    # Party branch: another ballot for unfilled seats still needs more than half of members present (CPC).
    runoff_needs_majority: bool = False
    # The run-off is held the same day or within this many days (domain.md §6: 30; BJ 15).
    runoff_window_days: int = 30
    # With at least this many elected, the remaining seats may stay empty (ZJ §30: 3); None: they
    # must be filled.
    min_members_to_leave_seats_empty: int | None = None
    # Committee size of the body (domain.md §1; rule set ``<body>_size_min/max``).
    committee_size_min: int = 3
    committee_size_max: int = 7
    # Proxy voting (委托投票) allowed: committees yes (VCOL §15), party elections no (domain.md §5).
    proxies_allowed: bool = True
    # Warn when invalid ballots exceed this percentage of ballots returned (a product check for a
    # results page, not a legal rule).
    invalid_warning_percent: int = 3

    def __post_init__(self) -> None:
        if self.body not in BODIES:
            raise ValueError(f"unknown body {self.body!r}")
        for name, allowed in _CHOICES.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, not {getattr(self, name)!r}")
        for numerator, denominator in (
            (self.quorum_numerator, self.quorum_denominator),
            (self.runoff_threshold_numerator, self.runoff_threshold_denominator),
        ):
            if not 0 < numerator < denominator:
                raise ValueError(
                    f"a threshold must be a fraction between 0 and 1, not {numerator}/{denominator}"
                )
        if not 1 <= self.committee_size_min <= self.committee_size_max:
            raise ValueError("committee size: 1 <= minimum <= maximum")
        if self.runoff_window_days < 0 or self.invalid_warning_percent < 0:
            raise ValueError("runoff_window_days and invalid_warning_percent cannot be negative")
        if self.min_members_to_leave_seats_empty is not None and self.min_members_to_leave_seats_empty < 1:
            raise ValueError("min_members_to_leave_seats_empty must be at least 1 or None")

    @property
    def is_party(self) -> bool:
        return self.body == PARTY_BRANCH

    @property
    def posts(self) -> tuple[str, ...]:
        """Posts this body elects by ballot (the women's post only where the rule set has it)."""
        return tuple(p for p in BODY_POSTS[self.body] if p != WOMEN_MEMBER or self.has_women_post)


def rules_for(
    body: str, ruleset_values: Mapping[str, object] | None = None, **overrides: object
) -> CountingRules:
    """The counting rules of ``body`` under a rule set (``RuleSet.values()``), then ``overrides``.

    Rule-set fields used: ``ballots_comparator``, ``runoff_threshold_numerator`` / ``_denominator``,
    ``runoff_window_days``, ``has_cascade``, ``has_women_post`` and the body's ``*_size_min`` /
    ``*_size_max``. Rules the rule set does not carry yet (``overvote_voids``, ``runoff_pool``,
    ``min_members_to_leave_seats_empty``, ``same_person_voids``…) come from ``overrides`` or the
    national defaults. The party branch follows CPC whatever the rule set says (4/5 quorum, members
    present, ballots issued, no 下靠, no women's post, no proxies).
    """
    if body not in BODIES:
        raise ValueError(f"unknown body {body!r}")
    values = dict(ruleset_values or {})
    size_min, size_max = _DEFAULT_SIZES[body]
    prefix = _SIZE_PREFIX[body]
    settings: dict[str, object] = {
        "body": body,
        "committee_size_min": _whole(values, f"{prefix}_min", size_min),
        "committee_size_max": _whole(values, f"{prefix}_max", size_max),
        "runoff_window_days": _whole(values, "runoff_window_days", 30),
        "runoff_threshold_numerator": _whole(values, "runoff_threshold_numerator", 1),
        "runoff_threshold_denominator": _whole(values, "runoff_threshold_denominator", 3),
    }
    if body == PARTY_BRANCH:
        settings.update(
            quorum_numerator=4,
            quorum_denominator=5,
            ballots_comparator="issued",
            majority_base="voted",
            has_cascade=False,
            has_women_post=False,
            women_required=False,
            has_relatives_rule=False,
            runoff_needs_majority=True,
            proxies_allowed=False,
        )
    else:
        has_cascade = bool(values.get("has_cascade", False))
        settings.update(
            ballots_comparator=str(values.get("ballots_comparator", "voted")),
            has_cascade=has_cascade,
            # The supervision committee has no separate women's post.
            has_women_post=bool(values.get("has_women_post", False)) and body != SUPERVISION_COMMITTEE,
            women_required=body != SUPERVISION_COMMITTEE,
            same_person_voids="higher_post" if has_cascade else "none",
        )
    known = {f.name for f in fields(CountingRules)}
    unknown = set(overrides) - known
    if unknown:
        raise ValueError(f"unknown counting rules: {sorted(unknown)}")
    return replace(CountingRules(**settings), **overrides)


def _whole(values: Mapping[str, object], key: str, default: int) -> int:
    value = values.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"rule set value {key} must be a whole number, not {value!r}")
    return value


# --- Exact thresholds (integers only) ---


def more_than_fraction(count: int, total: int, numerator: int, denominator: int) -> bool:
    """``count > numerator/denominator × total``, exactly."""
    return denominator * count > numerator * total


def at_least_fraction(count: int, total: int, numerator: int, denominator: int) -> bool:
    """``count >= numerator/denominator × total``, exactly."""
    return denominator * count >= numerator * total


def smallest_more_than(total: int, numerator: int, denominator: int) -> int:
    """The smallest whole count strictly more than numerator/denominator of ``total``."""
    return numerator * total // denominator + 1


def smallest_at_least(total: int, numerator: int, denominator: int) -> int:
    """The smallest whole count at least numerator/denominator of ``total``."""
    return -(-numerator * total // denominator)
