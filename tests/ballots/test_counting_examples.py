"""Worked examples of the counting rules, one or more per rule, each named after the rule it tests.

Every expected figure was computed by hand from docs/domain.md (§1, §5, §6). Test ids cite the
source: VCOL = 村民委员会组织法, ZJ/BJ/SH/HA = provincial measures, CPC = 党组织选举工作条例.
"""

from dataclasses import dataclass, field
from datetime import date

import pytest

from ballots.counting import (
    ALREADY_ELECTED,
    ELECTED,
    ELECTION_INVALID,
    FIGURES_INCONSISTENT,
    GAVE_WAY,
    NOT_ELIGIBLE,
    OUTRANKED,
    RELATIVE_REMOVED,
    ROUND_VOID,
    VALID,
    Ballot,
    Candidate,
    PostSeats,
    RoundTotals,
    check_round,
    count_ballots,
    decide_runoff,
    decide_tie_revote,
    decide_winners,
    examine_ballot,
    rules_for,
    runoff_candidates,
    runoff_deadline,
    write_in_key,
)
from ballots.counting.party import is_quorate, members_needed_for_quorum, votes_needed_to_win

VILLAGE = rules_for("villagers_committee")
CASCADE = rules_for("villagers_committee", {"has_cascade": True})
WOMEN_POST = rules_for("villagers_committee", {"has_women_post": True})
HA = rules_for("villagers_committee", {"ballots_comparator": "issued"})
PARTY = rules_for("party_branch")
ELECTION_DAY = date(2026, 6, 1)


def people(spec: str, relatives: dict[str, str] | None = None) -> list[Candidate]:
    """``"a:chair:f b:member:m"`` → candidates named A, B (f = woman, m = man); relatives ``{"a": "b"}``."""
    relatives = relatives or {}
    result = []
    for item in spec.split():
        cid, post, gender = item.split(":")
        related = frozenset(v for k, v in relatives.items() if k == cid)
        result.append(Candidate(cid, cid.upper(), post, {"f": "female", "m": "male"}[gender], related))
    return result


def tally(votes: dict[str, dict[str, int]]) -> dict[tuple[str, str], int]:
    return {(post, person): n for post, row in votes.items() for person, n in row.items()}


def totals(registered, voted, issued, returned, invalid, votes=None, **extra) -> RoundTotals:
    return RoundTotals(registered, voted, issued, returned, invalid, tally(votes or {}), **extra)


# --- 1. Is the round valid? ---------------------------------------------------------------------

VALIDITY = [
    pytest.param(
        VILLAGE,
        totals(2026, 1730, 1730, 1729, 3),
        VALID,
        {"I1", "I2", "I3"},
        id="VCOL art.15 result notice: 1,730 of 2,026 voted, 1,729 returned <= 1,730 -> valid",
    ),
    pytest.param(
        HA,
        totals(2026, 1730, 1730, 1729, 3),
        VALID,
        {"I1", "I2"},
        id="HA result notice: 1,729 returned not more than 1,730 issued -> valid",
    ),
    pytest.param(
        VILLAGE,
        totals(1000, 500, 500, 500, 0),
        ELECTION_INVALID,
        {"E1"},
        id="VCOL art.15 exactly half of registered voted -> election invalid",
    ),
    pytest.param(
        VILLAGE,
        totals(1000, 501, 501, 501, 0),
        VALID,
        {"I1"},
        id="VCOL art.15 half + 1 of registered voted -> valid",
    ),
    pytest.param(
        VILLAGE,
        totals(1001, 501, 501, 501, 0),
        VALID,
        {"I1"},
        id="VCOL art.15 odd roll: 501 of 1,001 is more than half -> valid",
    ),
    pytest.param(
        VILLAGE,
        totals(1000, 800, 805, 801, 0),
        ROUND_VOID,
        {"E2"},
        id="ZJ art.27 ballots returned 801 > 800 voters who voted -> round void",
    ),
    pytest.param(
        VILLAGE,
        totals(1000, 800, 805, 800, 0),
        VALID,
        {"I2"},
        id="ZJ art.27 ballots returned equal to voters who voted -> valid",
    ),
    pytest.param(
        HA,
        totals(1000, 800, 805, 801, 0),
        VALID,
        {"I2"},
        id="HA comparator issued: 801 returned > 800 voted but <= 805 issued -> valid",
    ),
    pytest.param(
        HA,
        totals(1000, 800, 800, 801, 0),
        ROUND_VOID,
        {"E2"},
        id="HA comparator issued: 801 returned > 800 issued -> round void",
    ),
    pytest.param(
        VILLAGE,
        totals(1000, 800, 790, 795, 0),
        VALID,
        {"W2", "W3", "I3"},
        id="BJ art.28 returned <= voted is valid; more returned than issued only warns",
    ),
    pytest.param(
        VILLAGE,
        totals(1000, 800, 800, 800, 801),
        FIGURES_INCONSISTENT,
        {"E5"},
        id="domain.md sec.6 invalid ballots > returned -> figures inconsistent",
    ),
    pytest.param(
        VILLAGE,
        totals(1000, 1001, 1001, 1001, 0),
        FIGURES_INCONSISTENT,
        {"E6"},
        id="domain.md sec.6 more voted than registered -> figures inconsistent",
    ),
    pytest.param(
        VILLAGE,
        totals(1500, 1000, 1000, 1000, 31),
        VALID,
        {"W1"},
        id="product check: 31 invalid of 1,000 returned is more than 3% -> warning",
    ),
    pytest.param(
        PARTY,
        totals(50, 40, 40, 40, 0),
        ELECTION_INVALID,
        {"P1"},
        id="CPC quorum: exactly 4/5 of 50 members due present -> not quorate",
    ),
    pytest.param(
        PARTY,
        totals(50, 41, 41, 41, 0),
        VALID,
        {"P3"},
        id="CPC quorum: 41 of 50 members due present, more than 4/5 -> quorate",
    ),
    pytest.param(
        PARTY,
        totals(50, 45, 44, 45, 0),
        ROUND_VOID,
        {"E2"},
        id="CPC ballots returned 45 > 44 issued -> round void",
    ),
    pytest.param(
        PARTY,
        totals(50, 45, 45, 45, 0, proxy_voted=2),
        FIGURES_INCONSISTENT,
        {"P2"},
        id="domain.md sec.5 party elections allow no proxies",
    ),
]


