"""Benchmark: province-scale statistics — the province's statistics page and its Excel workbook.

    .venv/bin/python bench/bench_statistics.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]
                                               [--keep] [--runs 7]

Drops and re-creates the scratch database ``bench_statistics`` on the server named by the URL, migrates
it and loads with COPY a synthetic province in valid code shape (province 99: 10 cities × 10 counties ×
14 townships × 25 villages = 35,000 villages), a cycle with 70,000 elections (villagers' committee and
party branch of every village) whose registered voters sum to 30 million, 35,000 rows of election-day
figures, 250,000 people elected in the cycle, and 250,000 more in the previous cycle (so the page
compares, as it does in real use). Then, in the same child process:

* the province page ``/statistics/<cycle>/99/`` through the Django test client as the province bureau
  (server time: the request in-process, rendering included), median of ``--runs`` after one warm-up;
* the workbook task (``statistics_workbook_task``, run in-process as a worker would), once.

Targets: page < 500 ms, workbook < 30 s.
"""

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scratch import Figure, ScratchDatabase, figure, is_postgresql  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRATCH_DATABASE = "bench_statistics"
PAGE_TARGET_MS = 500.0
WORKBOOK_TARGET_S = 30.0
PROVINCE = "99"
CITIES, COUNTIES, TOWNSHIPS, VILLAGES = 10, 10, 14, 25  # 35,000 villages
MEMBERS = 250_000
VOTERS = 30_000_000


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
        count += 1
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
    return count


def _codes():
    cities = [f"{PROVINCE}{c:02d}" for c in range(1, CITIES + 1)]
    counties = [f"{city}{k:02d}" for city in cities for k in range(1, COUNTIES + 1)]
    townships = [f"{county}{100 + t:03d}" for county in counties for t in range(TOWNSHIPS)]
    villages = [f"{town}{200 + v:03d}" for town in townships for v in range(VILLAGES)]
    return cities, counties, townships, villages


