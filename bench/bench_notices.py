"""Benchmark: result notices (选举结果公告) — one notice's generation time, and all notices of 大通县 as one
batch task with one worker, on PostgreSQL.

    .venv/bin/python bench/bench_notices.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]
                                            [--path ../shared/data/regions] [--keep]

Drops and re-creates the scratch database ``bench_notices`` (``bench/scratch.py``), then in a child process
(no broker: the Celery task runs inline, i.e. one worker): migrates, loads 青海's real region codes, opens
the 2026 大通县 cycle (one villagers'/residents' committee election per village-level unit: 313) and gives
every election a certified round-1 result (five people elected, figures varying per village). It times:

* one notice's PDF (``ballots.pdf.build_result_notice``): median of 50 after a warm-up, so the first font
  load is excluded — target < 15 ms;
* one notice made and stored (``result_notice_generate``: PDF + SHA-256 + file + Document row + audit
  event): median of 20 — reported;
* the batch task (``ballots.tasks.batch_notices_task`` with its Job) over the 313 certified results with no
  notice made yet, so every notice is made on the way and the PDF concatenated — target < 8 s — with its
  CPU time and the load average when it started (the shared machine's load moves the wall time);
* the same batch as a zip once the notices are stored (reusing them) — reported.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch import Figure, ScratchDatabase, figure, is_postgresql  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = REPO_ROOT.parent / "shared" / "data" / "regions"
SCRATCH = "bench_notices"
COUNTY = "630121"
NOTICE_TARGET_MS = 15
BATCH_TARGET_S = 8
NOTICE_RUNS, STORE_RUNS = 50, 20


def _outcome(index: int, voted: int) -> dict:
    posts = [("chair", 1), ("vice_chair", 1), ("member", 3)]
    surnames = "张王李赵刘陈杨黄周吴"
    elected, people, number = [], {}, 0
    for post, seats in posts:
        for seat in range(seats):
            number += 1
            person = f"p{index}-{number}"
            name = surnames[(index + number) % 10] + "明芳强静帆磊敏刚"[(index * 3 + seat + number) % 8]
            votes = voted * (60 + (index + number) % 30) // 100
            elected.append(
                {"post": post, "person": person, "name": name, "votes": votes, "is_woman": number == 3}
            )
            people[person] = {"name": name, "post": post, "gender": "female" if number == 3 else "male"}
    return {
        "round": 1,
        "decision": {
            "validity": {"status": "valid", "reasons": []},
            "posts": [{"post": post, "unfilled": 0, "reasons": []} for post, _seats in posts],
            "elected": elected,
            "cast": voted,
            "reasons": [],
        },
        "is_decided": True,
        "needs_runoff": False,
        "needs_rerun": False,
        "is_filled_in_first_round": True,
        "valid": voted - 3,
        "candidates": people,
    }


def _setup(path: str):
    """Migrate, load 青海's regions, open the 大通县 cycle and certify one round-1 result per committee
    election. Answers (bureau user, county, cycle, results, today)."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from ballots.models import RoundResult
    from election_admin.choices import Role
    from election_admin.models import Cycle, Election, Region, User
    from election_admin.regions_loader import regions_load
    from election_admin.services.cycles import cycle_open
    from election_admin.services.rulesets import ruleset_applicable

    call_command("migrate", verbosity=0)
    regions_load(source_dir=path, province="63")
    county = Region.objects.get(code=COUNTY)
    bureau, _created = User.objects.get_or_create(
        username="bench-datong", defaults={"role": Role.COUNTY_BUREAU, "region": county}
    )
    today = timezone.localdate()
    cycle = cycle_open(
        actor=bureau,
        region=county,
        name="2026年大通县村（社区）两委换届",
        rule_set=ruleset_applicable(province_code="63", on=today),
        term_start=today + timedelta(days=100),
        window_start=today - timedelta(days=60),
        window_end=today + timedelta(days=90),
        optional_bodies=[],
    )
    cycle = Cycle.objects.get(pk=cycle.pk)
    elections = list(
        Election.objects.filter(
            cycle=cycle, body__in=["villagers_committee", "residents_committee"]
        ).order_by("region_id")
    )
    Election.objects.filter(pk__in=[e.pk for e in elections]).update(election_day=today - timedelta(days=1))
    now = timezone.now()
    results = []
    for index, election in enumerate(elections):
        registered = 400 + (index * 37) % 3000
        voted = registered * (80 + index % 18) // 100
        totals = {
            "registered": registered,
            "voted": voted,
            "issued": voted,
            "returned": voted,
            "invalid": 3,
            "valid": voted - 3,
            "votes": {},
        }
        results.append(
            RoundResult(
                election=election,
                totals=totals,
                outcome=_outcome(index, voted),
                computed_by=bureau,
                status="certified",
                certified_by=bureau,
                certified_at=now,
            )
        )
    RoundResult.objects.bulk_create(results)
    return bureau, county, cycle, results, today