@pytest.mark.parametrize(("rules", "round_totals", "status", "codes"), VALIDITY)
def test_round_validity(rules, round_totals, status, codes):
    validity = check_round(round_totals, rules)
    assert validity.status == status
    assert codes <= set(validity.codes)


def test_per_post_figures_must_add_up():
    """domain §6: a post cannot have more votes than valid ballots × seats (E3), nor one person more than valid (E4)."""
    posts = [PostSeats("chair", 1), PostSeats("member", 2)]
    over_post = totals(300, 200, 200, 200, 20, {"chair": {"a": 100}, "member": {"b": 180, "c": 181}})
    assert check_round(over_post, VILLAGE, posts).status == FIGURES_INCONSISTENT
    assert "E3" in check_round(over_post, VILLAGE, posts).codes
    over_person = totals(300, 200, 200, 200, 20, {"chair": {"a": 181}})
    assert "E4" in check_round(over_person, VILLAGE, posts).codes


# --- 2. One ballot on the live count board -------------------------------------------------------

SEATS = {"chair": 1, "vice_chair": 1, "member": 3}

BALLOTS = [
    pytest.param(
        VILLAGE,
        Ballot({"chair": frozenset("a"), "member": frozenset("bcde")}),
        True,
        {"chair": {"a"}},
        ("member",),
        id="domain.md sec.6 four names for three member seats -> void for members only",
    ),
    pytest.param(
        VILLAGE,
        Ballot({"member": frozenset("bcd")}, {"member": ("王五",)}),
        True,
        {},
        ("member",),
        id="domain.md sec.6 a written-in name counts toward the seats -> over-voted",
    ),
    pytest.param(
        VILLAGE,
        Ballot({"member": frozenset("bc")}, {"member": ("王五",)}),
        True,
        {"member": {"b", "c", write_in_key("王五")}},
        (),
        id="VCOL art.15 two names and a write-in for three seats -> all count",
    ),
    pytest.param(
        rules_for("villagers_committee", overvote_voids="ballot"),
        Ballot({"chair": frozenset("a"), "member": frozenset("bcde")}),
        False,
        {},
        (),
        id="domain.md sec.6 province voids the whole over-voted ballot",
    ),
    pytest.param(
        rules_for("villagers_committee", same_person_voids="ballot"),
        Ballot({"chair": frozenset("a"), "member": frozenset("ab")}),
        False,
        {},
        (),
        id="ZJ the same person for two posts -> the ballot is void",
    ),
    pytest.param(
        rules_for("villagers_committee", same_person_voids="person"),
        Ballot({"chair": frozenset("a"), "member": frozenset("ab")}),
        True,
        {"member": {"b"}},
        (),
        id="ZJ the same person for two posts -> that person's marks are void",
    ),
    pytest.param(
        CASCADE,
        Ballot({"chair": frozenset("a"), "member": frozenset("ab")}),
        True,
        {"chair": {"a"}, "member": {"b"}},
        (),
        id="domain.md sec.6 cascade (xiakao) the same person for two posts counts once, for the higher post",
    ),
    pytest.param(
        VILLAGE,
        Ballot(is_blank=True),
        False,
        {},
        (),
        id="domain.md sec.6 blank ballot -> returned but invalid",
    ),
    pytest.param(
        VILLAGE,
        Ballot({"chair": frozenset("a")}, is_unreadable=True),
        False,
        {},
        (),
        id="BJ unclear marks ruled void by the committee -> invalid",
    ),
]