def _load(stdout) -> dict:
    """Load the synthetic province with COPY; answers ids the timing needs."""
    from django.db import connection

    from election_admin.choices import Role
    from election_admin.models import Cycle, Region, User
    from election_admin.services.rulesets import ruleset_applicable

    rng = random.Random(99)
    started = time.monotonic()
    cities, counties, townships, villages = _codes()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        regions = [(PROVINCE, "基准省", 1, "", None)]
        regions += [(c, f"基准市{c[2:]}", 2, "", PROVINCE) for c in cities]
        regions += [(c, f"基准县{c[2:]}", 3, "", c[:4]) for c in counties]
        regions += [(c, f"基准镇{c[2:]}", 4, "", c[:6]) for c in townships]
        regions += [(c, f"基准村{c[2:]}", 5, "village", c[:9]) for c in villages]
        _copy(raw, "election_admin_region", ["code", "name", "level", "kind", "parent_id"], regions)
    actor = User.objects.create_user(
        username="bench-province", password=None, role=Role.PROVINCE_BUREAU, region_id=PROVINCE
    )
    rule_set = ruleset_applicable(province_code=PROVINCE, on=date(2026, 1, 1))
    cycles = {}
    for term, (year, name) in enumerate([(2021, "2021年基准省换届"), (2026, "2026年基准省换届")]):
        cycles[year] = Cycle.objects.create(
            name=name,
            region_id=PROVINCE,
            rule_set=rule_set,
            term_start=date(year, 9, 1),
            window_start=date(year, 3, 1),
            window_end=date(year, 7, 31),
            bodies=["villagers_committee", "residents_committee", "party_branch"],
            status="closed" if term == 0 else "open",
            election_count=len(villages) * 2,
            created_by=actor,
        )
    cycle = cycles[2026]
    per_village = VOTERS // len(villages)
    remainder = VOTERS - per_village * len(villages)
    election_columns = [
        "cycle_id", "region_id", "body", "election_day", "seats_chair", "seats_vice_chair", "seats_member",
        "seats_women_member", "risk_class", "risk_reason", "stage", "stage_dates", "deadlines",
        "next_deadline_key", "exceptions", "registered_count", "voted_count", "filled_in_first_round",
        "results_on", "updated_at",
    ]  # fmt: skip
    now = "2026-08-01 00:00:00+00"

    def elections():
        for index, code in enumerate(villages):
            day = date(2026, 3, 1) + timedelta(days=index % 120)
            certified = day + timedelta(days=20 if index % 17 == 0 else 0)
            failed = index % 97 == 0
            stage = "failed" if failed else "results_certified"
            dates = {"voting_done": day.isoformat()}
            if index % 17 == 0:
                dates["runoff"] = day.isoformat()
            if failed:
                dates["failed"] = day.isoformat()
            else:
                dates["results_certified"] = certified.isoformat()
            registered = per_village + (1 if index < remainder else 0)
            voted = int(registered * (0.8 + (index % 17) / 100))
            yield (
                cycle.pk, code, "villagers_committee", day, 1, 1, 2, 1, "normal", "", stage, json.dumps(dates),
                "{}", "", "[]", registered, voted,
                "\\N" if failed else ("f" if index % 17 == 0 else "t"), "\\N" if failed else certified, now,
            )  # fmt: skip
            yield (
                cycle.pk, code, "party_branch", day, 1, 1, 3, 0, "normal", "", "results_certified",
                json.dumps({"voting_done": day.isoformat(), "results_certified": day.isoformat()}), "{}", "",
                "[]", 40, 38, "t", day, now,
            )  # fmt: skip

    with connection.cursor() as cursor:
        raw = cursor.cursor
        n_elections = _copy(raw, "election_admin_election", election_columns, elections())
        raw.execute(
            "SELECT id, region_id FROM election_admin_election WHERE cycle_id = %s AND body = 'villagers_committee'",
            [cycle.pk],
        )
        committee_ids = dict((code, pk) for pk, code in raw.fetchall())
        raw.execute(
            "SELECT id, region_id FROM election_admin_election WHERE cycle_id = %s AND body = 'party_branch'",
            [cycle.pk],
        )
        branch_ids = dict((code, pk) for pk, code in raw.fetchall())
        day_rows = (
            (committee_ids[code], cycle.pk, code, "villagers_committee", 20 + i % 30, 40 + i % 50, i % 9,
             3 + i % 3, i % 2, 2, i % 4, now)
            for i, code in enumerate(villages)
        )  # fmt: skip
        _copy(
            raw,
            "reporting_electiondayfigures",
            ["election_id", "cycle_id", "region_id", "body", "proxy_voters", "mobile_box_voters",
             "ballot_writer_voters", "boxes", "mobile_boxes", "booths", "polling_stations", "recorded_at"],
            day_rows,
        )  # fmt: skip
        member_columns = [
            "cycle_id", "previous_of_id", "election_id", "region_id", "township_code", "county_code",
            "city_code", "province_code", "body", "post", "party_post", "name", "gender", "ethnicity",
            "birth_date", "election_day", "age", "education", "party_membership", "occupation", "id_hash",
            "elected_round", "source", "re_elected", "cross_serving", "dual_role", "recorded_at",
        ]  # fmt: skip
        educations = ["junior", "senior", "college", "bachelor", "bachelor", "postgraduate"]
        occupations = ["农民", "个体工商户", "企业职工", "合作社负责人", "退役军人", "村医"]

        def members(cycle_id, year, ids_by_body):
            written = 0
            for index, code in enumerate(villages):
                # 7 people per village (4 committee + 3 party branch), 8 in every seventh village
                seats = [("villagers_committee", "chair", "")] + [("villagers_committee", "member", "")] * 3
                seats += [
                    ("party_branch", "member", "secretary"),
                    ("party_branch", "member", "deputy_secretary"),
                ]
                seats += [("party_branch", "member", "member")] * (2 if index % 7 == 0 else 1)
                for seat, (body, post, party_post) in enumerate(seats):
                    if written >= MEMBERS:
                        return
                    written += 1
                    age = 24 + rng.randint(0, 40)
                    person = f"{code}-{seat}" if rng.random() < 0.6 else f"{code}-{seat}-{year}"
                    dual = seat in (0, 4) and index % 3 != 0
                    if dual and seat == 4:
                        person = f"{code}-0"
                    yield (
                        cycle_id if year == 2026 else cycles[2021].pk, "\\N",
                        ids_by_body[body].get(code, "\\N") if ids_by_body else "\\N",
                        code, code[:9], code[:6], code[:4], code[:2], body, post, party_post,
                        f"基准{seat}", "female" if rng.random() < 0.28 else "male",
                        "汉族" if rng.random() < 0.8 else "回族", date(year - age, 1, 1), date(year, 4, 1), age,
                        rng.choice(educations), "cpc_member" if body == "party_branch" or seat == 0 else "none",
                        rng.choice(occupations), f"{person:0>64}"[:64], 1, "certified",
                        ("t" if rng.random() < 0.6 else "f") if year == 2026 else "\\N",
                        "t" if dual else "f", "t" if dual else "f", now,
                    )  # fmt: skip

        n_members = _copy(
            raw,
            "reporting_electedmember",
            member_columns,
            members(cycle.pk, 2026, {"villagers_committee": committee_ids, "party_branch": branch_ids}),
        )
        n_previous = _copy(
            raw, "reporting_electedmember", member_columns, members(cycles[2021].pk, 2021, None)
        )
        raw.execute(
            "SELECT SUM(registered_count) FROM election_admin_election"
            " WHERE cycle_id = %s AND body = 'villagers_committee'",
            [cycle.pk],
        )
        registered = raw.fetchone()[0]
    # The township tallies the county/city/province figures add up, built as the services build them.
    from django.db import transaction

    from election_admin.reporting.services import tally_refresh

    tally_started = time.monotonic()
    with transaction.atomic():
        tally_refresh(cycle=cycle, prefix=PROVINCE)
        tally_refresh(cycle=cycles[2021], prefix=PROVINCE)
    tally_seconds = time.monotonic() - tally_started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    stdout.write(
        f"loaded {len(villages):,} villages, {n_elections:,} elections, {registered:,} registered voters, "
        f"{n_members:,} + {n_previous:,} people elected in {time.monotonic() - started:.1f} s\n"
    )
    assert Region.objects.filter(level=5).count() == len(villages)
    return {
        "cycle": cycle.pk,
        "user": actor.pk,
        "members": n_members,
        "registered": registered,
        "tally_seconds": tally_seconds,
    }


