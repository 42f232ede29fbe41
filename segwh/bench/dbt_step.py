"""One timed dbt command of the bench, with its per-model times from run_results.json."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from segwh.bench.measure import remove_database, run_measured
from segwh.core.dbt import dbt_command, dbt_env

# how dbt starts the line that says what failed ("Runtime Error in model x", "Compilation Error")
ERROR_LINE = re.compile(r"\b(Runtime|Compilation|Parsing|Database|Dependency) Error\b.*")


def one_line_error(log: str, results: list[dict[str, Any]]) -> str:
    """The first thing that went wrong in a dbt run, on one line (node and message)."""
    for result in results:
        if result["status"] in ("error", "fail", "runtime error"):
            message = " ".join(str(result.get("message") or result["status"]).split())
            return f"{result['unique_id'].split('.')[-1]}: {message}"[:400]
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    for k, line in enumerate(lines):
        found = ERROR_LINE.search(line)
        if found:  # "Runtime Error in model x (path)", then the engine's message, which
            text = found.group(0)  # may say "...:" and go on on the next line
            for following in lines[k + 1:k + 4]:
                text = f"{text}: {following}" if not text.endswith(":") else f"{text} {following}"
                if not following.endswith(":"):
                    break
            return " ".join(text.split())[:400]
    return (lines[-1] if lines else "no output")[:400]


def run_dbt(args: argparse.Namespace, name: str, command: list[str], duckdb_path: Path,
            raw_dir: Path, fresh: bool = True) -> dict[str, Any]:
    """`dbt <command>` on `raw_dir` into `duckdb_path` (a new file when `fresh`), measured."""
    if fresh:
        remove_database(duckdb_path)
    target = args.work / f"target-{name}"
    shutil.rmtree(target, ignore_errors=True)
    full = dbt_command([*command, "--vars", json.dumps({"raw_path": str(raw_dir)})],
                       target, args.work / f"logs-{name}")
    if args.engine == "spark":
        full += ["--target", "spark_thrift"]
    env = dbt_env(duckdb_path, args.work / "duckdb_tmp",
                  {"DBT_THREADS": str(args.threads), "DUCKDB_MEMORY_LIMIT": args.memory_limit})
    log = args.work / f"{name}.log"
    result = run_measured(full, env, log)
    results_file = target / "run_results.json"
    result["target"] = str(target)
    results: list[dict[str, Any]] = []
    if results_file.exists():
        results = json.loads(results_file.read_text())["results"]
        result["models"] = {
            r["unique_id"].split(".")[-1]: round(r["execution_time"], 2)
            for r in results if r["unique_id"].startswith("model.")
        }
        tests = [r for r in results if r["unique_id"].startswith(("test.", "unit_test."))]
        result["tests"] = len(tests)
        result["tests_seconds"] = round(sum(r["execution_time"] for r in tests), 2)
        result["failures"] = [r["unique_id"] for r in results
                              if r["status"] not in ("success", "pass")]
    if result["exit"] != 0:
        result["error"] = one_line_error(log.read_text(errors="replace"), results)
        print(f"dbt {' '.join(command)} failed ({result['exit']}): {result['error']}",
              file=sys.stderr)
    return result