@pytest.mark.parametrize(("rules", "ballot", "is_valid", "counted", "void_posts"), BALLOTS)
def test_ballot(rules, ballot, is_valid, counted, void_posts):
    verdict = examine_ballot(ballot, SEATS, rules)
    assert verdict.is_valid is is_valid
    assert {post: set(persons) for post, persons in verdict.counted.items()} == counted
    assert verdict.void_posts == void_posts
    assert verdict.reasons or (is_valid and not void_posts)


def test_unreadable_ballots_count_in_ballots_cast():
    """BJ: void but counted in ballots cast — so they raise the bar for "more than half"."""
    posts = [PostSeats("chair", 1)]
    candidates = people("a:chair:f b:chair:m")
    two_of_three = [Ballot({"chair": frozenset("a")})] * 2 + [Ballot(is_unreadable=True)]
    counted = count_ballots(two_of_three, posts, VILLAGE, registered=5, voted=3, issued=3)
    assert (counted.returned, counted.invalid, counted.valid) == (3, 1, 2)
    assert [e.person for e in decide_winners(counted, candidates, posts, VILLAGE).elected] == ["a"]
    two_of_four = two_of_three + [Ballot(is_unreadable=True)]
    counted = count_ballots(two_of_four, posts, VILLAGE, registered=6, voted=4, issued=4)
    assert decide_winners(counted, candidates, posts, VILLAGE).elected == ()


# --- 3. Winners of round 1 -----------------------------------------------------------------------


@dataclass
class Expect:
    elected: dict[str, set[str]]
    unfilled: dict[str, int] = field(default_factory=dict)
    women_only: dict[str, int] = field(default_factory=dict)
    ties: dict[str, set[str]] = field(default_factory=dict)
    results: dict[tuple[str, str], str] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)
    filled_first_round: bool = False


CHAIR_MEMBERS = [PostSeats("chair", 1), PostSeats("member", 2)]
FULL = [PostSeats("chair", 1), PostSeats("vice_chair", 1), PostSeats("member", 2)]

