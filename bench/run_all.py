#!/usr/bin/env python
"""Run every benchmark the issues ask for and print one table: figure, target, result, pass/fail.

Usage (PostgreSQL on this machine, as in CI):
    .venv/bin/python bench/run_all.py                       # uses DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/run_all.py --only regions,counting
Each benchmark makes and drops its own scratch database; nothing in the named database is touched.
Exit status 1 when any target is missed, 2 when a benchmark could not run.
"""

import argparse
import importlib
import inspect
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"


# Every bench/bench_<name>.py with a run() is a benchmark: run(database_url) when its first parameter
# is named database_url, run() otherwise (no database needed). Each returns a list of figures
# {"name", "value", "unit", "target", "passed"}. Dropping a new file in bench/ adds it to the table.
def _discover() -> dict[str, str]:
    return {
        path.stem.removeprefix("bench_"): path.stem for path in sorted((ROOT / "bench").glob("bench_*.py"))
    }


BENCHMARKS = _discover()


def _call(module, url: str) -> list[dict]:
    parameters = list(inspect.signature(module.run).parameters)
    return module.run(url) if parameters[:1] == ["database_url"] else module.run()


def _result(figure: dict) -> str:
    value = figure["value"]
    if isinstance(value, float):
        value = f"{value:,.3f}".rstrip("0").rstrip(".")
    elif isinstance(value, int):
        value = f"{value:,}"
    return f"{value} {figure.get('unit', '')}".strip()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--only", default="", help="comma-separated subset of: " + ", ".join(BENCHMARKS))
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        print(
            "基准测试需要 PostgreSQL（benchmarks need PostgreSQL）: pass --database-url postgres://…",
            file=sys.stderr,
        )
        return 2
    chosen = [name for name in BENCHMARKS if not args.only or name in args.only.split(",")]
    rows: list[tuple[str, dict]] = []
    broken: list[str] = []
    for name in chosen:
        module_name = BENCHMARKS[name]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                broken.append(f"{name}: bench/{module_name}.py is missing")
                continue
            raise
        started = time.perf_counter()
        print(f"→ {name} …", flush=True)
        try:
            figures = _call(module, args.database_url)
        except Exception:  # noqa: BLE001 - reported in the table, the others still run
            broken.append(f"{name}: {traceback.format_exc(limit=3)}")
            continue
        print(f"  {name} took {time.perf_counter() - started:.0f} s", flush=True)
        rows += [(name, figure) for figure in figures]

    width = max((len(f["name"]) for _, f in rows), default=20) + 2
    bench_width = max((len(name) for name, _ in rows), default=9) + 2
    print()
    print(f"{'benchmark':<{bench_width}}{'figure':<{width}}{'target':>16}{'result':>20}  verdict")
    print("-" * (bench_width + width + 16 + 20 + 10))
    missed = 0
    for name, figure in rows:
        passed = figure.get("passed")
        verdict = "" if passed is None else ("pass" if passed else "MISSED")
        missed += passed is False
        print(
            f"{name:<{bench_width}}{figure['name']:<{width}}{str(figure.get('target') or ''):>16}{_result(figure):>20}  {verdict}"
        )
    for line in broken:
        print(f"\nCOULD NOT RUN {line}")
    print(
        f"\n{sum(1 for _, f in rows if f.get('passed'))} targets met, {missed} missed, {len(broken)} benchmarks not run"
    )
    if broken:
        return 2
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
