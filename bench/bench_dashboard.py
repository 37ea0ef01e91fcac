"""Benchmark: progress dashboards with the whole country loaded, and opening cycles, on PostgreSQL.

    .venv/bin/python bench/bench_dashboard.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]
                                              [--path ../shared/data/regions] [--keep] [--reuse]

Drops and re-creates the scratch database ``bench_dashboard`` on the server named by the URL
(``DATABASE_URL`` by default), then in a child process: migrates, loads the national region codes with
``regions_load``, opens one 2026 cycle per county (2,978) and one election per village and community
(≈615k) spread over stages, election days and results with plain SQL, rebuilds the progress counters
and runs ``ANALYZE``. It then times, through Django's test client (so the figure is the whole request:
middleware, session, queries, template), the national, a province (山东, the largest), a city, a county
and the largest township's drill-down page — median of 20 after 3 warm-ups — with the query count of
each, and finally opens a 2031 cycle for 大通县 (313 units, synchronous) and for 四川 (34,412 units,
the Celery task with its Job row; eager here, as with no broker configured).
``--reuse`` keeps an already loaded ``bench_dashboard`` (skips the load), ``--keep`` does not drop it.
``bench/run_all.py`` can call ``run(database_url)`` for the figures.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "bench"))

from scratch import Figure, ScratchDatabase, figure  # noqa: E402

DEFAULT_PATH = REPO_ROOT.parent / "shared" / "data" / "regions"
SCRATCH_DATABASE = "bench_dashboard"
RUNS, WARMUPS = 20, 3
PROVINCE, CITY, COUNTY = "37", "3701", "630121"
TASK_PROVINCE = "51"


ELECTIONS_SQL = """
WITH units AS (
    SELECT r.code, r.kind, c.id AS cycle_id,
           abs(hashtext(r.code)) %% 100 AS h,
           DATE %(today)s + ((abs(hashtext(r.code || 'day')) %% 90) - 45) AS day
    FROM election_admin_region r
    JOIN election_admin_cycle c ON c.region_id = substr(r.code, 1, 6)
    WHERE r.level = 5 AND r.kind IN ('village', 'community')
), staged AS (
    SELECT units.*,
           CASE
               WHEN day > DATE %(today)s + 20 THEN (CASE WHEN h < 60 THEN 'preparation' ELSE 'committee_formed' END)
               WHEN day > DATE %(today)s + 5 THEN (CASE WHEN h < 15 THEN 'committee_formed' ELSE 'roll_published' END)
               WHEN day > DATE %(today)s THEN (CASE WHEN h < 10 THEN 'roll_published' ELSE 'candidates_published' END)
               WHEN day > DATE %(today)s - 10 THEN (CASE WHEN h < 5 THEN 'candidates_published' WHEN h < 7 THEN 'failed'
                                                   WHEN h < 40 THEN 'voting_done' ELSE 'results_certified' END)
               ELSE (CASE WHEN h < 4 THEN 'runoff' WHEN h < 30 THEN 'results_certified' ELSE 'handed_over' END)
           END AS stage
    FROM units
)
INSERT INTO election_admin_election (
    cycle_id, region_id, body, election_day, seats_chair, seats_vice_chair, seats_member, seats_women_member,
    risk_class, risk_reason, stage, stage_dates, deadlines, next_deadline_key, next_deadline_on, exceptions,
    registered_count, voted_count, filled_in_first_round, results_on, updated_at)
SELECT cycle_id, code,
       CASE kind WHEN 'village' THEN 'villagers_committee' ELSE 'residents_committee' END,
       day, 1, 1, 3, 0,
       CASE WHEN h = 99 THEN 'difficult' WHEN h > 94 THEN 'watch' ELSE 'normal' END, '',
       stage, '{}', '{}',
       CASE stage WHEN 'preparation' THEN 'roll_published' WHEN 'committee_formed' THEN 'roll_published'
                  WHEN 'roll_published' THEN 'candidates_published' WHEN 'candidates_published' THEN 'election_day'
                  WHEN 'voting_done' THEN 'runoff_by' WHEN 'runoff' THEN 'runoff_by'
                  WHEN 'results_certified' THEN 'handover_by' ELSE '' END,
       CASE stage WHEN 'preparation' THEN day - 20 WHEN 'committee_formed' THEN day - 20
                  WHEN 'roll_published' THEN day - 5 WHEN 'candidates_published' THEN day
                  WHEN 'voting_done' THEN day + 30 WHEN 'runoff' THEN day + 30
                  WHEN 'results_certified' THEN day + 10 ELSE NULL END,
       '[]',
       CASE WHEN stage IN ('voting_done', 'runoff', 'results_certified', 'handed_over') THEN 400 + h * 37 END,
       CASE WHEN stage IN ('voting_done', 'runoff', 'results_certified', 'handed_over') THEN (400 + h * 37) * (80 + h %% 18) / 100 END,
       CASE WHEN stage IN ('results_certified', 'handed_over') THEN h %% 12 <> 0
            WHEN stage = 'runoff' THEN false END,
       CASE WHEN stage IN ('results_certified', 'handed_over') THEN day END,
       now()
