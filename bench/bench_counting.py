"""Benchmark: count 10,000 ballot-level records through the live count board (唱票) path.

    .venv/bin/python bench/bench_counting.py [--ballots 10000] [--repeat 5]

Builds a reproducible pile of ballots for a villagers' committee (chair 1, vice-chair 1, members 3,
a separate women's post, 下靠 on; 13 candidates, write-ins, over-voted and blank ballots), then times
``CountBoard.add`` for every ballot + ``totals`` + ``check_round`` + ``decide_winners`` — what the
live board does when the last ballot is read. Pure Python: no database, no Django. Also checks that
splitting the pile over four boxes and combining their tally sheets gives the same totals.
``bench/run_all.py`` can call ``run()`` for the figures; exits non-zero when a target is missed.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from ballots.counting import (  # noqa: E402
    Ballot,
    Candidate,
    CountBoard,
    PostSeats,
    check_round,
    combine_tally_sheets,
    decide_winners,
    rules_for,
)

TARGET_MS = 200.0
Figure = dict[str, Any]

POSTS = [
    PostSeats("chair", 1),
    PostSeats("vice_chair", 1),
    PostSeats("women_member", 1),
    PostSeats("member", 3),
]
CANDIDATES = [
    Candidate("c1", "陈建国", "chair", "male"),
    Candidate("c2", "李秀英", "chair", "female"),
    Candidate("v1", "王志强", "vice_chair", "male"),
    Candidate("v2", "赵丽", "vice_chair", "female"),
    Candidate("w1", "刘芳", "women_member", "female"),
    Candidate("w2", "孙静", "women_member", "female"),
    *(Candidate(f"m{i}", f"委员候选人{i}", "member", "male" if i % 3 else "female") for i in range(1, 8)),
]
# How likely each candidate is to be marked "for" on a ballot.
POPULARITY = {"c1": 0.62, "c2": 0.33, "v1": 0.55, "v2": 0.40, "w1": 0.58, "w2": 0.38}
POPULARITY.update({f"m{i}": p for i, p in enumerate((0.70, 0.64, 0.58, 0.45, 0.30, 0.22, 0.15), start=1)})


def make_ballots(count: int, seed: int = 2026) -> list[Ballot]:
    """A reproducible pile: ~1% blank, ~0.3% unreadable, some over-votes and write-ins."""
    rng = random.Random(seed)
    seats = {p.post: p.seats for p in POSTS}
    by_post: dict[str, list[str]] = {}
    for candidate in CANDIDATES:
        by_post.setdefault(candidate.post, []).append(candidate.id)
    ballots = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.01:
            ballots.append(Ballot(is_blank=True))
            continue
        if roll < 0.013:
            ballots.append(Ballot(is_unreadable=True))
            continue
        marks = {}
        write_ins = {}
        for post, ids in by_post.items():
            chosen = [i for i in ids if rng.random() < POPULARITY[i]]
            if rng.random() > 0.02:  # 2% of ballots over-vote a post
                chosen = chosen[: seats[post]]
            if chosen:
                marks[post] = frozenset(chosen)
            if rng.random() < 0.01 and len(chosen) < seats[post]:
                write_ins[post] = (f"另选{rng.randint(1, 20)}号",)
        ballots.append(Ballot(marks=marks, write_ins=write_ins))
    return ballots


def count_live(ballots: list[Ballot], rules) -> tuple[float, Any, Any]:
    """Time the live-board path; answers (milliseconds, totals, outcome)."""
    started = time.perf_counter()
    board = CountBoard(POSTS, rules)
    for ballot in ballots:
        board.add(ballot)
    totals = board.totals(registered=len(ballots) + 1500, voted=len(ballots), issued=len(ballots))
    check_round(totals, rules, POSTS)
    outcome = decide_winners(totals, CANDIDATES, POSTS, rules)
    return (time.perf_counter() - started) * 1000, totals, outcome


def run(ballots: int = 10_000, repeat: int = 5) -> list[Figure]:
    rules = rules_for("villagers_committee", {"has_cascade": True, "has_women_post": True})
    pile = make_ballots(ballots)
    timings = []
    totals = outcome = None
    for _ in range(repeat):
        ms, totals, outcome = count_live(pile, rules)
        timings.append(ms)
    median = statistics.median(timings)
    boards = [CountBoard(POSTS, rules) for _ in range(4)]
    for index, ballot in enumerate(pile):
        boards[index % 4].add(ballot)
    sheets = [
        b.tally_sheet(box=f"box {n}", voted=b.returned, issued=b.returned)
        for n, b in enumerate(boards, start=1)
    ]
    combined = combine_tally_sheets(totals.registered, sheets)
    same = combined == totals
    return [
        {
            "name": f"live count board, {ballots:,} ballots (median of {repeat})",
            "value": round(median, 1),
            "unit": "ms",
            "target": f"< {TARGET_MS:.0f} ms",
            "passed": median < TARGET_MS,
        },
        {
            "name": "  slowest run",
            "value": round(max(timings), 1),
            "unit": "ms",
            "target": "",
            "passed": None,
        },
        {
            "name": "  per ballot",
            "value": round(median * 1000 / ballots, 2),
            "unit": "µs",
            "target": "",
            "passed": None,
        },
        {
            "name": "four tally sheets combined = live board",
            "value": "equal" if same else "different",
            "unit": "",
            "target": "equal",
            "passed": same,
        },
        {
            "name": "  elected",
            "value": ", ".join(f"{e.post}:{e.person}" for e in outcome.elected),
            "unit": "",
            "target": "",
            "passed": None,
        },
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    figures = run(args.ballots, args.repeat)
    print(f"{'figure':<48} {'target':>10} {'result':>12}  pass/fail")
    print("-" * 84)
    for figure in figures:
        result = f"{figure['value']} {figure['unit']}".strip()
        verdict = "" if figure["passed"] is None else ("pass" if figure["passed"] else "FAIL")
        print(f"{figure['name']:<48} {figure['target']:>10} {result:>12}  {verdict}".rstrip())
    return 0 if all(f["passed"] is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