WINNERS = [
    pytest.param(
        VILLAGE,
        [PostSeats("chair", 1), PostSeats("vice_chair", 1)],
        people("a:chair:f b:chair:m v:vice_chair:m"),
        {"chair": {"a": 865, "b": 800}, "vice_chair": {"v": 864}},
        (2026, 1730, 1730, 1729, 3),
        {},
        Expect({"chair": {"a"}}, unfilled={"vice_chair": 1}, codes={"A1", "A2", "A13"}),
        id="VCOL art.15 result notice: more than half of 1,729 cast is 865; 864 is not enough",
    ),
    pytest.param(
        VILLAGE,
        [PostSeats("chair", 1)],
        people("a:chair:f b:chair:m"),
        {"chair": {"a": 46, "b": 44}},
        (150, 100, 100, 100, 10),
        {},
        Expect({}, unfilled={"chair": 1}),
        id="VCOL art.15 base is ballots cast, not valid ones: 46 of 100 cast (90 valid) is not more than half",
    ),
    pytest.param(
        VILLAGE,
        [PostSeats("chair", 1)],
        people("a:chair:f b:chair:m"),
        {"chair": {"a": 51, "b": 39}},
        (150, 100, 100, 100, 10),
        {},
        Expect({"chair": {"a"}}, filled_first_round=True, codes={"A14"}),
        id="VCOL art.15 51 of 100 ballots cast is more than half -> elected; committee filled in round 1",
    ),
    pytest.param(
        VILLAGE,
        CHAIR_MEMBERS,
        people("z:chair:f a:member:m b:member:m c:member:m"),
        {"chair": {"z": 90}, "member": {"a": 80, "b": 65, "c": 55}},
        (150, 100, 100, 100, 0),
        {},
        Expect(
            {"chair": {"z"}, "member": {"a", "b"}},
            results={("member", "c"): OUTRANKED},
            codes={"A3"},
            filled_first_round=True,
        ),
        id="domain.md sec.6 more qualifiers than seats -> vote order",
    ),
    pytest.param(
        VILLAGE,
        CHAIR_MEMBERS,
        people("z:chair:f a:member:m b:member:m c:member:m"),
        {"chair": {"z": 90}, "member": {"a": 80, "b": 60, "c": 60}},
        (150, 100, 100, 100, 0),
        {},
        Expect({"chair": {"z"}, "member": {"a"}}, ties={"member:cutoff": {"b", "c"}}, codes={"A4", "A19"}),
        id="domain.md sec.6 tie at the cut-off -> another ballot among the tied, never broken silently",
    ),
    pytest.param(
        VILLAGE,
        CHAIR_MEMBERS,
        people("z:chair:f a:member:m b:member:m c:member:m"),
        {"chair": {"z": 90}, "member": {"a": 70, "b": 70, "c": 60}},
        (150, 100, 100, 100, 0),
        {},
        Expect({"chair": {"z"}, "member": {"a", "b"}}, filled_first_round=True),
        id="domain.md sec.6 equal votes above the cut-off are no tie",
    ),
    pytest.param(
        VILLAGE,
        CHAIR_MEMBERS,
        people("z:chair:f a:member:m b:member:m c:member:m"),
        {"chair": {"z": 90}, "member": {"a": 80, "b": 60, "c": 60}},
        (150, 100, 100, 100, 0),
        {"member:cutoff": ["c"]},
        Expect({"chair": {"z"}, "member": {"a", "c"}}, codes={"A20"}, filled_first_round=True),
        id="domain.md sec.6 the re-vote among the tied decides",
    ),
    pytest.param(
        CASCADE,
        FULL,
        people("a:chair:m b:chair:m c:vice_chair:m d:member:f e:member:m"),
        {"chair": {"a": 60, "b": 38}, "vice_chair": {"c": 30, "b": 10}, "member": {"b": 5, "d": 55, "e": 20}},
        (150, 100, 100, 100, 0),
        {},
        Expect(
            {"chair": {"a"}, "member": {"d", "b"}},
            unfilled={"vice_chair": 1},
            results={("member", "a"): ALREADY_ELECTED, ("member", "b"): ELECTED},
            codes={"A5", "A6"},
        ),
        id="domain.md sec.6 cascade (xiakao) member count = member 5 + vice-chair 10 + chair 38 = 53 of 100 -> elected",
    ),
    pytest.param(
        VILLAGE,
        FULL,
        people("a:chair:m b:chair:m c:vice_chair:m d:member:f e:member:m"),
        {"chair": {"a": 60, "b": 38}, "vice_chair": {"c": 30, "b": 10}, "member": {"b": 5, "d": 55, "e": 20}},
        (150, 100, 100, 100, 0),
        {},
        Expect({"chair": {"a"}, "member": {"d"}}, unfilled={"vice_chair": 1, "member": 1}),
        id="domain.md sec.6 without cascade (xiakao) the same votes elect one member only",
    ),
    pytest.param(
        CASCADE,
        FULL,
        people("a:chair:m b:chair:f c:vice_chair:m d:member:f e:member:m"),
        {"chair": {"a": 55, "b": 40}, "vice_chair": {"b": 15, "c": 45}, "member": {"d": 60, "e": 58}},
        (150, 100, 100, 100, 0),
        {},
        Expect({"chair": {"a"}, "vice_chair": {"b"}, "member": {"d", "e"}}, filled_first_round=True),
        id="domain.md sec.6 cascade (xiakao) vice-chair count = vice-chair 15 + chair 40 = 55 -> elected over 45",
    ),
    pytest.param(
        CASCADE,
        FULL,
        people("a:chair:m b:chair:f c:vice_chair:m d:member:f"),
        {"chair": {"a": 55, "b": 40}, "vice_chair": {"b": 15, "c": 55}, "member": {"b": 5, "d": 60}},
        (150, 100, 100, 100, 0),
        {},
        Expect({"chair": {"a"}}, ties={"vice_chair:cutoff": {"b", "c"}}, codes={"A4", "A12", "A19"}),
        id="domain.md sec.6 cascade (xiakao): a tie for vice-chair (55 = 15 + 40 against 55) holds back the members' count",
    ),
    pytest.param(
        CASCADE,
        FULL,
        people("a:chair:m b:chair:f c:vice_chair:m d:member:f"),
        {"chair": {"a": 55, "b": 40}, "vice_chair": {"b": 15, "c": 55}, "member": {"b": 5, "d": 60}},
        (150, 100, 100, 100, 0),
        {"vice_chair:cutoff": ["c"]},
        Expect({"chair": {"a"}, "vice_chair": {"c"}, "member": {"b", "d"}}, filled_first_round=True),
        id="domain.md sec.6 cascade (xiakao): after the re-vote the loser's 60 = 5 + 15 + 40 elect her member",
    ),
    pytest.param(
        VILLAGE,
        [PostSeats("chair", 1), PostSeats("member", 3)],
        people("a:chair:m b:member:m c:member:m d:member:f"),
        {"chair": {"a": 70}, "member": {"b": 65, "c": 40, "d": 30}},
        (150, 100, 100, 100, 0),
        {},
        Expect(
            {"chair": {"a"}, "member": {"b"}}, unfilled={"member": 2}, women_only={"member": 1}, codes={"A9"}
        ),
        id="ZJ art.29 no woman elected -> one unfilled member seat is kept for a woman",
    ),
    pytest.param(
        VILLAGE,
        CHAIR_MEMBERS,
        people("a:chair:m b:member:m c:member:m d:member:f"),
        {"chair": {"a": 70}, "member": {"b": 70, "c": 60, "d": 30}},
        (150, 100, 100, 100, 0),
        {},
        Expect(
            {"chair": {"a"}, "member": {"b"}},
            unfilled={"member": 1},
            women_only={"member": 1},
            results={("member", "c"): GAVE_WAY},
            codes={"A10"},
        ),
        id="ZJ art.29 no woman and no seat left -> the member with fewest votes gives way to a woman",
    ),
    pytest.param(
        VILLAGE,
        [PostSeats("chair", 1), PostSeats("member", 3)],
        people("a:chair:m b:member:m c:member:m e:member:m"),
        {"chair": {"a": 70}, "member": {"b": 70, "c": 60, "e": 60}},
        (150, 100, 100, 100, 0),
        {},
        Expect(
            {"chair": {"a"}, "member": {"b", "c", "e"}}, ties={"member:give_way": {"c", "e"}}, codes={"A18"}
        ),
        id="ZJ art.29 the fewest-votes members are tied -> another ballot decides who gives way",
    ),
    pytest.param(
        WOMEN_POST,
        [PostSeats("chair", 1), PostSeats("women_member", 1), PostSeats("member", 1)],
        people("a:chair:m w:women_member:f x:member:m"),
        {"chair": {"a": 70}, "women_member": {"w": 40, "x": 60}, "member": {"x": 20}},
        (150, 100, 100, 100, 0),
        {},
        Expect(
            {"chair": {"a"}},
            unfilled={"women_member": 1, "member": 1},
            women_only={"women_member": 1},
            results={("women_member", "x"): NOT_ELIGIBLE},
            codes={"A15", "A11"},
        ),
        id="ZJ art.21 women's post: a man's 60 votes on the women's line do not count; the seat stays a woman's",
    ),
    pytest.param(
        WOMEN_POST,
        [PostSeats("chair", 1), PostSeats("women_member", 1), PostSeats("member", 2)],
        people("a:chair:m w:women_member:f x:member:m y:member:m"),
        {"chair": {"a": 70}, "women_member": {"w": 55}, "member": {"w": 60, "x": 55, "y": 52}},
        (150, 100, 100, 100, 0),
        {},
        Expect(
            {"chair": {"a"}, "women_member": {"w"}, "member": {"x", "y"}},
            results={("member", "w"): ALREADY_ELECTED},
            filled_first_round=True,
        ),
        id="ZJ art.21 the women's post is decided before the members: her member votes free that seat",
    ),
    pytest.param(
        VILLAGE,
        CHAIR_MEMBERS,
        people("a:chair:f b:member:m c:member:m", {"a": "b"}),
        {"chair": {"a": 70}, "member": {"b": 70, "c": 60}},
        (150, 100, 100, 100, 0),
        {},
        Expect(
            {"chair": {"a"}, "member": {"c"}},
            unfilled={"member": 1},
            results={("member", "b"): RELATIVE_REMOVED},
            codes={"A7"},
        ),
        id="ZJ art.31 relatives elected together: the chair stays, the member's seat goes to the run-off",
    ),
    pytest.param(
        VILLAGE,
        CHAIR_MEMBERS,
        people("a:chair:f b:member:m c:member:m", {"c": "b"}),
        {"chair": {"a": 70}, "member": {"b": 70, "c": 60}},
        (150, 100, 100, 100, 0),
        {},
        Expect(
            {"chair": {"a"}, "member": {"b"}},
            unfilled={"member": 1},
            results={("member", "c"): RELATIVE_REMOVED},
        ),
        id="ZJ art.31 relatives at the same level: the one with more votes stays",
    ),
    pytest.param(
        VILLAGE,
        CHAIR_MEMBERS,
        people("a:chair:f b:member:m c:member:m", {"c": "b"}),
        {"chair": {"a": 70}, "member": {"b": 65, "c": 65}},
        (150, 100, 100, 100, 0),
        {},
        Expect({"chair": {"a"}}, ties={"relatives:b+c": {"b", "c"}}, codes={"A8"}),
        id="ZJ art.31 relatives at the same level with equal votes -> another ballot",
    ),
    pytest.param(
        VILLAGE,
        CHAIR_MEMBERS,
        people("a:chair:f b:member:m"),
        {"chair": {"a": 70}, "member": {"b": 70, write_in_key("王五"): 55}},
        (150, 100, 100, 100, 0),
        {},
        Expect({"chair": {"a"}, "member": {"b", write_in_key("王五")}}, filled_first_round=True),
        id="domain.md sec.5 a voter written in with more than half is elected",
    ),
    pytest.param(
        VILLAGE,
        CHAIR_MEMBERS,
        people("a:chair:f b:member:m"),
        {"chair": {"a": 90}},
        (200, 100, 100, 101, 0),
        {},
        Expect({}, codes={"A16"}),
        id="ZJ art.27 a void round elects nobody (re-run)",
    ),
    pytest.param(
        PARTY,
        [PostSeats("member", 3)],
        people("a:member:m b:member:f c:member:m d:member:m"),
        {"member": {"a": 30, "b": 21, "c": 20, "d": 15}},
        (50, 41, 41, 39, 0),
        {},
        Expect({"member": {"a", "b"}}, unfilled={"member": 1}, codes={"P4"}),
        id="CPC win with more than half of 41 members present (21), not of 39 ballots (20 is not enough)",
    ),
]


