"""Benchmark: count 10,000 ballot-level records through the live count board (唱票) path.

    .venv/bin/python bench/bench_counting.py [--ballots 10000] [--repeat 5]
                                             [--database-url postgres://postgres@127.0.0.1:5432/postgres]

Builds a reproducible pile of ballots for a villagers' committee (chair 1, vice-chair 1, members 3,
a separate women's post, 下靠 on; 13 candidates, write-ins, over-voted and blank ballots), then times
``CountBoard.add`` for every ballot + ``totals`` + ``check_round`` + ``decide_winners`` — what the
live board does when the last ballot is read. Pure Python: no database, no Django. Also checks that
splitting the pile over four boxes and combining their tally sheets gives the same totals.

With a PostgreSQL URL (``--database-url``, or ``DATABASE_URL``; ``bench/run_all.py`` passes one) it
also times the storage path of the board as built (``ballots/services/board.py``) on a scratch
database ``bench_counting``, in a child process: the same pile stored as 10,000 ``BoardBallot`` rows,
then ``board_recount`` (read every stored ballot + count: what closing the board does), the whole
``board_close`` (recount + the box's agreed tally sheet), one ballot entered through
``board_ballot_add`` (locks, numbering, judging, running totals), and the projector's totals request
(through Django's test client). Exits non-zero when a target is missed.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
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
ENTRY_TARGET_MS = 50.0
SCRATCH_DATABASE = "bench_counting"
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


def run(database_url: str | None = None, ballots: int = 10_000, repeat: int = 5) -> list[Figure]:
    figures = run_pure(ballots, repeat)
    if database_url:
        from scratch import is_postgresql

        if is_postgresql(database_url):
            figures += run_storage(database_url, ballots, repeat)
    return figures


def run_pure(ballots: int = 10_000, repeat: int = 5) -> list[Figure]:
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


# --- The storage path (PostgreSQL, child process) -------------------------------------------------


def run_storage(database_url: str, ballots: int = 10_000, repeat: int = 5) -> list[Figure]:
    """Time the board as stored, on a fresh scratch database; answer the figures."""
    from scratch import ScratchDatabase

    scratch = ScratchDatabase(database_url, SCRATCH_DATABASE)
    url = scratch.recreate()
    try:
        child = subprocess.run(
            [sys.executable, __file__, "--worker", "--ballots", str(ballots), "--repeat", str(repeat)],
            cwd=REPO_ROOT,
            env={**os.environ, "DATABASE_URL": url, "CELERY_TASK_ALWAYS_EAGER": "1"},
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        scratch.drop()
    if child.returncode != 0:
        raise RuntimeError(f"the storage benchmark failed (exit {child.returncode}):\n{child.stderr[-3000:]}")
    m = json.loads(child.stdout.strip().splitlines()[-1])
    return [
        {
            "name": f"board storage: recount {ballots:,} stored ballots",
            "value": round(m["recount_ms"], 1),
            "unit": "ms",
            "target": f"< {TARGET_MS:.0f} ms",
            "passed": m["recount_ms"] < TARGET_MS,
        },
        {
            "name": "  stored recount = pure count",
            "value": "equal" if m["same"] else "different",
            "unit": "",
            "target": "equal",
            "passed": m["same"],
        },
        {
            "name": "  different papers among them (each judged once)",
            "value": m["distinct"],
            "unit": "",
            "target": "",
            "passed": None,
        },
        {
            "name": f"board storage: close ({ballots:,} ballots → tally sheet)",
            "value": round(m["close_ms"], 1),
            "unit": "ms",
            "target": "",
            "passed": None,
        },
        {
            "name": f"  storing {ballots:,} ballot rows (bulk)",
            "value": round(m["store_ms"], 1),
            "unit": "ms",
            "target": "",
            "passed": None,
        },
        {
            "name": "board: enter one ballot (median of 200)",
            "value": round(m["entry_ms"], 2),
            "unit": "ms",
            "target": f"< {ENTRY_TARGET_MS:.0f} ms",
            "passed": m["entry_ms"] < ENTRY_TARGET_MS,
        },
        {
            "name": f"board: projector totals request ({ballots:,} counted)",
            "value": round(m["projector_ms"], 1),
            "unit": "ms",
            "target": f"< {TARGET_MS:.0f} ms",
            "passed": m["projector_ms"] < TARGET_MS,
        },
    ]


def _worker(ballots: int, repeat: int) -> None:
    """In the child (DATABASE_URL = the scratch database): migrate, a 大通县 village election with one box,
    the pile stored on its board, then the timings as one JSON line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "election_admin.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from ballots import counting
    from ballots.models import BoardBallot, LiveBoard
    from ballots.services import board as board_services
    from ballots.services.election_day import ballot_box_create, venue_create
    from election_admin.choices import Role
    from election_admin.models import Election
    from tests.cycle_helpers import open_datong_cycle
    from tests.factories import UserFactory, make_region_tree

    call_command("migrate", verbosity=0)
    regions = make_region_tree()
    clerk = UserFactory(username="bench-county", role=Role.COUNTY_BUREAU, region=regions["630121"])
    open_datong_cycle(clerk, regions)
    election = Election.objects.filter(body="villagers_committee").order_by("id").first()
    venue = venue_create(actor=clerk, election=election, kind="assembly", name="会场")
    boxes = [ballot_box_create(actor=clerk, venue=venue, label=f"{n}号票箱") for n in (1, 2)]
    board = board_services.board_open(actor=clerk, box=boxes[0])
    setup = board_services.board_setup(election)
    seats = setup.seats
    pile = []
    for ballot in make_ballots(ballots):
        marks = {p: ids for p, ids in ballot.marks.items() if p in seats}
        write_ins = {p: names for p, names in ballot.write_ins.items() if p in seats}
        pile.append(
            Ballot(
                marks=marks, write_ins=write_ins, is_blank=ballot.is_blank, is_unreadable=ballot.is_unreadable
            )
        )
    pure = counting.CountBoard(setup.posts, setup.rules)
    rows = []
    for n, ballot in enumerate(pile, start=1):
        verdict = pure.add(ballot)
        rows.append(
            BoardBallot(
                board=board,
                sequence=n,
                token=f"b{n}",
                marks={p: sorted(ids) for p, ids in ballot.marks.items()},
                write_ins={p: list(names) for p, names in ballot.write_ins.items()},
                is_blank=ballot.is_blank,
                is_unreadable=ballot.is_unreadable,
                verdict=board_services.verdict_json(verdict),
                entered_by=clerk,
            )
        )
    started = time.perf_counter()
    BoardBallot.objects.bulk_create(rows, batch_size=2000)
    votes, post_void = board_services.board_figures(pure)
    LiveBoard.objects.filter(pk=board.pk).update(
        last_sequence=len(rows),
        returned=pure.returned,
        invalid=pure.invalid,
        votes=votes,
        post_void=post_void,
    )
    store_ms = (time.perf_counter() - started) * 1000
    board.refresh_from_db()
    timings = []
    count = None
    for _ in range(repeat):
        started = time.perf_counter()
        count = board_services.board_recount(board)
        timings.append((time.perf_counter() - started) * 1000)
    same = board_services.board_figures(count) == (votes, post_void) and count.returned == pure.returned
    distinct = BoardBallot.objects.filter(board=board).values(
        "marks", "write_ins", "is_blank", "is_unreadable"
    )
    distinct = distinct.order_by().distinct().count()

    client = Client()
    client.force_login(clerk)
    url = reverse("ballots_board_projector_totals", args=[board.pk])
    client.get(url)
    projector = []
    for _ in range(20):
        started = time.perf_counter()
        response = client.get(url)
        projector.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200

    started = time.perf_counter()
    board_services.board_close(actor=clerk, board=board, voted=ballots, issued=ballots, confirm=True)
    close_ms = (time.perf_counter() - started) * 1000

    second = board_services.board_open(actor=clerk, box=boxes[1])
    entry = []
    for n in range(200):
        ballot = pile[n]
        started = time.perf_counter()
        board_services.board_ballot_add(
            actor=clerk,
            board=second,
            token=f"e{n}",
            write_ins={p: list(names) for p, names in ballot.write_ins.items()},
            is_blank=ballot.is_blank or not ballot.write_ins,
        )
        entry.append((time.perf_counter() - started) * 1000)
    print(
        json.dumps(
            {
                "recount_ms": statistics.median(timings),
                "same": same,
                "distinct": distinct,
                "close_ms": close_ms,
                "store_ms": store_ms,
                "entry_ms": statistics.median(entry),
                "projector_ms": statistics.median(projector),
            }
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL server for the storage path (a scratch database is made there); none: pure only",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.ballots, args.repeat)
        return 0
    figures = run(args.database_url or None, args.ballots, args.repeat)
    print(f"{'figure':<48} {'target':>10} {'result':>12}  pass/fail")
    print("-" * 84)
    for figure in figures:
        result = f"{figure['value']} {figure['unit']}".strip()
        verdict = "" if figure["passed"] is None else ("pass" if figure["passed"] else "FAIL")
        print(f"{figure['name']:<48} {figure['target']:>10} {result:>12}  {verdict}".rstrip())
    return 0 if all(f["passed"] is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
