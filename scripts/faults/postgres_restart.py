#!/usr/bin/env python
"""Fault scenario: PostgreSQL restarted (``pg_ctl restart -m fast``) while clerks are saving tally sheets.

    .venv/bin/python scripts/faults/postgres_restart.py [--villages 10] [--seconds 30] [--restart-at 10]

Never touches the shared PostgreSQL server: it starts a private cluster in a temp dir with the installed
binaries (``/usr/lib/postgresql/*/bin``; as root it runs them as the ``postgres`` user), on a free port.
There it migrates, builds ``--villages`` villages ready for the count (``bench/election_night/world.py``),
starts gunicorn (production settings) against it, and lets one clerk per village save its sheet again and
again over keep-alive connections. Once every clerk has saved at least once and ``--restart-at`` seconds
have passed, the cluster is restarted (fast mode: open transactions are rolled back); the clerks go on
for ``--seconds`` minus ``--restart-at`` seconds more. Then it checks, and prints:

* requests during the outage failed cleanly — a 503 page saying nothing was saved, no 500 page;
* the app recovered without restarting gunicorn (same process ids), and how long that took;
* no half-saved sheet: every stored entry is exactly one of the sheets its clerk submitted, it is the
  last one the server confirmed (or a later one whose answer was lost in the outage), and the audit log
  holds one ``tally.entered`` event per stored save.

The broker is not needed (nothing is enqueued); exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from election_night import stack  # noqa: E402
from election_night.client import Session, csrf_token, expected_version  # noqa: E402

FIGURES = ("voted", "issued", "returned", "invalid")


def _sheet(rng: random.Random, lines: list[dict]) -> tuple[dict, dict]:
    voted = rng.randint(60, 600)
    returned = voted - rng.randint(0, 3)
    figures = {"voted": voted, "issued": voted, "returned": returned, "invalid": rng.randint(0, 5)}
    votes = {line["key"]: rng.randint(1, returned) for line in lines}
    return figures, votes


def _stored(url: str) -> tuple[dict, int]:
    import psycopg2

    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.box_id, e.voted, e.issued, e.returned, e.invalid, e.votes, e.version "
                "FROM ballots_tallyentry e JOIN ballots_tallysheet s ON s.id = e.sheet_id"
            )
            rows = {
                str(box): {
                    "voted": v,
                    "issued": i,
                    "returned": r,
                    "invalid": n,
                    "votes": votes,
                    "version": ver,
                }
                for box, v, i, r, n, votes, ver in cursor.fetchall()
            }
            cursor.execute("SELECT count(*) FROM audit_auditevent WHERE event_type = 'tally.entered'")
            audited = cursor.fetchone()[0]
    finally:
        connection.close()
    return rows, audited


def run(villages: int = 10, seconds: float = 30.0, restart_at: float = 10.0) -> list[dict]:
    figures: list[dict] = []

    def fig(name, value, unit="", target="", passed=None):
        figures.append({"name": name, "value": value, "unit": unit, "target": target, "passed": passed})

    postgres = stack.PrivatePostgres()
    work = Path(tempfile.mkdtemp(prefix="h5-pg-restart-"))
    gunicorn = None
    try:
        postgres.init()
        env = stack.app_env(postgres.url, "", str(work / "var"))
        stack.run_manage(env, "migrate", "-v0")
        world_path = work / "world.json"
        subprocess.run(
            [sys.executable, str(ROOT / "bench/election_night/world.py"), "build", str(villages), "0", str(world_path)],
            env=env, check=True, cwd=ROOT,
        )  # fmt: skip
        world = json.loads(world_path.read_text())
        port = stack.free_port()
        gunicorn = stack.start_gunicorn(env, port, 2, 4, str(work / "gunicorn.log"))

        lock = threading.Lock()
        events: list[tuple[float, str, int, str]] = []  # (time, box, status, kind)
        submitted: dict[str, list[tuple[dict, dict, int]]] = {}  # box → [(figures, votes, status)]
        ready = threading.Barrier(len(world["villages"]) + 1)
        clock = {"began": 0.0}
        stop = threading.Event()
        logins: list[bool] = []
        go = threading.Event()

        def clerk(index: int, village: dict) -> None:
            rng = random.Random(index)
            session = Session("127.0.0.1", port, timeout=60)
            signed_in, tries = False, 0
            while not signed_in and tries < 5:  # a busy machine: signing in (Argon2) may time out
                signed_in, tries = session.login(village["clerk"], world["password"]), tries + 1
            with lock:
                logins.append(signed_in)
            ready.wait()  # everybody signed in: the clock starts
            go.wait()
            if not signed_in:
                return
            began = clock["began"]
            box = str(village["box_id"])
            path = f"/ballot-boxes/{box}/tally/"
            while not stop.is_set():
                page = session.get(path)
                with lock:
                    events.append((time.monotonic() - began, box, page.status, "form"))
                if page.status != 200:
                    time.sleep(0.3)
                    continue
                figures_, votes = _sheet(rng, village["lines"])
                data = {
                    "csrfmiddlewaretoken": csrf_token(page.text),
                    "expected_version": expected_version(page.text),
                }
                data.update({k: str(v) for k, v in figures_.items()})
                data.update({line["field"]: str(votes[line["key"]]) for line in village["lines"]})
                answer = session.post(path, data)
                with lock:
                    events.append((time.monotonic() - began, box, answer.status, "save"))
                    submitted.setdefault(box, []).append((figures_, votes, answer.status))
                time.sleep(rng.uniform(0.1, 0.4))
            session.close()

        threads = [threading.Thread(target=clerk, args=(i, v)) for i, v in enumerate(world["villages"])]
        for thread in threads:
            thread.start()
        ready.wait()
        clock["began"] = began = time.monotonic()
        pids_before = _worker_pids(gunicorn.pid)  # every worker has booted: they answered the sign-ins
        go.set()
        # Saving in full swing first: at least one confirmed save per village (at most two minutes) and
        # ``restart_at`` seconds; then the restart, then ``seconds - restart_at`` seconds more.
        while time.monotonic() - began < 120:
            with lock:
                confirmed = sum(1 for e in events if e[3] == "save" and e[2] == 302)
            if confirmed >= len(threads) and time.monotonic() - began >= restart_at:
                break
            time.sleep(0.2)
        restart_began = time.monotonic() - began
        postgres.restart()
        restart_done = time.monotonic() - began
        time.sleep(max(5.0, seconds - restart_at))
        stop.set()
        for thread in threads:
            thread.join()
        pids_after = _worker_pids(gunicorn.pid)
        gunicorn_alive = gunicorn.poll() is None
        log = (work / "gunicorn.log").read_text(errors="replace")
    finally:
        stack.stop(gunicorn)
        stored, audited = ({}, 0)
        try:
            stored, audited = _stored(postgres.url)
        finally:
            postgres.destroy()

    saves = [e for e in events if e[3] == "save"]
    ok = [e for e in saves if e[2] == 302]
    failed = [e for e in events if e[2] not in (200, 302)]
    statuses = sorted({e[2] for e in failed})
    fig("clerks signed in", sum(logins), "", f"= {villages}", sum(logins) == villages)
    fig("tally saves confirmed (302)", len(ok), "", "", None)
    fig("requests failed around the restart", len(failed), "", "", None)
    fig("  their statuses (0 = connection refused/reset)", ",".join(map(str, statuses)) or "-", "", "", None)
    fig("500 pages", sum(1 for e in failed if e[2] == 500), "", "= 0", not any(e[2] == 500 for e in failed))
    fig("server tracebacks in the gunicorn log", log.count("Traceback"), "", "= 0", "Traceback" not in log)
    fig("restart took (pg_ctl restart -m fast)", round(restart_done - restart_began, 1), "s", "", None)
    after = [e for e in ok if e[0] > restart_done]
    first_ok = min((e[0] for e in after), default=None)
    fig("first confirmed save after the restart", round(first_ok - restart_done, 2) if first_ok else "never", "s",
        "< 10 s", first_ok is not None and first_ok - restart_done < 10)  # fmt: skip
    fig("confirmed saves before the restart", sum(1 for e in ok if e[0] < restart_began), "", "> 0",
        any(e[0] < restart_began for e in ok))  # fmt: skip
    fig("confirmed saves after the restart", len(after), "", "> 0", len(after) > 0)
    fig("gunicorn not restarted (same master and workers)", "yes" if gunicorn_alive and pids_before == pids_after
        else f"no ({pids_before} → {pids_after})", "", "yes", gunicorn_alive and pids_before == pids_after)  # fmt: skip

    # No half-saved sheet: each stored entry is exactly one submission of its clerk, the last confirmed one or
    # a later one whose answer was lost; one audit event per stored save.
    partial = wrong = 0
    for box, tries in submitted.items():
        row = stored.get(box)
        if row is None:
            wrong += any(status == 302 for *_x, status in tries)
            continue
        values = ({k: row[k] for k in FIGURES}, {k: v for k, v in row["votes"].items()})
        matches = [i for i, (f, v, _s) in enumerate(tries) if (f, v) == values]
        if not matches:
            partial += 1
            continue
        last_ok = max((i for i, (*_x, status) in enumerate(tries) if status == 302), default=-1)
        wrong += matches[-1] < last_ok
    fig(
        "stored entries that are not exactly one submitted sheet (half-saved)",
        partial,
        "",
        "= 0",
        partial == 0,
    )
    fig("stored entries older than the last confirmed save", wrong, "", "= 0", wrong == 0)
    versions = sum(row["version"] for row in stored.values())
    fig("audit events tally.entered = stored saves (sum of entry versions)", f"{audited} / {versions}", "", "equal",
        audited == versions)  # fmt: skip
    return figures


def _worker_pids(master: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    return sorted(int(p) for p in found)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--villages", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--restart-at", type=float, default=10.0)
    args = parser.parse_args()
    started = time.perf_counter()
    figures = run(args.villages, args.seconds, args.restart_at)
    print(f"\n{'figure':<72}{'target':>10}{'result':>16}  verdict")
    for f in figures:
        verdict = "" if f["passed"] is None else ("pass" if f["passed"] else "FAIL")
        print(f"{f['name']:<72}{f['target']:>10}{str(f['value']) + ' ' + f['unit']:>16}  {verdict}")
    print(f"(scenario took {time.perf_counter() - started:.0f} s)")
    return 0 if all(f["passed"] is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