@pytest.mark.parametrize(("rules", "posts", "candidates", "votes", "figures", "resolved", "expect"), WINNERS)
def test_winners(rules, posts, candidates, votes, figures, resolved, expect):
    outcome = decide_winners(totals(*figures, votes), candidates, posts, rules, resolved_ties=resolved)
    elected: dict[str, set[str]] = {}
    for e in outcome.elected:
        elected.setdefault(e.post, set()).add(e.person)
    assert elected == expect.elected
    assert outcome.unfilled == expect.unfilled
    assert outcome.women_only_unfilled == expect.women_only
    assert {t.id: set(t.candidates) for t in outcome.ties} == expect.ties
    for (post, person), result in expect.results.items():
        assert next(s.result for s in outcome.post(post).standings if s.person == person) == result
    codes = {r.code for r in outcome.reasons} | {r.code for p in outcome.posts for r in p.reasons}
    assert expect.codes <= codes
    assert outcome.is_filled_in_first_round is expect.filled_first_round


def test_result_notice_reasons_read_as_on_the_notice():
    """The reasons carry the notice's figures, in Chinese as printed (results announced on the spot, VCOL §15)."""
    outcome = decide_winners(
        totals(2026, 1730, 1730, 1729, 3, {"chair": {"a": 1298}}),
        people("a:chair:f"),
        [PostSeats("chair", 1)],
        VILLAGE,
    )
    texts = [r.message_zh for r in outcome.validity.reasons]
    assert "登记参加选举的选民2,026人，参加投票的选民1,730人，超过半数，选举有效。" in texts
    a1 = next(r for r in outcome.post("chair").reasons if r.code == "A1")
    assert a1.figures["needed"] == 865 and a1.source == "VCOL §15"