def _worker(runs: int) -> None:
    sys.path.insert(0, str(REPO_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "election_admin.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from election_admin.models import User

    call_command("migrate", verbosity=0)
    loaded = _load(sys.stderr)
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-statistics-")
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(User.objects.get(pk=loaded["user"]))
    url = f"/statistics/{loaded['cycle']}/{PROVINCE}/"
    response = client.get(url)  # warm-up (and a check)
    assert response.status_code == 200, response.status_code
    assert "基准省" in response.content.decode()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    from election_admin.reporting.tasks import statistics_workbook_task

    started = time.perf_counter()
    document_id = statistics_workbook_task.apply(args=(loaded["cycle"], PROVINCE)).get()
    workbook_seconds = time.perf_counter() - started
    from election_admin.models import Document

    document = Document.objects.get(pk=document_id)
    print(
        json.dumps(
            {
                "page_ms": timings,
                "workbook_s": workbook_seconds,
                "workbook_bytes": document.size if hasattr(document, "size") else document.file.size,
                "members": loaded["members"],
                "registered": loaded["registered"],
                "tally_seconds": loaded["tally_seconds"],
            }
        )
    )


def run(database_url: str, *, keep: bool = False, runs: int = 7) -> list[Figure]:
    """Load the synthetic province into a fresh ``bench_statistics`` database and time page and workbook."""
    if not is_postgresql(database_url):
        raise ValueError("bench_statistics measures PostgreSQL; give a postgres:// URL")
    scratch = ScratchDatabase(database_url, SCRATCH_DATABASE)
    scratch_url = scratch.recreate()
    try:
        child = subprocess.run(
            [sys.executable, __file__, "--worker", "--runs", str(runs)],
            cwd=REPO_ROOT,
            env={**os.environ, "DATABASE_URL": scratch_url, "CELERY_BROKER_URL": ""},
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        if not keep:
            scratch.drop()
    if child.returncode != 0:
        raise RuntimeError(f"the benchmark failed (exit {child.returncode}):\n{child.stderr[-4000:]}")
    sys.stderr.write(child.stderr[-2000:])
    measured = json.loads(child.stdout.strip().splitlines()[-1])
    page = statistics.median(measured["page_ms"])
    return [
        figure(
            "province statistics page (median)", page, "ms", f"< {PAGE_TARGET_MS:.0f}", page < PAGE_TARGET_MS
        ),
        figure("  slowest of the runs", max(measured["page_ms"]), "ms", "", None),
        figure(
            "province statistics workbook (task)",
            measured["workbook_s"],
            "s",
            f"< {WORKBOOK_TARGET_S:.0f}",
            measured["workbook_s"] < WORKBOOK_TARGET_S,
        ),
        figure("township tallies rebuilt (2 × 250,000 people)", measured["tally_seconds"], "s", "", None),
        figure(
            "people elected in the cycle",
            measured["members"],
            "rows",
            f"= {MEMBERS:,}",
            measured["members"] == MEMBERS,
        ),
        figure(
            "registered voters",
            measured["registered"],
            "voters",
            f"= {VOTERS:,}",
            measured["registered"] == VOTERS,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", ""), help="default: $DATABASE_URL"
    )
    parser.add_argument(
        "--keep", action="store_true", help=f"keep the {SCRATCH_DATABASE} database afterwards"
    )
    parser.add_argument("--runs", type=int, default=7, help="timed page requests (median reported)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.worker:
        _worker(options.runs)
        return 0
    if not is_postgresql(options.database_url):
        print(
            "bench_statistics 只在 PostgreSQL 上运行。请设置 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres。\n"
            "bench_statistics runs on PostgreSQL only: set DATABASE_URL to a postgres:// URL or pass --database-url.",
            file=sys.stderr,
        )
        return 2
    figures = run(options.database_url, keep=options.keep, runs=options.runs)
    for f in figures:
        verdict = {True: "pass", False: "FAIL", None: ""}[f["passed"]]
        value = f"{f['value']:,.1f}" if isinstance(f["value"], float) else f"{f['value']:,}"
        print(f"{f['name']:<40} {f['target']:>14} {value:>14} {f['unit']:<7} {verdict}")
    return 0 if all(f["passed"] is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