FROM staged
"""


def _load(path: str) -> dict:
    """Regions, one 2026 cycle per county, one election per village-level unit, counters."""
    from django.db import connection
    from django.utils import timezone

    from election_admin.choices import Role
    from election_admin.models import Election, Region, RuleSet, User
    from election_admin.regions_loader import regions_load
    from election_admin.services.progress import progress_counters_rebuild

    timings = {}
    started = time.monotonic()
    regions_load(source_dir=path)
    timings["regions_seconds"] = time.monotonic() - started
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"role": Role.SYSTEM_ADMIN})
    national = RuleSet.objects.get(province_code="", revision=1)
    today = timezone.localdate()
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO election_admin_cycle (name, region_id, rule_set_id, term_start, term_years, window_start,
                   window_end, bodies, status, election_count, created_by_id, created_at)
               SELECT '2026年' || name || '村（社区）两委换届', code, %s, %s, 5, %s, %s,
                      '["villagers_committee", "residents_committee"]', 'open', 0, %s, now()
               FROM election_admin_region WHERE level = 3""",
            [
                national.pk,
                today.replace(month=12, day=31),
                today.replace(month=1, day=1),
                today.replace(month=12, day=31),
                admin.pk,
            ],
        )
        cursor.execute(ELECTIONS_SQL, {"today": today.isoformat()})
        cursor.execute(
            """UPDATE election_admin_cycle c SET election_count = n FROM (
                   SELECT cycle_id, count(*) AS n FROM election_admin_election GROUP BY cycle_id) e
               WHERE e.cycle_id = c.id"""
        )
    timings["elections_seconds"] = time.monotonic() - started
    started = time.monotonic()
    timings["counter_rows"] = progress_counters_rebuild()
    timings["counters_seconds"] = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["elections"] = Election.objects.count()
    timings["regions"] = Region.objects.count()
    return timings


def _time_page(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUPS):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {"median_ms": statistics.median(samples), "max_ms": max(samples), "queries": len(queries)}