def test_tie_revote_elects_the_most_votes_or_ties_again():
    """domain §6 another ballot among the tied: most votes win; equal again → another tie."""
    outcome = decide_winners(
        totals(150, 100, 100, 100, 0, {"chair": {"z": 90}, "member": {"a": 60, "b": 60, "c": 60}}),
        people("z:chair:f a:member:m b:member:m c:member:m"),
        CHAIR_MEMBERS,
        VILLAGE,
    )
    (tie,) = outcome.ties
    assert (tie.seats, set(tie.candidates)) == (2, {"a", "b", "c"})
    assert decide_tie_revote(tie, {"a": 50, "b": 30, "c": 20}) == (("a", "b"), None)
    elected, again = decide_tie_revote(tie, {"a": 50, "b": 25, "c": 25})
    assert (
        elected == ("a",) and again is not None and set(again.candidates) == {"b", "c"} and again.seats == 1
    )


# --- 4. Run-off (另行选举) --------------------------------------------------------------------------

MEMBERS_3 = [PostSeats("chair", 1), PostSeats("member", 3)]
SIX = people("z:chair:f a:member:m b:member:f c:member:m d:member:m e:member:m f:member:m")
ROUND_1 = totals(
    150,
    100,
    100,
    100,
    0,
    {"chair": {"z": 90}, "member": {"a": 80, "b": 45, "c": 40, "d": 30, "e": 20, "f": 10}},
)


@pytest.mark.parametrize(
    ("pool", "expected"),
    [
        pytest.param(
            "seats_times_two",
            ("b", "c", "d", "e"),
            id="VCOL art.15 run-off list: 2 seats x 2 non-winners in vote order",
        ),
        pytest.param(
            "seats_plus_one",
            ("b", "c", "d"),
            id="VCOL art.15 run-off list: 2 seats + 1 non-winners (provincial)",
        ),
    ],
)
def test_runoff_pool(pool, expected):
    rules = rules_for("villagers_committee", runoff_pool=pool)
    outcome = decide_winners(ROUND_1, SIX, MEMBERS_3, rules)
    assert outcome.unfilled == {"member": 2}
    plan = runoff_candidates(outcome, SIX, rules)
    assert [(s.post, s.seats, s.pool) for s in plan.seats] == [("member", 2, expected)]


def test_runoff_pool_takes_everyone_tied_at_the_edge():
    """VCOL §15 (decision): people tied at the edge of the run-off list are all candidates (R3)."""
    rules = rules_for("villagers_committee", runoff_pool="seats_plus_one")
    round_1 = totals(
        150, 100, 100, 100, 0, {"chair": {"z": 90}, "member": {"a": 80, "b": 70, "c": 45, "d": 40, "e": 40}}
    )
    outcome = decide_winners(round_1, SIX, MEMBERS_3, rules)
    plan = runoff_candidates(outcome, SIX, rules)
    assert plan.seats[0].pool == ("c", "d", "e")
    assert "R3" in {r.code for r in plan.reasons}


def _runoff(votes, returned=100, day=date(2026, 6, 1), rules=VILLAGE, round_1=ROUND_1):
    outcome = decide_winners(round_1, SIX, MEMBERS_3, rules)
    plan = runoff_candidates(outcome, SIX, rules)
    runoff_totals = totals(150, returned, returned, returned, 0, votes)
    return decide_runoff(runoff_totals, plan, SIX, rules, election_day=ELECTION_DAY, runoff_day=day)


