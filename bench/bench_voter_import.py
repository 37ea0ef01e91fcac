"""Benchmark: a 100,000-row voter roll imported end to end on PostgreSQL, beside django-import-export.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_voter_import.py
    .venv/bin/python bench/bench_voter_import.py --database-url postgres://… [--rows 100000] [--existing 1000000] [--keep]

What it does, in a scratch database ``bench_voter_import`` on that server (dropped and created; the role
needs CREATEDB):

1. a child process migrates, makes a township of 101 villages, opens a cycle and fills the roll of 100
   of them with ``--existing`` registered voters by COPY (1,000 of them are people of the file, so the
   import must find them registered elsewhere) — not timed;
2. a fresh child process imports the file the way the confirm button does — read and validate every row
   (``voters.importing``), look every ID number up in the whole cycle, hash / mask / encrypt, write with
   COPY, commit — and reports that time and its own peak RSS (``resource.getrusage``: interpreter
   included);
3. the rows are deleted and another child imports the same file with django-import-export 4.4
   (``use_bulk``, ``skip_diff``, ``force_init_instance``: its fast options; the same ID hashing and
   cycle look-up done in its hooks so both write the same rows). Skipped, with a note, when
   django-import-export is not installed.

The file is bench_import_parse's generated roll (``$TMPDIR/bench_import_parse/``, written once).
``run(database_url)`` answers the figures for ``bench/run_all.py``; run alone it prints a table and
exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from itertools import islice
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "bench"))

from scratch import Figure, ScratchDatabase, figure, is_postgresql  # noqa: E402

SCRATCH_DATABASE = "bench_voter_import"
DEFAULT_ROWS = 100_000
DEFAULT_EXISTING = 1_000_000
OVERLAP = 1_000  # people of the file already registered in another village of the cycle
TARGET_SECONDS = 3.0
TARGET_PEAK_MB = 300.0
TOWNSHIP = "630121100"
TARGET_VILLAGE = "630121100399"


# --- child processes ----------------------------------------------------------------------------


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "election_admin.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _roll_file(rows: int) -> Path:
    from bench_import_parse import generate

    return generate(Path(tempfile.gettempdir()) / "bench_import_parse", rows)["xlsx"]


def _file_ids(rows: int, count: int) -> list[str]:
    """ID numbers of the first ``count`` voters of bench_import_parse's generated roll."""
    from bench_import_parse import _rows

    return [str(row[3]) for row in islice(_rows(rows), 2, 2 + count)]


