"""Benchmark: typing voters in from paper (登记选民) on a village roll that already has 10,000 voters.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_voter_entry.py [--keep]

In the scratch database ``bench_voter_entry`` (dropped and created; the role needs CREATEDB) a child
process migrates, opens a 大通县 cycle, sets the village's election day and COPYs 10,000 voters (hashed,
masked and encrypted like real ones) onto its roll. It then saves new voters through the entry form the
way the browser does — Django's test client POSTs to ``voter_create`` as a township clerk: session,
middleware, form, the registration service (permission, lock, one-registration check against the whole
cycle, encryption, audit row) and the redirect — 3 warm-ups, then the median and the slowest of 30, each
a new person; and the fresh form the redirect leads to. Server time only: no browser, no network.

``run(database_url)`` answers the figures for ``bench/run_all.py``; run alone it prints a table and exits 1
when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "bench"))

from scratch import Figure, ScratchDatabase, figure, is_postgresql  # noqa: E402

SCRATCH_DATABASE = "bench_voter_entry"
ROLL_SIZE = 10_000
RUNS, WARMUPS = 30, 3
TARGET_MS = 100.0


def _child(database_url: str) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "election_admin.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    import io

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from election_admin.choices import Role
    from tests.cycle_helpers import ensure_shipped_rulesets
    from tests.factories import UserFactory, make_region_tree
    from tests.voter_helpers import village_election
    from tests.voters.files import make_id
    from voters.idnumber import mask_id
    from voters.models import Voter
    from voters.pii import encrypt_many, id_hasher, mask_phone
    from voters.services.rolls import roll_for_election

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    ensure_shipped_rulesets()
    regions = make_region_tree()
    county = UserFactory(username="bench-county", role=Role.COUNTY_BUREAU, region=regions["630121"])
    clerk = UserFactory(username="bench-clerk", role=Role.TOWNSHIP_STAFF, region=regions["630121100"])
    election = village_election(county, regions, days_ahead=40)
    ref = roll_for_election(election)

    hasher, stamp = id_hasher(), timezone.now().isoformat()
    numbers = [
        make_id(date(1940, 1, 1) + timedelta(days=i * 2), 11 + 2 * (i % 400)) for i in range(ROLL_SIZE)
    ]
    phones = [f"139{i:08d}" for i in range(ROLL_SIZE)]
    sealed_numbers, sealed_phones = encrypt_many(numbers), encrypt_many(phones)
    buffer = io.StringIO()
    for i, number in enumerate(numbers):
        gender = "male" if int(number[16]) % 2 else "female"
        buffer.write(
            f"{ref.cycle_id}\t{ref.region_id}\t{ref.roll}\t村民{'甲乙丙丁戊己庚辛'[i % 8]}{'子丑寅卯辰巳'[i // 8 % 6]}\t"
            f"{gender}\t汉族\t{number[6:10]}-{number[10:12]}-{number[12:14]}\t{i % 12 + 1}组\t某村{i}号\tresident\t\t"
            f"registered\t\t\t{hasher(number)}\t{mask_id(number)}\t{sealed_numbers[i]}\t{mask_phone(phones[i])}\t"
            f"{sealed_phones[i]}\timport\t{stamp}\t{stamp}\n"
        )
    buffer.seek(0)
    columns = (
        'cycle_id, region_id, roll, name, gender, ethnicity, birth_date, "group", address, category, '
        "approval_reference, status, struck_reason, notes, id_hash, id_masked, id_encrypted, phone_masked, "
        "phone_encrypted, source, created_at, updated_at"
    )
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY voters_voter ({columns}) FROM STDIN", buffer)
        cursor.execute("ANALYZE voters_voter")

    client = Client()
    client.force_login(clerk)
    url = reverse("voter_create", args=[election.pk])
    saves, forms, queries = [], [], []
    for i in range(WARMUPS + RUNS):
        number = make_id(date(1960, 1, 1) + timedelta(days=i), 901)
        data = {
            "id_number": number,
            "name": "新登记" + "甲乙丙丁戊己庚辛壬癸"[i % 10],
            "gender": "male",
            "birth_date": f"{number[6:10]}-{number[10:12]}-{number[12:14]}",
            "ethnicity": "汉族",
            "group": "3组",
            "address": "某村 99 号",
            "phone": "13800000000",
            "category": "resident",
            "approval_reference": "",
            "notes": "",
        }
        executed: list[str] = []
        with connection.execute_wrapper(
            lambda run, sql, *args, seen=executed: seen.append(sql) or run(sql, *args)
        ):
            started = time.perf_counter()
            response = client.post(url, data)
            saved = time.perf_counter() - started
        if response.status_code != 302:
            raise RuntimeError(f"saving a voter answered {response.status_code}: {response.content[:2000]!r}")
        started = time.perf_counter()
        page = client.get(response["Location"])
        shown = time.perf_counter() - started
        if page.status_code != 200:
            raise RuntimeError(f"the entry form answered {page.status_code}")
        if i >= WARMUPS:
            saves.append(saved * 1000)
            forms.append(shown * 1000)
            queries.append(len(executed))
    on_roll = Voter.objects.active().filter(**ref.filter_kwargs()).count()
    return {
        "on_roll": on_roll,
        "save_median_ms": statistics.median(saves),
        "save_max_ms": max(saves),
        "form_median_ms": statistics.median(forms),
        "queries": max(queries),
    }


def run(database_url: str, *, keep: bool = False) -> list[Figure]:
    if not is_postgresql(database_url):
        raise ValueError("bench_voter_entry runs on PostgreSQL: pass a postgres:// URL")
    scratch = ScratchDatabase(database_url, SCRATCH_DATABASE)
    url = scratch.recreate()
    try:
        completed = subprocess.run(
            [sys.executable, __file__, "--child", url],
            capture_output=True,
            text=True,
            check=False,
            cwd=REPO_ROOT,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"bench_voter_entry failed:\n{completed.stderr[-3000:]}")
        data = json.loads(completed.stdout.strip().splitlines()[-1])
    finally:
        if not keep:
            scratch.drop()
    return [
        figure(
            f"saving a voter from the entry form, {ROLL_SIZE:,}-voter roll (median of {RUNS})",
            round(data["save_median_ms"], 1),
            "ms",
            f"< {TARGET_MS:.0f}",
            data["save_median_ms"] < TARGET_MS,
        ),
        figure("  slowest of the saves", round(data["save_max_ms"], 1), "ms", "", None),
        figure("  queries per save", data["queries"], "queries", "", None),
        figure("  the fresh form after saving (median)", round(data["form_median_ms"], 1), "ms", "", None),
        figure("  voters on the roll at the end", data["on_roll"], "voters", "", None),
    ]


def format_table(figures: list[Figure]) -> str:
    lines = [f"{'figure':<72} {'target':>10} {'result':>14}  pass/fail", "-" * 108]
    for row in figures:
        verdict = "" if row["passed"] is None else ("pass" if row["passed"] else "FAIL")
        value = row["value"]
        shown = f"{value:,}" if isinstance(value, int) else f"{value}"
        target = f"{row['target']} {row['unit']}".strip() if row["target"] else ""
        lines.append(f"{row['name']:<72} {target:>10} {shown + ' ' + row['unit']:>14}  {verdict}")
    return "\n".join(lines)


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
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        print(json.dumps(_child(options.child)))
        return 0
    if not is_postgresql(options.database_url):
        print("bench_voter_entry runs on PostgreSQL: set DATABASE_URL to a postgres:// URL", file=sys.stderr)
        return 2
    figures = run(options.database_url, keep=options.keep)
    print(format_table(figures))
    return 0 if all(row["passed"] is not False for row in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