@pytest.mark.parametrize(
    ("returned", "votes", "elected"),
    [
        pytest.param(100, 34, True, id="VCOL art.15 run-off: 34 of 100 cast is at least 1/3 -> elected"),
        pytest.param(
            100, 33, False, id="VCOL art.15 run-off: 33 of 100 cast is less than 1/3 -> not elected"
        ),
        pytest.param(99, 33, True, id="VCOL art.15 run-off: exactly 1/3 (33 of 99) is enough"),
        pytest.param(99, 32, False, id="VCOL art.15 run-off: 32 of 99 is less than 1/3"),
    ],
)
def test_runoff_threshold_one_third(returned, votes, elected):
    result = _runoff({"member": {"b": votes, "c": votes - 1, "d": 5}}, returned=returned)
    assert ("b" in {e.person for e in result.elected}) is elected
    assert result.unfilled == ({"member": 1} if elected else {"member": 2})


def test_runoff_most_votes_win():
    """VCOL §15 另行选举: the most votes win (two seats: 50 and 40 over 35)."""
    result = _runoff({"member": {"b": 50, "c": 35, "d": 40, "e": 20}}, returned=100)
    assert {e.person for e in result.elected} == {"b", "d"}
    assert result.is_decided and not result.unfilled


@pytest.mark.parametrize(
    ("window", "days", "stands"),
    [
        pytest.param(30, 30, True, id="domain.md sec.6 run-off within 30 days of election day stands"),
        pytest.param(30, 31, False, id="domain.md sec.6 run-off 31 days after election day cannot stand"),
        pytest.param(15, 16, False, id="BJ run-off window of 15 days"),
        pytest.param(0, 0, True, id="domain.md sec.6 run-off the same day"),
    ],
)
def test_runoff_window(window, days, stands):
    rules = rules_for("villagers_committee", {"runoff_window_days": window})
    result = _runoff(
        {"member": {"b": 60, "c": 50}}, day=date.fromordinal(ELECTION_DAY.toordinal() + days), rules=rules
    )
    assert result.is_within_window is stands
    assert bool(result.elected) is stands
    assert ("R6" in {r.code for r in result.reasons}) is not stands
    assert runoff_deadline(ELECTION_DAY, rules).toordinal() - ELECTION_DAY.toordinal() == window


def test_zj_30_three_elected_may_leave_remaining_seats_empty():
    """ZJ §30: with at least 3 elected the remaining seats may stay empty (not where a woman is still needed)."""
    rules = rules_for("villagers_committee", min_members_to_leave_seats_empty=3)
    round_1 = totals(
        150, 100, 100, 100, 0, {"chair": {"z": 90}, "member": {"a": 80, "b": 70, "c": 40, "d": 30}}
    )
    plan = runoff_candidates(decide_winners(round_1, SIX, MEMBERS_3, rules), SIX, rules)
    assert plan.may_leave_seats_empty and "R7" in {r.code for r in plan.reasons}
    strict = rules_for("villagers_committee")
    assert not runoff_candidates(
        decide_winners(round_1, SIX, MEMBERS_3, strict), SIX, strict
    ).may_leave_seats_empty


def test_zj_29_womens_post_runoff_is_for_women_only():
    """ZJ §29 / §21: the run-off keeps the women's post: only women on its list, a man's votes do not count."""
    posts = [PostSeats("chair", 1), PostSeats("women_member", 1), PostSeats("member", 1)]
    candidates = people("a:chair:m w:women_member:f v:women_member:f x:member:m")
    round_1 = totals(
        150,
        100,
        100,
        100,
        0,
        {"chair": {"a": 70}, "women_member": {"w": 40, "v": 30, "x": 25}, "member": {"x": 60}},
    )
    outcome = decide_winners(round_1, candidates, posts, WOMEN_POST)
    plan = runoff_candidates(outcome, candidates, WOMEN_POST)
    (seat,) = plan.seats
    assert (seat.post, seat.women_seats, seat.pool) == ("women_member", 1, ("w", "v"))
    runoff = totals(150, 100, 100, 100, 0, {"women_member": {"x": 60, "v": 35}})
    result = decide_runoff(
        runoff, plan, candidates, WOMEN_POST, election_day=ELECTION_DAY, runoff_day=ELECTION_DAY
    )
    assert [(e.person, e.post) for e in result.elected] == [("v", "women_member")]


def test_zj_29_seat_kept_for_a_woman_goes_to_a_woman():
    """ZJ §29: the member seat kept for a woman is filled by the woman with most votes (≥ 1/3), not a man."""
    candidates = people("a:chair:m b:member:m c:member:m d:member:f e:member:m")
    round_1 = totals(
        150, 100, 100, 100, 0, {"chair": {"a": 70}, "member": {"b": 70, "c": 60, "d": 30, "e": 20}}
    )
    outcome = decide_winners(round_1, candidates, CHAIR_MEMBERS, VILLAGE)
    plan = runoff_candidates(outcome, candidates, VILLAGE)
    assert [(s.post, s.seats, s.women_seats) for s in plan.seats] == [("member", 1, 1)]
    assert plan.seats[0].pool == ("d",)
    result = decide_runoff(
        totals(150, 100, 100, 100, 0, {"member": {"c": 60, "d": 35}}),
        plan,
        candidates,
        VILLAGE,
        election_day=ELECTION_DAY,
        runoff_day=ELECTION_DAY,
    )
    assert [e.person for e in result.elected] == ["d"]


