"""Party branch committee (村/社区党组织) elections: the CPC rules in one place.

The members' meeting may vote only when strictly more than 4/5 of the members due are present
(``5 × present > 4 × due``); a person is elected with more than half of the members present (not of
the ballots); more ballots returned than issued voids the round; no proxies. Unfilled seats go to
another ballot among the non-winners with most votes, which still needs more than half of members
present. The secretary and deputy secretary are elected afterwards by the new committee and approved
by the level above (a branch too small for a committee elects its secretary directly). ``check_round``
and ``decide_winners`` apply all of this when ``rules.body`` is ``party_branch``.
"""

from __future__ import annotations

from collections.abc import Mapping

from .rules import PARTY_BRANCH, CountingRules, more_than_fraction, rules_for, smallest_more_than


def party_rules(ruleset_values: Mapping[str, object] | None = None, **overrides: object) -> CountingRules:
    """The counting rules of a party branch election (CPC), sizes from the rule set."""
    return rules_for(PARTY_BRANCH, ruleset_values, **overrides)


def is_quorate(present: int, due: int) -> bool:
    """Strictly more than 4/5 of the members due are present (exactly 4/5 is not enough)."""
    return more_than_fraction(present, due, 4, 5)


def members_needed_for_quorum(due: int) -> int:
    return smallest_more_than(due, 4, 5)


def votes_needed_to_win(present: int) -> int:
    """More than half of the members present."""
    return present // 2 + 1
