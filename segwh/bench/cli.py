"""``python -m segwh.bench``: the arguments and the order of the steps."""

from __future__ import annotations

import argparse
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from segwh import bench
from segwh.bench.checks import check_planted
from segwh.bench.clv_step import clv_step
from segwh.bench.data import ensure_data
from segwh.bench.dbt_step import run_dbt
from segwh.bench.floors import duckdb_settings, engine_floor, scan_floor, write_floor
from segwh.bench.next_day import ensure_next_day
from segwh.bench.report import machine, print_table, ratio
from segwh.core.paths import REPO_ROOT

STEPS = ("build", "run", "floor", "scan", "write", "incremental", "planted", "clv")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m segwh.bench", description=bench.__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000, help="customers (100000)")
    parser.add_argument("--seed", type=int, default=42, help="generator seed (42)")
    parser.add_argument("--data-root", type=Path,
                        default=Path(os.environ.get("BENCH_DATA_ROOT", "/tmp/bench-data")),
                        help="cache of generated data, <root>/<customers> ($BENCH_DATA_ROOT, "
                             "/tmp/bench-data)")
    parser.add_argument("--work", type=Path, default=REPO_ROOT / "build" / "bench" / "work",
                        help="warehouse files, targets and logs (build/bench/work)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "bench",
                        help="where <timestamp>.json goes (build/bench)")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("DBT_THREADS", 1)),
                        help="dbt threads ($DBT_THREADS, 1); DuckDB uses every core, as in dbt")
    parser.add_argument("--memory-limit", default=os.environ.get("DUCKDB_MEMORY_LIMIT", "3500MB"),
                        help="DuckDB memory_limit ($DUCKDB_MEMORY_LIMIT, 3500MB)")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                        help="duckdb (default), or spark: the build step only, through the "
                             "Spark Thrift Server at SPARK_THRIFT_HOST/PORT (make spark-cluster)")
    parser.add_argument("--steps", default=",".join(STEPS),
                        help=f"comma-separated subset of {','.join(STEPS)} (all)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    steps_wanted = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = set(steps_wanted) - set(STEPS)
    if unknown:
        raise SystemExit(f"unknown steps: {sorted(unknown)}")
    if args.engine == "spark":
        steps_wanted = ["build"]  # the other steps read DuckDB files
    args.work = args.work.resolve()
    shutil.rmtree(args.work / "duckdb_tmp", ignore_errors=True)
    (args.work / "duckdb_tmp").mkdir(parents=True, exist_ok=True)
    raw_dir, manifest, generated = ensure_data(args)
    build_db = args.work / "build" / "warehouse.duckdb"
    run_db = args.work / "run" / "warehouse.duckdb"
    build_db.parent.mkdir(parents=True, exist_ok=True)
    run_db.parent.mkdir(parents=True, exist_ok=True)
    steps: dict[str, Any] = {}
    if "build" in steps_wanted or "incremental" in steps_wanted or "planted" in steps_wanted:
        print("full dbt build ...", flush=True)
        steps["build"] = run_dbt(args, "build", ["build"], build_db, raw_dir)
    if "planted" in steps_wanted and steps["build"]["exit"] == 0:
        steps["planted"] = check_planted(build_db, raw_dir)
    clv_needs_run = "clv" in steps_wanted and "build" not in steps_wanted
    if ("run" in steps_wanted or "floor" in steps_wanted or "write" in steps_wanted
            or clv_needs_run):
        print("full dbt run ...", flush=True)
        seeded = run_dbt(args, "seed", ["seed"], run_db, raw_dir)  # not timed: seeds only
        steps["run"] = run_dbt(args, "run", ["run"], run_db, raw_dir,
                               fresh=seeded["exit"] != 0)
    if "floor" in steps_wanted and steps["run"]["exit"] == 0:
        print("engine floor ...", flush=True)
        steps["floor"] = engine_floor(args, steps["run"], run_db)
    if "write" in steps_wanted and steps["run"]["exit"] == 0:
        print("write floor ...", flush=True)
        steps["write"] = write_floor(args, raw_dir, run_db)
    if "scan" in steps_wanted:
        print("scan floor ...", flush=True)
        steps["scan"] = scan_floor(args, raw_dir)
    if "clv" in steps_wanted:
        source, source_db = ("build", build_db) if "build" in steps else ("run", run_db)
        if steps[source]["exit"] == 0:
            print("CLV step alone ...", flush=True)
            steps["clv"] = clv_step(args, steps[source], source_db)
    if "incremental" in steps_wanted and steps["build"]["exit"] == 0:
        print("one more day of data, incremental dbt build ...", flush=True)
        next_day = ensure_next_day(raw_dir, manifest)
        steps["incremental"] = run_dbt(args, "incremental", ["build"], build_db, next_day,
                                       fresh=False)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    args.out.mkdir(parents=True, exist_ok=True)
    report = {
        "customers": args.customers,
        "seed": args.seed,
        "data": str(raw_dir),
        "generated_seconds": round(generated, 1) if generated else None,
        "raw_rows": manifest["rows"],
        "engine": args.engine,
        "settings": {"threads": args.threads, "memory_limit": args.memory_limit,
                     "force_compression": duckdb_settings(args)["force_compression"]},
        "machine": machine(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "measured_at": stamp,
        "steps": {k: {kk: vv for kk, vv in v.items() if kk != "target"} for k, v in steps.items()},
        "ratios": {
            "run_over_engine_floor": ratio(steps.get("run"), steps.get("floor")),
            "build_over_scan_floor": ratio(steps.get("build"), steps.get("scan")),
            "run_over_write_floor": ratio(steps.get("run"), steps.get("write")),
            "incremental_over_build": ratio(steps.get("incremental"), steps.get("build")),
        },
        "file": str(args.out / f"{stamp}.json"),
    }
    Path(report["file"]).write_text(json.dumps(report, indent=2))
    print_table(report)
    failed = [k for k, v in steps.items() if v.get("exit", 0) != 0 or v.get("ok") is False]
    return 1 if failed else 0
