#!/usr/bin/env python
"""Benchmark (#6): election night — 100 village clerks saving tally sheets at once, 20 people watching the
dashboard, on this machine's PostgreSQL with gunicorn and a Celery worker, all through HTTP.

    .venv/bin/python bench/bench_election_night.py [--database-url postgres://…] [--broker redis://…/5]
        [--clerks 100] [--viewers 20] [--rounds 3] [--think 5 20] [--workers 2] [--threads 6] [--rebuild]

1. scratch database ``bench_election_night`` (kept between runs: the villages built by an earlier run of
   the same size are reused and only the tally sheets cleared; ``--rebuild`` drops and re-creates it), ``migrate``, then ``bench/election_night/world.py`` builds through the
   real services 100 villages of 大通县 ready for the count (roll, committee, 5 official candidates
   passed by the joint review, a ballot box) with one village-clerk account each (村文书, no 2FA) and 20
   township/county viewer accounts;
2. starts gunicorn (production settings: DEBUG off, WhiteNoise static, ``--workers`` × ``--threads``
   gthread) and a Celery worker (solo) on the broker;
3. every client signs in through the login form (not timed); a baseline: one clerk alone saves its
   sheet 10 times (the peer figure); then the load: each clerk, in its own thread and keep-alive
   connection, ``--rounds`` times: GET the tally form (CSRF token and the entry's version), think
   (uniform ``--think`` seconds), POST the sheet with new figures and candidate votes, follow the
   redirect, think; the viewers poll the county and township progress pages with the same think time
   (default 5–20 s: a clerk types a sheet of figures and candidate lines from paper; with 100 clerks that
   is ≈ 4 saves/s and ≈ 14 requests/s at the server — ``--think 1 3`` is a harsher test);
4. verifies the database: every box's stored entry equals the last figures and votes its clerk
   submitted, and the sums match.

Prints the figures; ``run(database_url)`` returns them to ``bench/run_all.py``; exits 1 when a target is
missed. Targets: p95 of a save < 300 ms, errors = 0, database totals = what was submitted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from election_night import stack  # noqa: E402
from election_night.client import Session, csrf_token, expected_version  # noqa: E402
from scratch import ScratchDatabase, figure  # noqa: E402

SCRATCH = "bench_election_night"
DEFAULT_BROKER = "redis://127.0.0.1:6379/5"
WORLD_CACHE = Path(tempfile.gettempdir()) / "bench_election_night" / "world.json"
TARGET_P95_MS = 300.0
FIGURES = ("voted", "issued", "returned", "invalid")


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def _sheet(rng: random.Random, lines: list[dict]) -> tuple[dict, dict]:
    voted = rng.randint(60, 600)
    returned = voted - rng.randint(0, 3)
    figures = {"voted": voted, "issued": voted, "returned": returned, "invalid": rng.randint(0, 5)}
    votes = {line["key"]: rng.randint(0, returned) for line in lines}
    return figures, votes


def _form(token: str, version: str, figures: dict, votes: dict, lines: list[dict]) -> dict:
    data = {"csrfmiddlewaretoken": token, "expected_version": version}
    data.update({name: str(value) for name, value in figures.items()})
    for line in lines:
        data[line["field"]] = str(votes[line["key"]])
    return data


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.saves: list[float] = []
        self.forms: list[float] = []
        self.dashboard: list[float] = []
        self.errors: list[str] = []
        self.submitted: dict[str, dict] = {}  # box → the last sheet the server confirmed
        self.attempts: dict[str, list] = {}  # box → every sheet sent, with the answer's status

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def _save_once(session: Session, village: dict, rng: random.Random, record: Recorder, think) -> bool:
    path = f"/ballot-boxes/{village['box_id']}/tally/"
    page = session.get(path)
    if page.status != 200:
        record.error(f"GET tally form {page.status} {page.error}")
        return False
    with record.lock:
        record.forms.append(page.seconds)
    think()
    figures, votes = _sheet(rng, village["lines"])
    answer = session.post(
        path, _form(csrf_token(page.text), expected_version(page.text), figures, votes, village["lines"])
    )
    with record.lock:
        record.attempts.setdefault(str(village["box_id"]), []).append(
            ({**figures, "votes": votes}, answer.status)
        )
    if answer.status != 302:
        snippet = answer.text[:200].replace("\n", " ")
        record.error(f"POST tally {answer.status} {answer.error} {snippet}")
        return False
    with record.lock:
        record.saves.append(answer.seconds)
        record.submitted[str(village["box_id"])] = {**figures, "votes": votes}
    follow = session.get(answer.location)
    if follow.status != 200:
        record.error(f"GET after save {follow.status} {follow.error}")
    return True


def _load(port: int, world: dict, *, rounds: int, think_range: tuple[float, float], seed: int = 2026) -> dict:
    record = Recorder()
    villages = world["villages"]
    password = world["password"]
    clerks = [Session("127.0.0.1", port) for _ in villages]
    viewers = [Session("127.0.0.1", port) for _ in world["viewers"]]

    # Sign everybody in (not timed), a few at a time.
    def sign_in(pairs):
        for session, username in pairs:
            if not session.login(username, password):
                record.error(f"login failed for {username}")

    pairs = list(zip(clerks, [v["clerk"] for v in villages], strict=True)) + list(
        zip(viewers, world["viewers"], strict=True)
    )
    threads = [threading.Thread(target=sign_in, args=(pairs[i::8],)) for i in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    login_errors = len(record.errors)

    # Baseline (the peer): one clerk alone, no think time.
    baseline = Recorder()
    rng = random.Random(seed)
    for _ in range(10):
        _save_once(clerks[0], villages[0], rng, baseline, lambda: None)
    record.submitted.update(baseline.submitted)
    record.attempts.update(baseline.attempts)

    # The load.
    stop_viewers = threading.Event()
    start = threading.Barrier(len(clerks) + len(viewers) + 1)

    def clerk(index: int):
        rng = random.Random(seed + index)

        def think():
            time.sleep(rng.uniform(*think_range))

        start.wait()
        time.sleep(rng.uniform(0, think_range[1]))  # clerks do not all press at the same instant
        for _ in range(rounds):
            _save_once(clerks[index], villages[index], rng, record, think)
            think()

    def viewer(index: int):
        rng = random.Random(seed + 1000 + index)
        # world.py: even viewers are township staff, odd ones the county bureau.
        paths = [f"/progress/{world['township']}/", f"/progress/{world['county']}/"]
        start.wait()
        while not stop_viewers.is_set():
            page = viewers[index].get(paths[index % 2])
            if page.status != 200:
                record.error(f"GET dashboard {page.status} {page.error}")
            else:
                with record.lock:
                    record.dashboard.append(page.seconds)
            stop_viewers.wait(rng.uniform(*think_range))

    clerk_threads = [threading.Thread(target=clerk, args=(i,)) for i in range(len(clerks))]
    viewer_threads = [threading.Thread(target=viewer, args=(i,)) for i in range(len(viewers))]
    for thread in clerk_threads + viewer_threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in clerk_threads:
        thread.join()
    elapsed = time.perf_counter() - began
    stop_viewers.set()
    for thread in viewer_threads:
        thread.join()
    for session in clerks + viewers:
        session.close()
    return {
        "record": record,
        "baseline": baseline,
        "elapsed": elapsed,
        "login_errors": login_errors,
    }


def _db_totals(env: dict) -> dict:
    out = Path(tempfile.mktemp(suffix=".json"))
    subprocess.run(
        [sys.executable, str(ROOT / "bench/election_night/world.py"), "totals", str(out)], env=env, check=True
    )
    return json.loads(out.read_text())


def _compare(record: Recorder, stored: dict) -> tuple[bool, dict, dict]:
    """Every box's stored entry is the last sheet the server confirmed — or a later one whose answer was lost
    (a client time-out: the server may still have committed it) — and nothing else is stored."""
    per_box = stored["per_box"]

    def nonzero(values: dict) -> dict:  # the service keeps only non-zero candidate counts
        return {**values, "votes": {k: v for k, v in values["votes"].items() if v}}

    expected: dict[str, dict] = {}
    equal = set(per_box) <= set(record.attempts)
    for box, tries in record.attempts.items():
        last_ok = max((i for i, (_v, status) in enumerate(tries) if status == 302), default=-1)
        allowed = [
            nonzero(v)
            for i, (v, status) in enumerate(tries)
            if i == last_ok or (i > last_ok and status != 302)
        ]
        row = per_box.get(box)
        if row is None:
            equal &= last_ok == -1
            continue
        equal &= row in allowed
        expected[box] = row if row in allowed else nonzero(tries[last_ok][0]) if last_ok >= 0 else {}
    sums = {name: sum(v.get(name) or 0 for v in expected.values()) for name in FIGURES}
    sums["votes"] = sum(sum(v.get("votes", {}).values()) for v in expected.values())
    db = {name: stored["summed"][name] for name in (*FIGURES, "votes")}
    return equal and sums == db, sums, db


def run(
    database_url: str,
    *,
    broker_url: str = "",
    clerks: int = 100,
    viewers: int = 20,
    rounds: int = 3,
    think: tuple[float, float] = (5.0, 20.0),
    workers: int = 2,
    threads: int = 6,
    reuse: bool = True,
) -> list[dict]:
    broker_url = broker_url or os.environ.get("BENCH_BROKER_URL") or DEFAULT_BROKER
    scratch = ScratchDatabase(database_url, SCRATCH)
    work = Path(tempfile.mkdtemp(prefix="bench-election-night-"))
    env = stack.app_env(scratch.url, broker_url, str(work / "var"))
    figures: list[dict] = []
    built_seconds = None
    world = None
    if reuse and scratch.exists() and WORLD_CACHE.exists():
        world = json.loads(WORLD_CACHE.read_text())
        if len(world["villages"]) != clerks or len(world["viewers"]) != viewers:
            world = None
    if world is None:
        scratch.recreate()
        stack.run_manage(env, "migrate", "-v0")
        WORLD_CACHE.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(ROOT / "bench/election_night/world.py"), "build", str(clerks), str(viewers),
             str(WORLD_CACHE)],
            env=env, check=True, cwd=ROOT,
        )  # fmt: skip
        world = json.loads(WORLD_CACHE.read_text())
        built_seconds = world["seconds"]
    else:
        import psycopg2

        connection = psycopg2.connect(scratch.url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM ballots_tallyentry")
            cursor.execute("DELETE FROM ballots_tallysheet")
        connection.close()
    port = stack.free_port()
    gunicorn = worker = None
    try:
        gunicorn = stack.start_gunicorn(env, port, workers, threads, str(work / "gunicorn.log"))
        worker = stack.start_worker(env, "celery", str(work / "worker.log"))
        outcome = _load(port, world, rounds=rounds, think_range=think)
    finally:
        stack.stop(gunicorn)
        stack.stop(worker)
    record: Recorder = outcome["record"]
    baseline: Recorder = outcome["baseline"]
    equal, sent, stored_sums = _compare(record, _db_totals(env))
    server_errors = (work / "gunicorn.log").read_text(errors="replace").count("Traceback")
    saves_ms = [s * 1000 for s in record.saves]
    p95 = _percentile(saves_ms, 0.95)
    errors = len(record.errors) + server_errors
    if built_seconds is not None:
        figures.append(
            figure("world built through the services (villages ready to count)", built_seconds, "s", "", None)
        )
    figures += [
        figure(f"tally saves by {clerks} clerks ({rounds} each) + {viewers} viewers", len(record.saves), "saves",
               f"= {clerks * rounds}", len(record.saves) == clerks * rounds),
        figure("save (POST) p50", round(_percentile(saves_ms, 0.5), 1), "ms", "", None),
        figure("save (POST) p95", round(p95, 1), "ms", f"< {TARGET_P95_MS:.0f} ms", p95 < TARGET_P95_MS),
        figure("save (POST) max", round(max(saves_ms, default=float("nan")), 1), "ms", "", None),
        figure("peer: save p50 with one clerk alone", round(statistics.median(s * 1000 for s in baseline.saves), 1)
               if baseline.saves else float("nan"), "ms", "", None),
        figure("tally form (GET) p95", round(_percentile([s * 1000 for s in record.forms], 0.95), 1), "ms", "", None),
        figure("dashboard (GET) p95", round(_percentile([s * 1000 for s in record.dashboard], 0.95), 1), "ms", "",
               None),
        figure("dashboard requests served", len(record.dashboard), "", "", None),
        figure("think time between a clerk's steps", f"{think[0]:g}–{think[1]:g}", "s", "", None),
        figure("saves per second during the load", round(len(record.saves) / outcome["elapsed"], 1), "/s", "", None),
        figure("requests per second during the load",
               round((len(record.saves) * 2 + len(record.forms) + len(record.dashboard)) / outcome["elapsed"], 1),
               "/s", "", None),
        figure("errors (failed requests + server tracebacks)", errors, "", "= 0", errors == 0),
        figure("database totals = submitted (every box, figures and votes)", "yes" if equal else "no", "", "yes",
               equal),
        figure("  submitted votes / stored votes", f"{sent['votes']} / {stored_sums['votes']}", "", "", None),
    ]  # fmt: skip
    if record.errors:
        print("first errors:", *record.errors[:5], sep="\n  ", file=sys.stderr)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument("--broker", default=os.environ.get("BENCH_BROKER_URL") or DEFAULT_BROKER)
    parser.add_argument("--clerks", type=int, default=100)
    parser.add_argument("--viewers", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--think", type=float, nargs=2, default=(5.0, 20.0), metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--rebuild", action="store_true", help="build the villages again (default: reuse)")
    args = parser.parse_args()
    figures = run(
        args.database_url,
        broker_url=args.broker,
        clerks=args.clerks,
        viewers=args.viewers,
        rounds=args.rounds,
        think=tuple(args.think),
        workers=args.workers,
        threads=args.threads,
        reuse=not args.rebuild,
    )
    print(f"\n{'figure':<62}{'target':>14}{'result':>18}  pass/fail")
    print("-" * 104)
    for f in figures:
        verdict = "" if f["passed"] is None else ("pass" if f["passed"] else "FAIL")
        print(f"{f['name']:<62}{f['target']:>14}{str(f['value']) + ' ' + f['unit']:>18}  {verdict}")
    return 0 if all(f["passed"] is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