def _child(path: str) -> list[Figure]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "election_admin.settings")
    django.setup()

    from ballots.models import RoundResult
    from ballots.pdf import ResultFigures, build_result_notice, winner_rows
    from ballots.services.notices import result_notice_generate
    from ballots.tasks import batch_notices_task
    from election_admin.models import Document, DocumentKind, Job
    from election_admin.pdf import chinese_font
    from election_admin.services.jobs import job_create
    from voters.pdf import NoticeContext

    bureau, county, cycle, results, today = _setup(path)
    figures: list[Figure] = [
        figure("大通县 certified results", len(results), "results", "313", len(results) == 313)
    ]

    # One notice's PDF, the font already loaded (the warm-up loads it).
    sample = RoundResult.objects.select_related("election__region").order_by("id").first()
    context = NoticeContext(
        village=sample.election.region.name,
        village_short=sample.election.region.name.replace("委会", ""),
        title="选举结果公告",
        election_label="村民委员会",
        election_day=today,
        published_on=today,
        short_code="BENCH23456",
    )
    sample_figures = ResultFigures(
        registered=sample.totals["registered"],
        voted=sample.totals["voted"],
        issued=sample.totals["issued"],
        returned=sample.totals["returned"],
        valid=sample.totals["valid"],
        invalid=sample.totals["invalid"],
        is_valid=True,
        comparator_text="参加投票人数",
        unfilled=0,
    )
    winners = winner_rows(sample.outcome)

    def build() -> bytes:
        return build_result_notice(
            context, "villagers_committee", sample_figures, winners, people_word="村民"
        )

    started = time.perf_counter()
    build()
    first_ms = (time.perf_counter() - started) * 1000
    timings = []
    for _run in range(NOTICE_RUNS):
        started = time.perf_counter()
        build()
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)

    # reportlab's own floor at this moment on this machine: a one-line document with the same font.
    from reportlab.platypus import Paragraph

    from election_admin.pdf import styles
    from voters.pdf import _document

    floor = []
    for _run in range(NOTICE_RUNS):
        started = time.perf_counter()
        _document([Paragraph(context.title, styles()["title"])])
        floor.append((time.perf_counter() - started) * 1000)
    font = chinese_font()
    font_text = "embedded TrueType" if font.is_embedded else "CID (not embedded)"
    figures.append(
        figure(f"first notice incl. font load ({font_text})", round(first_ms, 1), "ms", "reported", None)
    )
    figures.append(
        figure(
            "floor: one-line PDF, same font, median",
            round(statistics.median(floor), 2),
            "ms",
            "reported",
            None,
        )
    )
    figures.append(
        figure(
            f"one notice PDF, median of {NOTICE_RUNS} ({font_text})",
            round(median, 2),
            "ms",
            f"< {NOTICE_TARGET_MS}",
            median < NOTICE_TARGET_MS,
        )
    )

    # One notice made and stored (file, SHA-256, Document, audit event), then removed again.
    store = []
    for result in RoundResult.objects.order_by("-id")[:STORE_RUNS]:
        started = time.perf_counter()
        result_notice_generate(actor=None, result=result)
        store.append((time.perf_counter() - started) * 1000)
    figures.append(
        figure(
            f"one notice made and stored, median of {STORE_RUNS}",
            round(statistics.median(store), 1),
            "ms",
            "reported",
            None,
        )
    )
    for document in Document.objects.filter(kind=DocumentKind.RESULT_NOTICE):
        document.file.delete(save=False)
    Document.objects.filter(kind=DocumentKind.RESULT_NOTICE).delete()

    # The batch task, one worker (inline), every notice made on the way and concatenated.
    def batch(file_format: str) -> tuple[float, Job]:
        job = job_create(actor=bureau, kind="result_notice_batch", region=county, total=len(results))
        started, cpu[0] = time.perf_counter(), time.process_time()
        batch_notices_task.apply(args=(cycle.pk, COUNTY, file_format, job.pk))
        cpu[0] = time.process_time() - cpu[0]
        return time.perf_counter() - started, Job.objects.get(pk=job.pk)

    cpu = [0.0]
    load = os.getloadavg()[0]
    seconds, job = batch("pdf")
    made = Document.objects.filter(kind=DocumentKind.RESULT_NOTICE).count()
    ok = job.status == "succeeded" and made == len(results)
    figures.append(
        figure(
            f"batch task, {len(results)} notices made + one PDF (1 worker)",
            round(seconds, 2),
            "s",
            f"< {BATCH_TARGET_S}",
            ok and seconds < BATCH_TARGET_S,
        )
    )
    # How busy the machine was: the batch's own CPU time moves much less with the load than its wall time.
    figures.append(figure("of which: CPU time of this process", round(cpu[0], 2), "s", "reported", None))
    figures.append(
        figure("load average (1 min) when the batch started", round(load, 2), "", "reported", None)
    )
    from ballots.services.area_documents import concatenate_pdfs

    pdfs = []
    for notice in Document.objects.filter(kind=DocumentKind.RESULT_NOTICE):
        with notice.file.open("rb") as handle:
            pdfs.append(handle.read())
    started = time.perf_counter()
    concatenate_pdfs(pdfs)
    figures.append(
        figure(
            f"of which: joining the {len(pdfs)} stored PDFs into one",
            round(time.perf_counter() - started, 2),
            "s",
            "reported",
            None,
        )
    )
    batch_pdf = Document.objects.filter(kind=DocumentKind.RESULT_NOTICE_BATCH).order_by("-id").first()
    figures.append(figure("batch PDF size", round(batch_pdf.size / 1024 / 1024, 1), "MiB", "reported", None))
    seconds, job = batch("zip")
    figures.append(
        figure(
            f"batch task, {len(results)} stored notices reused, zip",
            round(seconds, 2),
            "s",
            "reported",
            None if job.status == "succeeded" else False,
        )
    )
    return figures


