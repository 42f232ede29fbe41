"""``python -m segwh.bench``: the arguments, the run of the steps, the report."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from segwh import bench
from segwh.bench.floors import duckdb_settings
from segwh.bench.report import machine, print_table, publish, ratio, spark_conf
from segwh.bench.scenarios import DEFAULT_STEPS, STEPS, Bench, run_steps
from segwh.core.paths import REPO_ROOT


def default_memory_limit() -> str:
    """The DuckDB `memory_limit` dbt uses when DUCKDB_MEMORY_LIMIT is unset: declared once,
    in profiles.yml (`env_var('DUCKDB_MEMORY_LIMIT', '<default>')`)."""
    profiles = REPO_ROOT / "profiles.yml"
    found = re.search(r"env_var\('DUCKDB_MEMORY_LIMIT',\s*'([^']+)'\)", profiles.read_text())
    if found is None:
        raise SystemExit(f"{profiles}: no default for DUCKDB_MEMORY_LIMIT "
                         "(env_var('DUCKDB_MEMORY_LIMIT', '<limit>'))")
    return found.group(1)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m segwh.bench", description=bench.__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000, help="customers (100000)")
    parser.add_argument("--seed", type=int, default=42, help="generator seed (42)")
    parser.add_argument("--data-root", type=Path,
                        default=Path(os.environ.get("BENCH_DATA_ROOT", "/tmp/bench-data")),
                        help="cache of generated data, <root>/<customers>[-deliveries] "
                             "($BENCH_DATA_ROOT, /tmp/bench-data)")
    parser.add_argument("--work", type=Path, default=REPO_ROOT / "build" / "bench" / "work",
                        help="warehouse files, targets and logs (build/bench/work)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "bench",
                        help="where <timestamp>.json goes (build/bench)")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("DBT_THREADS", 1)),
                        help="dbt threads ($DBT_THREADS, 1); DuckDB uses every core, as in dbt")
    profile_limit = default_memory_limit()
    parser.add_argument("--memory-limit",
                        default=os.environ.get("DUCKDB_MEMORY_LIMIT", profile_limit),
                        help="DuckDB memory_limit ($DUCKDB_MEMORY_LIMIT; else the default of "
                             f"profiles.yml, {profile_limit})")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                        help="duckdb (default), or spark: the build step only, through the "
                             "Spark Thrift Server at SPARK_THRIFT_HOST/PORT (make spark-cluster)")
    parser.add_argument("--steps", default=",".join(DEFAULT_STEPS),
                        help="comma-separated steps (the steps they need are added): "
                             + "; ".join(f"{name}: {step.what}" for name, step in STEPS.items())
                             + f" (default: {','.join(DEFAULT_STEPS)})")
    parser.add_argument("--publish", action="store_true",
                        help="also write docs/bench/<size>.json (replacing that size's) and "
                             "the README's results table")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    wanted = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = set(wanted) - set(STEPS)
    if unknown:
        print(f"python -m segwh.bench: unknown steps {sorted(unknown)}; known: "
              f"{', '.join(STEPS)}", file=sys.stderr)
        return 2
    if args.engine == "spark":
        wanted = ["build"]  # the other steps read DuckDB files
    args.work, args.data_root = args.work.resolve(), args.data_root.resolve()
    shutil.rmtree(args.work / "duckdb_tmp", ignore_errors=True)
    (args.work / "duckdb_tmp").mkdir(parents=True, exist_ok=True)
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    runner = Bench(args)
    steps = run_steps(runner, wanted)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    args.out.mkdir(parents=True, exist_ok=True)
    if not runner.data:  # no step read data (all skipped): the export's manifest still
        runner.raw()
    manifest = next(iter(runner.data.values()))[1]
    report: dict[str, Any] = {
        "customers": args.customers,
        "seed": args.seed,
        "data": {layout: str(d[0]) for layout, d in runner.data.items()},
        "generated_seconds": {layout: round(d[2], 1) if d[2] else None
                              for layout, d in runner.data.items()},
        "raw_rows": manifest["rows"],
        "engine": args.engine,
        **({"spark_conf": spark_conf(Path(os.environ.get(
            "SPARK_CLUSTER_DIR", REPO_ROOT / "build" / "spark")))}
           if args.engine == "spark" else {}),
        "settings": {"threads": args.threads, "memory_limit": args.memory_limit,
                     "force_compression": duckdb_settings(args)["force_compression"]},
        "machine": machine(),
        "load_average_at_start": load_at_start,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "measured_at": stamp,
        "steps": {k: {kk: vv for kk, vv in v.items() if kk != "target"} for k, v in steps.items()},
        "ratios": {
            "new_files_over_build": ratio(steps.get("new_files"), steps.get("build")),
            "reexport_over_build": ratio(steps.get("reexport"), steps.get("build")),
            "run_over_engine_floor": ratio(steps.get("run"), steps.get("floor")),
            "build_over_scan_floor": ratio(steps.get("build"), steps.get("scan")),
            "run_over_write_floor": ratio(steps.get("run"), steps.get("write")),
        },
        "file": str(args.out / f"{stamp}.json"),
    }
    Path(report["file"]).write_text(json.dumps(report, indent=2))
    print_table(report)
    if args.publish:
        print(f"published: {publish(report)} and the README's results table")
    failed = [k for k, v in steps.items()
              if "skipped" in v or v.get("error") or v.get("exit", 0) != 0
              or v.get("ok") is False]
    return 1 if failed else 0
