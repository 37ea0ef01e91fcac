#!/usr/bin/env python
"""Fault scenario: the Celery worker is killed (SIGKILL) in the middle of generating documents.

    .venv/bin/python scripts/faults/worker_killed.py [--database-url postgres://…] [--broker redis://…/5]

Needs PostgreSQL (the role needs CREATEDB) and Redis. In a scratch database ``fault_worker_killed``:

A. a result is certified (its notice task is enqueued by the certification, as in production); worker 1
   (slowed by ``slow_worker.py``: it sleeps inside the notice's transaction after the PDF is built and
   stored) is killed with SIGKILL while generating; worker 2 starts; the message is redelivered by Redis
   (``acks_late`` + ``reject_on_worker_lost``, visibility timeout shortened to 5 s) and the notice is made.
   The task is then enqueued twice more (a double click, a sweep): still exactly one notice.
B. the same with a Job-backed task (the tally report, 计票报告): killed while running (the Job shows
   "running"), re-run after redelivery, the Job ends "finished" with exactly one stored report.

Prints its figures and exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from election_night import stack  # noqa: E402
from scratch import ScratchDatabase  # noqa: E402

SCRATCH = "fault_worker_killed"
VISIBILITY_TIMEOUT = 5


def child_setup(out: str, queue: str) -> None:
    """In the scratch database: one village counted, entered twice and certified (notice enqueued)."""
    from django.db import transaction
    from election_night import world

    from ballots.models import BallotBox
    from ballots.services.results import results_certify, results_compute
    from ballots.services.tally import tally_entry_save
    from election_admin.celery import app
    from election_admin.models import Election, User

    app.conf.task_default_queue = queue
    description = world.build(1, 0)
    village = description["villages"][0]
    clerk = User.objects.get(username=village["clerk"])
    township = User.objects.get(username="bench-township")
    box = BallotBox.objects.get(pk=village["box_id"])
    figures = {"voted": 14, "issued": 14, "returned": 14, "invalid": 1}
    votes = dict(zip([line["key"] for line in village["lines"]], [9, 4, 11, 8, 5], strict=True))
    for actor in (clerk, township):
        tally_entry_save(actor=actor, box=box, figures=figures, votes=votes)
    election = Election.objects.get(pk=village["election_id"])
    result = results_compute(actor=township, election=election)
    with transaction.atomic():
        result = results_certify(actor=township, result=result, confirmed=True, today=election.election_day)
    Path(out).write_text(
        json.dumps({"result_id": result.pk, "version": result.version, "election_id": election.pk})
    )


def child_enqueue(out: str, queue: str, what: str, ident: int) -> None:
    """Enqueue like the pages do: ``report`` — a tally-report Job; ``notice`` — the notice task."""
    from django.db import transaction

    from ballots.tasks import result_notice_task, tally_report_task
    from election_admin.celery import app
    from election_admin.health import task_enqueue
    from election_admin.models import Election, User
    from election_admin.services.jobs import job_create

    app.conf.task_default_queue = queue
    if what == "notice":
        task_enqueue(result_notice_task, ident)
        Path(out).write_text("{}")
        return
    election = Election.objects.select_related("region").get(pk=ident)
    user = User.objects.get(username="bench-township")
    with transaction.atomic():
        job = job_create(actor=user, kind="tally_report", region=election.region, total=1)
    task_enqueue(tally_report_task, election.pk, job.pk, job_id=job.pk)
    Path(out).write_text(json.dumps({"job_id": job.pk}))


def _child(env: dict, *args: str) -> dict:
    out = tempfile.mktemp(suffix=".json")
    subprocess.run([sys.executable, __file__, "--child", *args, out], env=env, cwd=ROOT, check=True)
    return json.loads(Path(out).read_text())


def _query(url: str, sql: str, params=()):
    import psycopg2

    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


def _wait(predicate, seconds: float, step: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def run(database_url: str, broker_url: str, keep: bool = False) -> list[dict]:
    scratch = ScratchDatabase(database_url, SCRATCH)
    url = scratch.recreate()
    work = Path(tempfile.mkdtemp(prefix="h5-worker-killed-"))
    queue = f"fault-worker-killed-{uuid.uuid4().hex[:8]}"
    env = stack.app_env(
        url,
        broker_url,
        str(work / "var"),
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        CELERY_RESTORE_INTERVAL="1",
        CELERY_RESTORE_THROTTLE="1",
    )
    slow_env = {**env, "FAULT_SLOW_MARKER": str(work / "marker")}
    figures: list[dict] = []
    checks: list[tuple[str, bool]] = []
    workers: list[subprocess.Popen] = []

    def fig(name, value, unit="", target="", passed=None):
        figures.append({"name": name, "value": value, "unit": unit, "target": target, "passed": passed})

    def worker(slow: bool, label: str) -> subprocess.Popen:
        command_env = slow_env if slow else env
        log = open(work / f"{label}.log", "ab")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "faults" / "slow_worker.py"), "-A", "election_admin", "worker",
             "-P", "solo", "-c", "1", "-Q", queue, "-n", f"{label}-{uuid.uuid4().hex[:6]}@localhost",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
            env={**command_env, "FAULT_SLOW": "1" if slow else "0"}, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        workers.append(process)
        return process

    try:
        stack.run_manage(env, "migrate", "-v0")
        made = _child(env, "setup", queue)
        result_id, version = made["result_id"], made["version"]
        data_version = f"result-{result_id}-v{version}"

        def notices() -> int:
            return _query(
                url,
                "SELECT count(*) FROM election_admin_document WHERE kind = 'result_notice' AND data_version = %s",
                [data_version],
            )[0][0]

        # --- A: the result notice ---------------------------------------------------------------
        marker = work / "marker"
        first = worker(True, "worker1")
        seen = _wait(lambda: marker.exists() and marker.read_text(), 90)
        checks.append(("worker 1 started generating the notice", bool(seen)))
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_at = time.monotonic()
        stored_when_killed = notices()
        checks.append(
            ("nothing stored by the killed worker (its transaction died with it)", stored_when_killed == 0)
        )
        marker.unlink(missing_ok=True)
        worker(False, "worker2")
        done = _wait(lambda: notices() >= 1, 120)
        recovery = time.monotonic() - killed_at
        fig("notice: killed mid-generation, made after redelivery", round(recovery, 1), "s",
            f"≤ {VISIBILITY_TIMEOUT + 60} s", bool(done))  # fmt: skip
        for _ in range(2):
            _child(env, "enqueue", queue, "notice", str(result_id))
        time.sleep(4)
        count = notices()
        fig(
            "notice documents for the result version (after kill + 2 duplicates)",
            count,
            "",
            "= 1",
            count == 1,
        )
        stack.stop(workers[-1])

        # --- B: a Job-backed task (tally report) ------------------------------------------------
        job_id = _child(env, "enqueue", queue, "report", str(made["election_id"]))["job_id"]

        def job() -> tuple:
            return _query(
                url, "SELECT status, celery_task_id FROM election_admin_job WHERE id = %s", [job_id]
            )[0]

        third = worker(True, "worker3")
        seen = _wait(lambda: marker.exists() and marker.read_text(), 90)
        checks.append(("worker 3 started the tally report", bool(seen)))
        status_before_kill = job()[0]
        third.send_signal(signal.SIGKILL)
        third.wait()
        killed_at = time.monotonic()
        checks.append(("the job showed running when the worker died", status_before_kill == "running"))
        marker.unlink(missing_ok=True)
        worker(False, "worker4")
        finished = _wait(lambda: job()[0] in ("succeeded", "failed"), 120)
        recovery = time.monotonic() - killed_at
        status = job()[0]
        fig("job: killed mid-run, finished after redelivery", round(recovery, 1), "s", f"≤ {VISIBILITY_TIMEOUT + 60} s",
            bool(finished) and status == "succeeded")  # fmt: skip
        reports = _query(url, "SELECT count(*) FROM election_admin_document WHERE kind = 'tally_report'")[0][
            0
        ]
        fig("tally reports stored for the job", reports, "", "= 1", reports == 1)
        fig("job status", status, "", "succeeded", status == "succeeded")
    finally:
        for process in workers:
            stack.stop(process, signal.SIGKILL)
        if not keep:
            scratch.drop()
    for name, ok in checks:
        fig(name, "yes" if ok else "no", "", "yes", ok)
    return figures


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT / "bench"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "election_admin.settings")
        import django

        django.setup()
        if sys.argv[2] == "setup":
            child_setup(sys.argv[4], sys.argv[3])
        else:
            child_enqueue(sys.argv[6], sys.argv[3], sys.argv[4], int(sys.argv[5]))
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument("--broker", default=os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/5")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    started = time.perf_counter()
    figures = run(args.database_url, args.broker, keep=args.keep)
    print(f"\n{'figure':<75}{'target':>12}{'result':>12}  verdict")
    for f in figures:
        verdict = "" if f["passed"] is None else ("pass" if f["passed"] else "FAIL")
        print(f"{f['name']:<75}{f['target']:>12}{str(f['value']) + ' ' + f['unit']:>12}  {verdict}")
    print(f"(scenario took {time.perf_counter() - started:.0f} s)")
    return 0 if all(f["passed"] is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
