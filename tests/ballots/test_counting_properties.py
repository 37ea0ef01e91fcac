"""Properties of the counting rules over random elections (hypothesis).

Thresholds are checked against ``fractions.Fraction`` as an independent oracle; the live count board
against a hand tally written separately here and against box-by-box tally sheets.
"""

import random
from collections import Counter
from dataclasses import replace
from datetime import date
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ballots.counting import (
    ELECTED,
    FIGURES_INCONSISTENT,
    OUTRANKED,
    TIED,
    Ballot,
    Candidate,
    CountBoard,
    PostSeats,
    RoundTotals,
    check_round,
    combine_tally_sheets,
    count_ballots,
    decide_runoff,
    decide_winners,
    is_quorate,
    rules_for,
    write_in_key,
)
from ballots.counting.rules import COUNT_ORDER
from ballots.counting.runoff import RunoffPlan, RunoffSeats

# Ballot piles are costly to draw: fewer examples there; totals drawn directly are cheap.
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TALLY_SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WRITE_IN_NAMES = ("王五", "赵六", "钱七")
DAY = date(2026, 6, 1)


@st.composite
def elections(draw, body=None):
    """Rules, posts, candidates and a pile of ballots for one random election."""
    rules, posts, candidates = draw(setups(body))
    by_post = {item.post: ([c.id for c in candidates if c.post == item.post], item.seats) for item in posts}
    ids = [c.id for c in candidates]
    # A few distinct ballot papers, each cast several times: majorities and equal counts (ties) are
    # then common, as in real piles, and the examples stay small.
    patterns = draw(st.lists(ballot_papers(by_post, ids), min_size=1, max_size=6))
    copies = draw(st.lists(st.integers(1, 12), min_size=len(patterns), max_size=len(patterns)))
    ballots = [pattern for pattern, n in zip(patterns, copies, strict=True) for _ in range(n)]
    return rules, posts, candidates, ballots


@st.composite
def tallies(draw):
    """Rules, posts, candidates and round totals drawn directly, with votes around the thresholds so
    that majorities, near misses and ties at the cut-off are frequent."""
    rules, posts, candidates = draw(setups())
    cast = draw(st.integers(2, 60))
    # Listed so that hypothesis's preference for early values favours majorities and equal counts.
    near = [min(n, cast) for n in (cast // 2 + 1, cast // 2, cast // 2 + 2, cast, cast - 1, cast // 3, 1, 0)]
    votes = {}
    for item in posts:
        people = [c.id for c in candidates if c.post == item.post]
        if draw(st.booleans()):  # a combined ballot: people standing for other posts get votes here too
            people += [c.id for c in candidates if c.post != item.post][:2]
        if draw(st.integers(0, 4)) == 0:
            people.append(write_in_key(draw(st.sampled_from(WRITE_IN_NAMES))))
        values = draw(st.lists(st.sampled_from(near), min_size=len(people), max_size=len(people)))
        if len(values) > 1 and draw(st.booleans()):  # make two counts equal
            i, j = draw(st.integers(0, len(values) - 1)), draw(st.integers(0, len(values) - 1))
            values[j] = values[i]
        budget = cast * item.seats
        for person, n in zip(people, values, strict=True):
            n = min(n, budget)
            budget -= n
            if n:
                votes[(item.post, person)] = n
    registered = cast + cast // 6
    return rules, posts, candidates, RoundTotals(registered, cast, cast, cast, 0, votes)


@st.composite
def setups(draw, body=None):
    """Rules, posts and candidates (some close relatives) of one random election."""
    body = body or draw(st.sampled_from(["villagers_committee", "residents_committee", "party_branch"]))
    if body == "party_branch":
        rules = rules_for(body)
        posts = [PostSeats("member", draw(st.integers(1, 4)))]
    else:
        rules = rules_for(
            body,
            {"has_cascade": draw(st.booleans()), "has_women_post": draw(st.booleans())},
            overvote_voids=draw(st.sampled_from(["post", "ballot"])),
            same_person_voids=draw(st.sampled_from(["none", "higher_post", "person", "ballot"])),
            has_relatives_rule=draw(st.booleans()),
            women_required=draw(st.booleans()),
        )
        posts = [PostSeats("chair", 1), PostSeats("member", draw(st.integers(1, 4)))]
        if draw(st.booleans()):
            posts.append(PostSeats("vice_chair", 1))
        if rules.has_women_post:
            posts.append(PostSeats("women_member", 1))
    candidates = []
    for item in posts:
        for n in range(draw(st.integers(1, item.seats + 2))):
            gender = (
                "female" if item.post == "women_member" else draw(st.sampled_from(["female", "male", ""]))
            )
            candidates.append(Candidate(f"{item.post}-{n}", f"{item.post}-{n}", item.post, gender))
    ids = [c.id for c in candidates]
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=2))
    related: dict[str, set[str]] = {}
    for a, b in pairs:
        related.setdefault(a, set()).add(b)
    candidates = [replace(c, relatives=frozenset(related.get(c.id, ()))) for c in candidates]
    return rules, posts, candidates