def test_zj_31_relatives_of_winners_are_not_runoff_candidates():
    """ZJ §31: a close relative of someone elected is left off the run-off list (R9)."""
    candidates = people("z:chair:f a:member:m b:member:m c:member:m d:member:m", {"z": "b"})
    round_1 = totals(
        150, 100, 100, 100, 0, {"chair": {"z": 90}, "member": {"a": 80, "b": 45, "c": 40, "d": 30}}
    )
    plan = runoff_candidates(decide_winners(round_1, candidates, MEMBERS_3, VILLAGE), candidates, VILLAGE)
    assert plan.seats[0].pool == ("c", "d")
    assert "R9" in {r.code for r in plan.reasons}


def test_cpc_another_ballot_still_needs_more_than_half_of_members_present():
    """CPC: another ballot for unfilled seats needs more than half of members present (not 1/3)."""
    candidates = people("a:member:m b:member:f c:member:m d:member:m")
    posts = [PostSeats("member", 3)]
    outcome = decide_winners(
        totals(50, 41, 41, 41, 0, {"member": {"a": 30, "b": 25, "c": 20, "d": 15}}), candidates, posts, PARTY
    )
    plan = runoff_candidates(outcome, candidates, PARTY)
    assert plan.seats[0].pool == ("c", "d")
    runoff = totals(50, 41, 41, 41, 0, {"member": {"c": 20, "d": 19}})
    result = decide_runoff(
        runoff, plan, candidates, PARTY, election_day=ELECTION_DAY, runoff_day=ELECTION_DAY
    )
    assert result.elected == () and result.unfilled == {"member": 1}
    runoff = totals(50, 41, 41, 41, 0, {"member": {"c": 21, "d": 19}})
    result = decide_runoff(
        runoff, plan, candidates, PARTY, election_day=ELECTION_DAY, runoff_day=ELECTION_DAY
    )
    assert [e.person for e in result.elected] == ["c"]


@pytest.mark.parametrize(
    ("due", "present", "quorate"),
    [
        pytest.param(50, 40, False, id="CPC quorum 4/5: 40 of 50 is exactly 4/5 -> not quorate"),
        pytest.param(50, 41, True, id="CPC quorum 4/5: 41 of 50 -> quorate"),
        pytest.param(7, 6, True, id="CPC quorum 4/5: 6 of 7 (5.6 needed) -> quorate"),
        pytest.param(7, 5, False, id="CPC quorum 4/5: 5 of 7 -> not quorate"),
    ],
)
def test_cpc_quorum(due, present, quorate):
    assert is_quorate(present, due) is quorate
    assert (present >= members_needed_for_quorum(due)) is quorate


def test_cpc_votes_needed_are_more_than_half_of_members_present():
    assert votes_needed_to_win(41) == 21 and votes_needed_to_win(40) == 21


def test_committee_size_outside_the_rule_set_warns():
    """domain.md sec.1: a villagers' committee has 3-7 seats; 8 seats is flagged (W4), not refused."""
    posts = [PostSeats("chair", 1), PostSeats("vice_chair", 1), PostSeats("member", 6)]
    validity = check_round(totals(150, 100, 100, 100, 0), VILLAGE, posts)
    assert validity.status == VALID and "W4" in validity.codes


def test_rules_for_reads_rule_set_fields_that_exist():
    """The numbers taken from a rule set are the rule set's own fields (election_admin.legal_calendar)."""
    from election_admin.legal_calendar import RULE_BOUNDS

    for key in (
        "runoff_window_days",
        "runoff_threshold_numerator",
        "runoff_threshold_denominator",
        "villagers_committee_size_min",
        "residents_committee_size_max",
        "supervision_committee_size_min",
        "party_branch_size_max",
    ):
        assert key in RULE_BOUNDS
    values = {"runoff_window_days": 15, "has_cascade": True, "villagers_committee_size_max": 5}
    rules = rules_for("villagers_committee", values)
    assert (rules.runoff_window_days, rules.has_cascade, rules.committee_size_max) == (15, True, 5)
    assert rules.same_person_voids == "higher_post"  # with cascade a double mark must not count twice
    party = rules_for("party_branch", {"has_cascade": True, "ballots_comparator": "voted"})
    assert (party.has_cascade, party.ballots_comparator, party.quorum_numerator) == (False, "issued", 4)


def test_the_rules_module_imports_no_django():
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys, ballots.counting; sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    repo = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=repo, check=False).returncode == 0
