"""Benchmark: load the whole country's statistical division codes (≈665k regions) into PostgreSQL.

    .venv/bin/python bench/bench_regions.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]
                                            [--path ../shared/data/regions] [--keep]

Drops and re-creates the scratch database ``bench_regions`` on the server named by the URL
(``DATABASE_URL`` by default), migrates it, then times a first load and a re-run of
``regions_load`` in a child process (so Django is set up against the scratch database and the peak
RSS is that of the load alone). Prints a table and exits non-zero when a target is missed.
``bench/run_all.py`` can call ``run(database_url, path)`` for the figures.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scratch import Figure, ScratchDatabase, is_postgresql  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = REPO_ROOT.parent / "shared" / "data" / "regions"
SCRATCH_DATABASE = "bench_regions"
TARGET_SECONDS = 120.0


def recreate_scratch_database(database_url: str) -> str:
    """Drop ``bench_regions`` (closing its sessions) and create it empty; answers its URL."""
    return ScratchDatabase(database_url, SCRATCH_DATABASE).recreate()


def drop_scratch_database(database_url: str) -> None:
    ScratchDatabase(database_url, SCRATCH_DATABASE).drop()


def _worker(path: str) -> None:
    """In the child: migrate the scratch database (DATABASE_URL), load twice, print the measurements as JSON."""
    sys.path.insert(0, str(REPO_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "election_admin.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from election_admin.models import Region
    from election_admin.regions_loader import regions_load

    call_command("migrate", verbosity=0)
    loads = []
    for _ in range(2):
        started = time.monotonic()
        result = regions_load(source_dir=path)
        loads.append(
            {
                "seconds": time.monotonic() - started,
                "validate_seconds": result.validate_seconds,
                "write_seconds": result.write_seconds,
                "rows": result.total.rows,
                "inserted": result.total.inserted,
                "updated": result.total.updated,
            }
        )
    measurements = {
        "loads": loads,
        "regions_in_table": Region.objects.count(),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # kB on Linux
    }
    print(json.dumps(measurements))


def _figure(name: str, value: float, unit: str, target: str, passed: bool | None) -> Figure:
    return {"name": name, "value": value, "unit": unit, "target": target, "passed": passed}


def run(database_url: str, path: str | Path = DEFAULT_PATH, *, keep: bool = False) -> list[Figure]:
    """Time the national load (first and re-run) on a fresh ``bench_regions`` database; answer the figures."""
    if not is_postgresql(database_url):
        raise ValueError("bench_regions measures the PostgreSQL load (COPY); give a postgres:// URL")
    path = Path(path).resolve()
    scratch_url = recreate_scratch_database(database_url)
    try:
        child = subprocess.run(
            [sys.executable, __file__, "--worker", "--path", str(path)],
            cwd=REPO_ROOT,
            env={**os.environ, "DATABASE_URL": scratch_url},
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        if not keep:
            drop_scratch_database(database_url)
    if child.returncode != 0:
        raise RuntimeError(f"the load failed (exit {child.returncode}):\n{child.stderr or child.stdout}")
    measured = json.loads(child.stdout.strip().splitlines()[-1])
    first, second = measured["loads"]
    target = f"< {TARGET_SECONDS:.0f}"
    return [
        _figure("national load, first", first["seconds"], "s", target, first["seconds"] < TARGET_SECONDS),
        _figure("  of which checking files", first["validate_seconds"], "s", "", None),
        _figure("  of which writing + commit", first["write_seconds"], "s", "", None),
        _figure("national load, re-run", second["seconds"], "s", target, second["seconds"] < TARGET_SECONDS),
        _figure(
            "regions in table",
            measured["regions_in_table"],
            "rows",
            f"= {first['rows']:,}",
            measured["regions_in_table"] == first["rows"] == first["inserted"],
        ),
        _figure(
            "rows changed by re-run",
            second["inserted"] + second["updated"],
            "rows",
            "= 0",
            second["inserted"] + second["updated"] == 0,
        ),
        _figure("peak RSS of the loading process", measured["peak_rss_mb"], "MB", "", None),
    ]


def format_table(figures: list[Figure]) -> str:
    def result(figure: Figure) -> str:
        value = figure["value"]
        text = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
        return f"{text} {figure['unit']}"

    def verdict(figure: Figure) -> str:
        return {True: "pass", False: "FAIL", None: ""}[figure["passed"]]

    rows = [("figure", "target", "result", "pass/fail")] + [
        (f["name"], f"{f['target']} {f['unit']}" if f["target"] else "", result(f), verdict(f))
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
    parser.add_argument("--path", default=str(DEFAULT_PATH), help=f"national files (default: {DEFAULT_PATH})")
    parser.add_argument(
        "--keep", action="store_true", help=f"keep the {SCRATCH_DATABASE} database afterwards"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.worker:
        _worker(options.path)
        return 0
    if not is_postgresql(options.database_url):
        print(
            "bench_regions 只在 PostgreSQL 上运行（测的是 COPY 导入）。"
            "请设置 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres 或使用 --database-url。\n"
            "bench_regions runs on PostgreSQL only: set DATABASE_URL to a postgres:// URL or pass --database-url "
            f"(got {options.database_url or 'nothing: the project would use SQLite'}).",
            file=sys.stderr,
        )
        return 2
    print(
        f"Loading {options.path} into {ScratchDatabase(options.database_url, SCRATCH_DATABASE).url} (first load, then a re-run) …"
    )
    figures = run(options.database_url, options.path, keep=options.keep)
    print(format_table(figures))
    return 0 if all(figure["passed"] is not False for figure in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