@st.composite
def ballot_papers(draw, by_post, ids):
    kind = draw(st.integers(0, 15))
    if kind == 0:
        return Ballot(is_blank=True)
    if kind == 1:
        return Ballot(is_unreadable=True)
    marks, write_ins = {}, {}
    for post, (own, seats) in by_post.items():
        pool = ids if kind == 2 else own  # now and then a combined ballot naming people across lines
        most = seats + 1 if kind == 3 else seats  # now and then an over-voted line
        chosen = draw(st.sets(st.sampled_from(pool), max_size=min(most, len(pool))))
        if chosen:
            marks[post] = frozenset(chosen)
        if draw(st.integers(0, 9)) == 0:
            write_ins[post] = (draw(st.sampled_from(WRITE_IN_NAMES)),)
    return Ballot(marks=marks, write_ins=write_ins)


def figures(ballots, extra_voters=0):
    voted = len(ballots) + extra_voters
    return {"registered": max(voted + voted // 6, 1), "voted": voted, "issued": voted}


def hand_tally(ballots, posts, rules) -> RoundTotals:
    """The tally a careful clerk would write on the sheet, computed independently of the board."""
    seats = {p.post: p.seats for p in posts}
    rank = {post: i for i, post in enumerate(COUNT_ORDER)}
    invalid, votes, post_void = 0, Counter(), Counter()
    for ballot in ballots:
        if ballot.is_blank or ballot.is_unreadable:
            invalid += 1
            continue
        lines = {}
        for post in set(ballot.marks) | set(ballot.write_ins):
            names = set(ballot.marks.get(post, ())) | {
                write_in_key(n) for n in ballot.write_ins.get(post, ())
            }
            if names:
                lines[post] = names
        over = {post for post, names in lines.items() if len(names) > seats[post]}
        if over and rules.overvote_voids == "ballot":
            invalid += 1
            continue
        post_void.update(over)
        lines = {post: names for post, names in lines.items() if post not in over}
        everyone = Counter(person for names in lines.values() for person in names)
        doubles = {person for person, n in everyone.items() if n > 1}
        if doubles and rules.same_person_voids == "ballot":
            invalid += 1
            post_void.subtract(over)
            continue
        for post, names in lines.items():
            for person in names:
                if person in doubles and rules.same_person_voids == "person":
                    continue
                if person in doubles and rules.same_person_voids == "higher_post":
                    if rank[post] != min(rank[p] for p, ns in lines.items() if person in ns):
                        continue
                votes[(post, person)] += 1
    return RoundTotals(
        returned=len(ballots),
        invalid=invalid,
        votes={k: n for k, n in votes.items() if n},
        post_void={k: n for k, n in post_void.items() if n},
        **figures(ballots),
    )


# --- The live board path equals the tally-sheet path ---------------------------------------------


@SETTINGS
@given(elections())
def test_live_board_equals_hand_tally(election):
    rules, posts, candidates, ballots = election
    live = count_ballots(ballots, posts, rules, **figures(ballots))
    assert live == hand_tally(ballots, posts, rules)


@SETTINGS
@given(elections(), st.integers(1, 5), st.randoms(use_true_random=False))
def test_box_tally_sheets_combine_to_the_live_count(election, boxes, rng):
    """Counting box by box and combining the sheets gives the same totals and the same winners."""
    rules, posts, candidates, ballots = election
    live = count_ballots(ballots, posts, rules, **figures(ballots))
    boards = [CountBoard(posts, rules) for _ in range(boxes)]
    for ballot in ballots:
        rng.choice(boards).add(ballot)
    sheets = [b.tally_sheet(box=str(i), voted=b.returned, issued=b.returned) for i, b in enumerate(boards)]
    combined = combine_tally_sheets(live.registered, sheets)
    assert combined == live
    assert decide_winners(combined, candidates, posts, rules) == decide_winners(
        live, candidates, posts, rules
    )


@SETTINGS
@given(elections())
def test_live_board_figures_always_add_up(election):
    rules, posts, candidates, ballots = election
    totals = count_ballots(ballots, posts, rules, **figures(ballots))
    assert totals.returned == len(ballots) and 0 <= totals.invalid <= totals.returned
    for item in posts:
        assert sum(totals.votes_for(item.post).values()) <= totals.valid_for(item.post) * item.seats
    assert check_round(totals, rules, posts).status != FIGURES_INCONSISTENT


@SETTINGS
@given(elections(), st.data())
def test_withdrawing_an_entry_undoes_it(election, data):
    rules, posts, candidates, ballots = election
    assume(ballots)
    board = CountBoard(posts, rules)
    verdicts = [board.add(b) for b in ballots]
    index = data.draw(st.integers(0, len(ballots) - 1))
    board.withdraw(verdicts[index])
    rest = ballots[:index] + ballots[index + 1 :]
    assert board.totals(**figures(ballots)) == count_ballots(rest, posts, rules, **figures(ballots))


# --- Winners ---------------------------------------------------------------------------------------


@TALLY_SETTINGS
@given(tallies())
def test_winners_have_more_than_half_and_seats_are_never_exceeded(election):
    rules, posts, candidates, totals = election
    outcome = decide_winners(totals, candidates, posts, rules)
    seats = {p.post: p.seats for p in posts}
    for elected in outcome.elected:
        assert 2 * elected.votes > outcome.cast, elected
    per_post = Counter(e.post for e in outcome.elected)
    assert all(per_post[post] <= n for post, n in seats.items())
    assert len({e.person for e in outcome.elected}) == len(outcome.elected)  # nobody holds two posts
    assert not outcome.elected or outcome.validity.is_valid


@SETTINGS
@given(elections())
def test_winners_from_ballot_piles_have_more_than_half(election):
    rules, posts, candidates, ballots = election
    outcome = decide_winners(
        count_ballots(ballots, posts, rules, **figures(ballots)), candidates, posts, rules
    )
    assert all(2 * e.votes > outcome.cast for e in outcome.elected)
    assert outcome.cast == len(ballots) and outcome.validity.is_valid


@TALLY_SETTINGS
@given(tallies())
def test_a_tie_at_the_cut_off_is_never_silently_broken(election):
    """No one left out (outranked) ever has as many votes as someone elected to the same post."""
    rules, posts, candidates, totals = election
    outcome = decide_winners(totals, candidates, posts, rules)
    for result in outcome.posts:
        elected = [s.votes for s in result.standings if s.result == ELECTED]
        outranked = [s.votes for s in result.standings if s.result == OUTRANKED]
        if elected and outranked:
            assert min(elected) > max(outranked)
        tied = {s.person for s in result.standings if s.result == TIED}
        assert tied <= {p for t in outcome.ties for p in t.candidates}  # every tied person awaits a re-vote


@TALLY_SETTINGS
@given(tallies())
def test_every_tie_can_be_settled_by_re_votes(election):
    """Settling each tie (here: the first candidates listed win the re-vote) always ends decided."""
    rules, posts, candidates, totals = election
    resolved: dict[str, list[str]] = {}
    outcome = decide_winners(totals, candidates, posts, rules)
    for _ in range(12):
        if not outcome.ties:
            break
        for tie in outcome.ties:
            assert tie.id not in resolved
            resolved[tie.id] = list(tie.candidates[: tie.seats])
        outcome = decide_winners(totals, candidates, posts, rules, resolved_ties=resolved)
    assert outcome.is_decided
    assert all(2 * e.votes > outcome.cast for e in outcome.elected if e.post in {p.post for p in posts})


@TALLY_SETTINGS
@given(tallies(), st.randoms(use_true_random=False))
def test_the_outcome_does_not_depend_on_input_order(election, rng):
    rules, posts, candidates, totals = election
    shuffled_votes = list(totals.votes.items())
    rng.shuffle(shuffled_votes)
    reordered = replace(totals, votes=dict(shuffled_votes))
    others = candidates[:]
    rng.shuffle(others)
    first = decide_winners(totals, candidates, posts, rules)
    second = decide_winners(reordered, others, posts[::-1], rules)
    assert [(e.post, e.person) for e in first.elected] == [(e.post, e.person) for e in second.elected]
    assert first.reasons == second.reasons and first.posts == second.posts


@st.composite
def single_post(draw):
    """One post, no 下靠 / relatives / women rules: a plain vote-order election."""
    seats = draw(st.integers(1, 4))
    returned = draw(st.integers(1, 200))
    n = draw(st.integers(1, 7))
    votes = draw(st.lists(st.integers(0, returned), min_size=n, max_size=n))
    assume(sum(votes) <= returned * seats)
    return seats, returned, votes


def _plain(seats, returned, votes):
    rules = rules_for("villagers_committee", women_required=False, has_relatives_rule=False)
    posts = [PostSeats("member", seats)]
    candidates = [Candidate(f"p{i}", f"p{i}", "member", "male") for i in range(len(votes))]
    totals = RoundTotals(
        registered=returned,
        voted=returned,
        issued=returned,
        returned=returned,
        invalid=0,
        votes={("member", f"p{i}"): v for i, v in enumerate(votes) if v},
    )
    return decide_winners(totals, candidates, posts, rules)


def _status(outcome):
    tied = {p for t in outcome.ties for p in t.candidates}
    elected = {e.person for e in outcome.elected}
    return {
        s.person: (2 if s.person in elected else 1 if s.person in tied else 0)
        for s in outcome.post("member").standings
    }


@SETTINGS
@given(single_post(), st.data())
def test_more_votes_for_a_loser_never_unseats_anyone_else_unfairly(election, data):
    """Monotonicity: raising one non-winner's votes can lift only them; anyone else can only lose
    (elected → tied → out) to them, and nobody else rises."""
    seats, returned, votes = election
    before = _status(_plain(seats, returned, votes))
    losers = [i for i, v in enumerate(votes) if before[f"p{i}"] < 2]
    assume(losers)
    x = data.draw(st.sampled_from(losers))
    room = min(returned - votes[x], returned * seats - sum(votes))
    assume(room > 0)
    raised = votes[:]
    raised[x] += data.draw(st.integers(1, room))
    after = _status(_plain(seats, returned, raised))
    assert after[f"p{x}"] >= before[f"p{x}"]
    for person in before:
        if person != f"p{x}":
            assert after[person] <= before[person]
            if after[person] < before[person]:
                assert after[f"p{x}"] > before[f"p{x}"]  # only x's rise can push anyone down


# --- Exact thresholds --------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5000), st.data())
def test_round_one_needs_strictly_more_than_half_of_ballots_cast(cast, data):
    votes = data.draw(st.sampled_from(sorted({cast // 2 - 1, cast // 2, cast // 2 + 1, cast} - {-1})))
    outcome = _plain(1, cast, [votes])
    assert bool(outcome.elected) is (Fraction(votes, cast) > Fraction(1, 2))


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 3000), st.sampled_from([(1, 3), (1, 2)]), st.data())
def test_runoff_threshold_is_exact_at_the_boundary(cast, fraction, data):
    numerator, denominator = fraction
    edge = -(-numerator * cast // denominator)  # the smallest count at least the fraction
    votes = data.draw(st.sampled_from(sorted({max(edge - 1, 0), edge, min(edge + 1, cast)})))
    rules = rules_for(
        "villagers_committee",
        {"runoff_threshold_numerator": numerator, "runoff_threshold_denominator": denominator},
        women_required=False,
    )
    plan = RunoffPlan(
        seats=(RunoffSeats("member", 1, 0, ("x",)),),
        already_elected=(),
        may_leave_seats_empty=False,
        reasons=(),
    )
    totals = RoundTotals(cast, cast, cast, cast, 0, {("member", "x"): votes} if votes else {})
    result = decide_runoff(
        totals, plan, [Candidate("x", "X", "member", "male")], rules, election_day=DAY, runoff_day=DAY
    )
    assert bool(result.elected) is (votes > 0 and Fraction(votes, cast) >= Fraction(numerator, denominator))
    if cast % denominator == 0:
        assert edge * denominator == numerator * cast  # divisible: exactly the fraction is enough


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 400), st.data())
def test_party_quorum_is_strictly_more_than_four_fifths(due, data):
    present = data.draw(st.integers(0, due))
    assert is_quorate(present, due) is (Fraction(present, due) > Fraction(4, 5))
    rules = rules_for("party_branch")
    status = check_round(RoundTotals(due, present, present, present, 0), rules).status
    assert (status == "election_invalid") is not (Fraction(present, due) > Fraction(4, 5))
    if due % 5 == 0:
        assert not is_quorate(4 * due // 5, due) and is_quorate(4 * due // 5 + 1, due)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 20000), st.data())
def test_election_valid_only_if_more_than_half_of_registered_voted(registered, data):
    voted = data.draw(
        st.sampled_from(
            sorted({registered // 2, registered // 2 + 1, registered} & set(range(registered + 1)))
        )
    )
    status = check_round(
        RoundTotals(registered, voted, voted, voted, 0), rules_for("villagers_committee")
    ).status
    assert (status == "valid") is (Fraction(voted, registered) > Fraction(1, 2))


def test_random_module_is_not_used_for_decisions():
    """Determinism: deciding twice with the global random state disturbed gives the same result."""
    rules = rules_for("villagers_committee")
    posts = [PostSeats("chair", 1), PostSeats("member", 2)]
    candidates = [Candidate(c, c, "member", "female") for c in "abc"] + [Candidate("z", "z", "chair", "male")]
    totals = RoundTotals(
        150,
        100,
        100,
        100,
        0,
        {("chair", "z"): 60, ("member", "a"): 60, ("member", "b"): 60, ("member", "c"): 60},
    )
    first = decide_winners(totals, candidates, posts, rules)
    random.seed(1)
    assert decide_winners(totals, candidates[::-1], posts, rules) == first