def _prefill(database_url: str, rows: int, existing: int) -> dict:
    """Migrate, make the villages, open the cycle, COPY ``existing`` voters into 100 villages."""
    _django(database_url)
    import io

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from election_admin.choices import Role
    from election_admin.models import Election, Region, User
    from election_admin.services.cycles import cycle_open
    from election_admin.services.elections import election_day_set
    from election_admin.services.rulesets import ruleset_applicable
    from tests.factories import make_region_tree
    from tests.voters.files import make_id
    from voters.idnumber import mask_id
    from voters.pii import id_hasher

    call_command("migrate", verbosity=0)
    regions = make_region_tree()
    for number in range(200, 400):
        code = f"{TOWNSHIP}{number}"
        Region.objects.get_or_create(
            code=code,
            defaults={"name": f"第{number}村委会", "level": 5, "kind": "village", "parent_id": TOWNSHIP},
        )
    county = User.objects.create(username="bench-county", role=Role.COUNTY_BUREAU, region=regions["630121"])
    today = timezone.localdate()
    cycle = cycle_open(
        actor=county,
        region=regions["630121"],
        name="bench cycle",
        rule_set=ruleset_applicable(province_code="63", on=today),
        term_start=today + timedelta(days=100),
        window_start=today - timedelta(days=60),
        window_end=today + timedelta(days=90),
        optional_bodies=[],
    )
    election = Election.objects.get(cycle=cycle, region_id=TARGET_VILLAGE)
    election_day_set(actor=county, election=election, election_day=today + timedelta(days=30))

    hasher = id_hasher()
    overlap = _file_ids(rows, OVERLAP)
    villages = [f"{TOWNSHIP}{number}" for number in range(200, 300)]
    stamp = timezone.now().isoformat()
    columns = (
        'cycle_id, region_id, roll, name, gender, ethnicity, birth_date, "group", address, category, '
        "approval_reference, status, struck_reason, notes, id_hash, id_masked, id_encrypted, phone_masked, "
        "phone_encrypted, source, created_at, updated_at"
    )
    base = date(1930, 1, 1)
    made = 0
    with connection.cursor() as cursor:
        while made < existing:
            buffer = io.StringIO()
            for i in range(made, min(existing, made + 100_000)):
                if i < len(overlap):
                    number = overlap[i]
                else:  # people of other counties: never in the file
                    born = base + timedelta(days=i % 25_000)
                    number = make_id(born, i // 25_000 % 1000, "632123")
                gender = "male" if int(number[16]) % 2 else "female"
                buffer.write(
                    f"{cycle.pk}\t{villages[i % len(villages)]}\tvillagers\t选民\t{gender}\t汉族\t"
                    f"{number[6:10]}-{number[10:12]}-{number[12:14]}\t一组\t\tresident\t\tregistered\t\t\t"
                    f"{hasher(number)}\t{mask_id(number)}\tx\t\t\tbench\t{stamp}\t{stamp}\n"
                )
            buffer.seek(0)
            cursor.copy_expert(f"COPY voters_voter ({columns}) FROM STDIN", buffer)
            made = min(existing, made + 100_000)
    # A cycle's roll is days old when the next village imports: autovacuum (on by default) has set its
    # hint bits and visibility map. This server runs with autovacuum off, so do what it would have done.
    connection.close()
    import psycopg2

    raw = psycopg2.connect(database_url)
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) voters_voter")
            # ... and the server has long written it out: without this, the timed import would share the
            # disk and the CPU with the checkpoint and the kernel's write-back of this gigabyte of fresh
            # heap, index and WAL. After a checkpoint, the import's first change to each page it touches
            # logs the whole page (full_page_writes), as it would on a roll days old.
            try:
                cursor.execute("CHECKPOINT")
            except psycopg2.Error:  # CHECKPOINT needs superuser or pg_checkpoint; the run goes on
                pass
    finally:
        raw.close()
    return {"election_id": election.pk, "cycle_id": cycle.pk, "existing": made}


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_cpu(pid: int) -> float | None:
    """CPU seconds of the PostgreSQL backend serving us, when it runs on this machine (``/proc``)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _import_ours(database_url: str, path: str, election_id: int) -> dict:
    """The confirm button's work on the file: read, validate, look up the cycle, write; one transaction."""
    _django(database_url)
    from django.db import connection, transaction

    from election_admin.models import Election
    from voters.services.imports import import_roll_file
    from voters.services.rolls import roll_for_election

    election = Election.objects.select_related("cycle__rule_set", "region").get(pk=election_id)
    ref = roll_for_election(election)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    server_started, python_started = _server_cpu(backend), _own_cpu()
    started = time.perf_counter()
    with transaction.atomic():
        timings: dict[str, float] = {}
        outcome = import_roll_file(path, Path(path).name, ref, timings=timings)
        written_at = time.perf_counter()
    finished = time.perf_counter()
    return {
        "python_cpu": _own_cpu() - python_started,
        "server_cpu": None if server_started is None else _server_cpu(backend) - server_started,
        "seconds": finished - started,
        "import_seconds": written_at - started,
        "commit_seconds": finished - written_at,
        "timings": timings,
        "written": outcome.written,
        "elsewhere": outcome.checked.elsewhere,
        "errors": len(outcome.checked.result.errors),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _import_peer(database_url: str, path: str, election_id: int) -> dict:
    """The same file through django-import-export 4.4 with its fast options."""
    _django(database_url)
    from django.db import connection
    from django.utils import timezone
    from import_export import fields, resources
    from tablib import Dataset

    from election_admin.models import Election
    from voters.idnumber import ParsedId, mask_id, parse_id
    from voters.models import Voter
    from voters.pii import encrypter, id_hasher, mask_phone
    from voters.services.imports import active_hashes_in_cycle
    from voters.services.rolls import roll_for_election

    election = Election.objects.select_related("cycle__rule_set", "region").get(pk=election_id)
    ref = roll_for_election(election)
    hasher, encrypt, now = id_hasher(), encrypter(), timezone.now()

    class VoterResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        ethnicity = fields.Field(attribute="ethnicity", column_name="民族")
        group = fields.Field(attribute="group", column_name="村民小组")
        address = fields.Field(attribute="address", column_name="家庭住址")

        class Meta:
            model = Voter
            fields = ("name", "ethnicity", "group", "address")
            use_bulk = True
            batch_size = 2000
            skip_diff = True
            force_init_instance = True
            use_transactions = True

        def before_import(self, dataset, **kwargs):
            numbers = [parse_id(str(value)) for value in dataset["公民身份号码"]]
            self.parsed = numbers
            hashes = [hasher(n.number) if isinstance(n, ParsedId) else "" for n in numbers]
            self.taken = set(active_hashes_in_cycle(ref, [h for h in hashes if h]))

        def skip_row(self, instance, original, row, import_validation_errors=None):
            return not instance.id_hash or instance.id_hash in self.taken

        def before_save_instance(self, instance, row, **kwargs):
            pass

        def import_instance(self, instance, row, **kwargs):
            super().import_instance(instance, row, **kwargs)
            parsed = parse_id(str(row["公民身份号码"]))
            if not isinstance(parsed, ParsedId):
                instance.id_hash = ""
                return
            phone = str(row.get("联系电话") or "")
            instance.cycle_id, instance.region_id, instance.roll = ref.cycle_id, ref.region_id, ref.roll
            instance.gender, instance.birth_date = parsed.gender, parsed.birth_date
            instance.id_hash, instance.id_masked = hasher(parsed.number), mask_id(parsed.number)
            instance.id_encrypted = encrypt(parsed.number)
            instance.phone_masked, instance.phone_encrypted = mask_phone(phone), encrypt(phone)
            instance.category, instance.source = "resident", "peer"
            instance.created_at = instance.updated_at = now

    started = time.perf_counter()
    with open(path, "rb") as handle:
        # the generated file has a title row above the header, as township files do
        dataset = Dataset().load(handle.read(), format="xlsx", skip_lines=1)
    loaded = time.perf_counter()
    result = VoterResource().import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)
    finished = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM voters_voter WHERE source = 'peer'")
        written = cursor.fetchone()[0]
    return {
        "seconds": finished - started,
        "read_seconds": loaded - started,
        "written": written,
        "errors": len(result.row_errors()),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _delete_imported(database_url: str) -> None:
    import psycopg2

    connection = psycopg2.connect(database_url)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute("DELETE FROM voters_voter WHERE region_id = %s", [TARGET_VILLAGE])
    finally:
        connection.close()


def _child(step: str, *args: str) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", step, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench_voter_import {step} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def peer_installed() -> bool:
    try:
        import import_export  # noqa: F401
        import tablib  # noqa: F401
    except ImportError:
        return False
    return True


def run(
    database_url: str,
    *,
    rows: int = DEFAULT_ROWS,
    existing: int = DEFAULT_EXISTING,
    keep: bool = False,
    peer: bool = True,
) -> list[Figure]:
    """Prepare the scratch database, import the file with ours and with django-import-export; the figures."""
    if not is_postgresql(database_url):
        raise ValueError("bench_voter_import runs on PostgreSQL only (COPY): pass a postgres:// URL")
    path = _roll_file(rows)
    database = ScratchDatabase(database_url, SCRATCH_DATABASE)
    scratch = database.recreate()
    try:
        prepared = _child("prefill", scratch, str(rows), str(existing))
        ours = _child("ours", scratch, str(path), str(prepared["election_id"]))
        expected = rows - min(OVERLAP, existing)
        figures = [
            figure(
                f"{rows:,}-row roll imported end to end (read, validate, check against {prepared['existing']:,} voters, write)",
                round(ours["seconds"], 3),
                "s",
                f"≤ {TARGET_SECONDS}",
                ours["seconds"] <= TARGET_SECONDS,
            ),
            *[
                figure(f"  of which {label}", round(ours["timings"].get(key, 0.0), 3), "s", "", None)
                for key, label in (
                    ("read_validate", "read + validate + encrypt (batches written meanwhile)"),
                    ("write", "last batch: COPY + insert against the cycle's unique index"),
                    ("classify", "counting the rows found registered"),
                )
            ],
            figure("  of which commit", round(ours["commit_seconds"], 3), "s", "", None),
            figure("  CPU of the importing process", round(ours["python_cpu"], 2), "s", "", None),
            *(
                [figure("  CPU of its PostgreSQL backend", round(ours["server_cpu"], 2), "s", "", None)]
                if ours["server_cpu"] is not None
                else []
            ),
            figure("  load average when measured (2 cores)", round(os.getloadavg()[0], 1), "", "", None),
            figure(
                "peak RSS of the importing process",
                round(ours["peak_mb"], 1),
                "MB",
                f"≤ {TARGET_PEAK_MB:.0f}",
                ours["peak_mb"] <= TARGET_PEAK_MB,
            ),
            figure(
                "rows written (file less those registered elsewhere)",
                ours["written"],
                "rows",
                f"= {expected:,}",
                ours["written"] == expected,
            ),
            figure(
                "rows found registered in another village",
                ours["elsewhere"],
                "rows",
                f"= {min(OVERLAP, existing):,}",
                ours["elsewhere"] == min(OVERLAP, existing),
            ),
        ]
        if not peer:
            pass
        elif peer_installed():
            _delete_imported(scratch)
            peer = _child("peer", scratch, str(path), str(prepared["election_id"]))
            figures += [
                figure(
                    "django-import-export 4.4, fast options, same file and checks",
                    round(peer["seconds"], 3),
                    "s",
                    "",
                    None,
                ),
                figure("  of which tablib reading the .xlsx", round(peer["read_seconds"], 3), "s", "", None),
                figure("  its rows written", peer["written"], "rows", "", None),
                figure("  its peak RSS", round(peer["peak_mb"], 1), "MB", "", None),
                figure(
                    "ratio django-import-export / ours",
                    round(peer["seconds"] / ours["seconds"], 1),
                    "×",
                    "",
                    None,
                ),
            ]
        else:
            figures.append(
                figure(
                    "django-import-export: not installed, skipped (pip install django-import-export==4.4.3)",
                    "—",
                    "",
                    "",
                    None,
                )
            )
        return figures
    finally:
        if not keep:
            database.drop()


def format_table(figures: list[Figure]) -> str:
    def result(figure: Figure) -> str:
        value = figure["value"]
        text = (
            f"{value:,.3f}".rstrip("0").rstrip(".")
            if isinstance(value, float)
            else (f"{value:,}" if isinstance(value, int) else str(value))
        )
        return f"{text} {figure['unit']}".rstrip()

    rows = [("figure", "target", "result", "pass/fail")] + [
        (
            f["name"],
            f"{f['target']} {f['unit']}".strip() if f["target"] else "",
            result(f),
            {True: "pass", False: "FAIL", None: ""}[f["passed"]],
        )
        for f in figures
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = [
        f"{name:<{widths[0]}}  {target:>{widths[1]}}  {value:>{widths[2]}}  {ok}".rstrip()
        for name, target, value, ok in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", ""), help="default: $DATABASE_URL"
    )
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--existing", type=int, default=DEFAULT_EXISTING)
    parser.add_argument(
        "--keep", action="store_true", help=f"keep the {SCRATCH_DATABASE} database afterwards"
    )
    parser.add_argument("--no-peer", action="store_true", help="leave out django-import-export")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        step, *args = options.child
        if step == "prefill":
            print(json.dumps(_prefill(args[0], int(args[1]), int(args[2]))))
        elif step == "ours":
            print(json.dumps(_import_ours(args[0], args[1], int(args[2]))))
        elif step == "peer":
            print(json.dumps(_import_peer(args[0], args[1], int(args[2]))))
        return 0
    if not is_postgresql(options.database_url):
        print(
            "bench_voter_import 只在 PostgreSQL 上运行（测的是 COPY 写入）。请设置 DATABASE_URL=postgres://… 或使用 --database-url。\n"
            "bench_voter_import runs on PostgreSQL only: set DATABASE_URL to a postgres:// URL or pass --database-url.",
            file=sys.stderr,
        )
        return 2
    if not peer_installed():
        print(
            "note: django-import-export is not installed; its figures are skipped (pip install django-import-export==4.4.3)"
        )
    print(
        f"Importing a {options.rows:,}-row roll into {ScratchDatabase(options.database_url, SCRATCH_DATABASE).url} "
        f"beside {options.existing:,} registered voters …"
    )
    figures = run(
        options.database_url,
        rows=options.rows,
        existing=options.existing,
        keep=options.keep,
        peer=not options.no_peer,
    )
    print(format_table(figures))
    return 0 if all(figure["passed"] is not False for figure in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