def _worker(path: str, reuse: bool) -> None:
    sys.path.insert(0, str(REPO_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "election_admin.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db.models import Count
    from django.db.models.functions import Substr
    from django.test import Client
    from django.utils import timezone

    from election_admin.choices import RegionLevel, Role
    from election_admin.models import Cycle, Election, Job, Region, User
    from election_admin.services.cycles import cycle_open
    from election_admin.services.progress import progress_counters_rebuild
    from election_admin.services.rulesets import ruleset_applicable

    call_command("migrate", verbosity=0)
    out: dict[str, Any] = {}
    if reuse and Election.objects.exists():
        # Drop what an earlier run opened for 2031, then recount.
        Job.objects.all().delete()
        Election.objects.filter(cycle__window_start__year=2031).delete()
        Cycle.objects.filter(window_start__year=2031).delete()
        progress_counters_rebuild()
        out["load"] = {
            "reused": True,
            "elections": Election.objects.count(),
            "regions": Region.objects.count(),
        }
    else:
        out["load"] = _load(path)

    township = (
        Region.objects.filter(level=RegionLevel.VILLAGE_LEVEL)
        .annotate(t=Substr("code", 1, 9))
        .values("t")
        .annotate(n=Count("code"))
        .order_by("-n")
        .first()["t"]
    )

    def user(username, role, region):
        account, _ = User.objects.get_or_create(
            username=username, defaults={"role": role, "region_id": region}
        )
        return account

    accounts = {
        "national": (user("bench-admin", Role.SYSTEM_ADMIN, None), "cn"),
        "province": (user("bench-province", Role.PROVINCE_BUREAU, PROVINCE), PROVINCE),
        "city": (user("bench-city", Role.CITY_BUREAU, CITY), CITY),
        "county": (user("bench-county", Role.COUNTY_BUREAU, COUNTY), COUNTY),
        "township": (user("bench-township", Role.TOWNSHIP_STAFF, township), township),
    }
    pages = {}
    for name, (account, code) in accounts.items():
        client = Client()
        client.force_login(account)
        pages[name] = {"code": code, **_time_page(client, f"/progress/{code}/")}
        if name in ("national", "province"):
            pages[f"{name} projector"] = {"code": code, **_time_page(client, f"/progress/{code}/projector/")}
    out["pages"] = pages

    # Opening cycles for the next round (2031), so they do not overlap the loaded 2026 ones.
    window_start = timezone.localdate().replace(year=2031, month=3, day=1)
    rules = ruleset_applicable(province_code="63", on=window_start)
    county_user = accounts["county"][0]
    started = time.monotonic()
    cycle = cycle_open(
        actor=county_user,
        region=Region.objects.get(code=COUNTY),
        name="2031年大通县换届（bench）",
        rule_set=rules,
        term_start=window_start + timedelta(days=120),
        window_start=window_start,
        window_end=window_start + timedelta(days=90),
        optional_bodies=[],
    )
    out["county_cycle"] = {"seconds": time.monotonic() - started, "elections": cycle.election_count}
    province_user = user("bench-sichuan", Role.PROVINCE_BUREAU, TASK_PROVINCE)
    started = time.monotonic()
    cycle = cycle_open(
        actor=province_user,
        region=Region.objects.get(code=TASK_PROVINCE),
        name="2031年四川省换届（bench）",
        rule_set=ruleset_applicable(province_code=TASK_PROVINCE, on=window_start),
        term_start=window_start + timedelta(days=120),
        window_start=window_start,
        window_end=window_start + timedelta(days=90),
        optional_bodies=[],
    )
    seconds = time.monotonic() - started
    cycle.refresh_from_db()
    job = Job.objects.get(pk=cycle.job_id)
    out["province_cycle"] = {
        "seconds": seconds,
        "elections": cycle.election_count,
        "job_status": job.status,
        "job_processed": job.processed,
        "job_total": job.total,
        "ran_as_task": True,
    }
    print("BENCH-JSON " + json.dumps(out, default=str))


def run(
    database_url: str, path: str | Path = DEFAULT_PATH, *, keep: bool = False, reuse: bool = False
) -> list[Figure]:
    """Run the benchmark against the PostgreSQL server of ``database_url``; answers the figures."""
    scratch = ScratchDatabase(database_url, SCRATCH_DATABASE)
    if not (reuse and scratch.exists()):
        scratch.recreate()
    env = {**os.environ, "DATABASE_URL": scratch.url, "CELERY_BROKER_URL": "", "DEBUG": "0"}
    env.pop("DASHBOARD_DATABASE_URL", None)
    completed = subprocess.run(
        [sys.executable, __file__, "--worker", "--path", str(path)] + (["--reuse"] if reuse else []),
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"benchmark worker failed:\n{completed.stderr[-4000:]}")
    line = next(line for line in completed.stdout.splitlines() if line.startswith("BENCH-JSON "))
    data = json.loads(line.removeprefix("BENCH-JSON "))
    if not keep:
        scratch.drop()
    load, pages = data["load"], data["pages"]
    figures = [
        figure("village-level elections loaded", load["elections"], "elections", "≈ 620,000", None),
    ]
    if not load.get("reused"):
        figures += [
            figure("  load: regions", round(load["regions_seconds"], 1), "s", "", None),
            figure("  load: elections (SQL)", round(load["elections_seconds"], 1), "s", "", None),
            figure("  load: progress counters rebuilt", round(load["counters_seconds"], 1), "s", "", None),
            figure("  progress counter rows", load["counter_rows"], "rows", "", None),
        ]
    targets = {"national": 150, "province": 150, "township": 50}
    for name, page in pages.items():
        target = targets.get(name)
        figures.append(
            figure(
                f"{name} page /progress/{page['code']}/ (median of {RUNS})",
                round(page["median_ms"], 1),
                "ms",
                f"< {target} ms" if target else "",
                page["median_ms"] < target if target else None,
            )
        )
        figures.append(figure(f"  {name}: queries per page", page["queries"], "queries", "", None))
    county = data["county_cycle"]
    figures.append(
        figure(
            f"open cycle, county of {county['elections']} villages",
            round(county["seconds"], 2),
            "s",
            "< 5 s",
            county["seconds"] < 5,
        )
    )
    province = data["province_cycle"]
    figures.append(
        figure(
            f"open cycle, province of {province['elections']:,} villages (task)",
            round(province["seconds"], 1),
            "s",
            "< 120 s",
            province["seconds"] < 120 and province["job_status"] == "succeeded",
        )
    )
    figures.append(
        figure(
            "  job progress at the end",
            province["job_processed"],
            f"of {province['job_total']}",
            f"= {province['job_total']}",
            province["job_processed"] == province["job_total"],
        )
    )
    return figures


def format_table(figures: list[Figure]) -> str:
    def verdict(row: Figure) -> str:
        return "" if row["passed"] is None else ("pass" if row["passed"] else "FAIL")

    lines = [f"{'figure':<58} {'target':>12} {'result':>16}  pass/fail", "-" * 98]
    for row in figures:
        value = row["value"]
        shown = f"{value:,}" if isinstance(value, int) else f"{value}"
        lines.append(f"{row['name']:<58} {row['target']:>12} {shown + ' ' + row['unit']:>16}  {verdict(row)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--path", default=str(DEFAULT_PATH))
    parser.add_argument("--keep", action="store_true", help="leave the bench_dashboard database in place")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse a kept bench_dashboard database (skip the load)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.path, args.reuse)
        return 0
    figures = run(args.database_url, args.path, keep=args.keep, reuse=args.reuse)
    print(json.dumps(figures, ensure_ascii=False, indent=2) if args.json else format_table(figures))
    return 0 if all(f["passed"] is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