def run(database_url: str, path: str | Path = DEFAULT_PATH, keep: bool = False) -> list[Figure]:
    if not is_postgresql(database_url):
        return [figure("result notices", 0, "", "PostgreSQL DATABASE_URL", False)]
    scratch = ScratchDatabase(database_url, SCRATCH)
    url = scratch.recreate()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": "",
        "DJANGO_SETTINGS_MODULE": "election_admin.settings",
    }
    # The files of the scratch database's documents: the bench's own folder is emptied with the database.
    media = None if env.get("MEDIA_ROOT") else REPO_ROOT / "var" / "bench_notices_media"
    if media is not None:
        shutil.rmtree(media, ignore_errors=True)
        env["MEDIA_ROOT"] = str(media)
    try:
        completed = subprocess.run(
            [sys.executable, __file__, "--child", "--path", str(path)],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            sys.stderr.write(completed.stderr[-4000:])
            return [figure("result notices", 0, "", "child process succeeded", False)]
        return json.loads(completed.stdout.strip().splitlines()[-1])
    finally:
        if not keep:
            scratch.drop()
            if media is not None:
                shutil.rmtree(media, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--path", default=str(DEFAULT_PATH))
    parser.add_argument("--keep", action="store_true", help="leave the scratch database for inspection")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(REPO_ROOT))
        print(json.dumps(_child(args.path), ensure_ascii=False))
        return 0
    figures = run(args.database_url, args.path, keep=args.keep)
    for item in figures:
        mark = {True: "ok", False: "MISSED", None: ""}[item["passed"]]
        print(f"{item['name']:<60} {item['value']:>10} {item['unit']:<8} {item['target']:<12} {mark}")
    return 0 if all(item["passed"] is not False for item in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
