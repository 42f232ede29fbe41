"""The bench's report: the machine, the printed table, the targets, the README table."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any

import duckdb

from segwh.bench.targets import TARGETS, verdict
from segwh.core.paths import REPO_ROOT

PUBLISHED = REPO_ROOT / "docs" / "bench"  # the latest report per size: <size>.json
README = REPO_ROOT / "README.md"
TABLE_START, TABLE_END = "<!-- bench-results:start -->", "<!-- bench-results:end -->"


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"platform": platform.platform(), "cpus": os.cpu_count(),
                            "python": platform.python_version(), "duckdb": duckdb.__version__}
    try:
        with open("/proc/meminfo") as handle:
            info["memory_gb"] = round(int(handle.readline().split()[1]) / 2**20, 1)
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return info


def ratio(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float | None:
    if not a or not b or not a.get("seconds") or not b.get("seconds"):
        return None
    return round(a["seconds"] / b["seconds"], 2)


def size_label(customers: int) -> str:
    """100000 -> 100k, 1000000 -> 1m: the name of a size's published report."""
    for unit, label in ((1_000_000, "m"), (1_000, "k")):
        if customers >= unit and customers % unit == 0:
            return f"{customers // unit}{label}"
    return str(customers)


def _note(name: str, step: dict[str, Any]) -> str:
    if "skipped" in step:
        return f"SKIPPED: {step['skipped']}"
    if step.get("error"):
        return f"FAILED: {step['error']}"
    if name == "planted":
        wrong = "" if step["ok"] else f": {step['wrong'][:5]}"
        return f"{step['checked'] - len(step['wrong'])}/{step['checked']} correct{wrong}"
    if name == "deletions" and not step.get("ok"):
        problems = step.get("problems", [])
        more = f" (and {len(problems) - 3} more in the report)" if len(problems) > 3 else ""
        return f"WRONG: {'; '.join(problems[:3])}{more}"
    if name == "clv":
        return (f"alone: {step['seconds']} s, {step['buyers']} buyers; dbt models "
                f"{step['models_seconds']} s")
    notes = [f"{step['tests']} tests" if step.get("tests") else "", step.get("note", "")]
    return ", ".join(n for n in notes if n)


def print_table(report: dict[str, Any]) -> None:
    settings, host = report["settings"], report["machine"]
    print(f"\nbench ({report['engine']}): {report['customers']:,} customers, "
          f"dbt threads={settings['threads']}, memory_limit={settings['memory_limit']}, "
          f"{host.get('cpus')} cpus, {host.get('memory_gb')} GB; load average "
          f"{report['load_average_at_start']} at the start, {report['load_average_at_end']} "
          "at the end")
    print(f"raw rows: {report['raw_rows']}")
    print(f"{'step':<14}{'seconds':>9}{'peak MB':>9}  note")
    for name, step in report["steps"].items():
        seconds, peak = step.get("seconds", ""), step.get("peak_rss_mb", "")
        print(f"{name:<14}{seconds!s:>9}{peak!s:>9}  {_note(name, step)}")
    build = report["steps"].get("build", {})
    if build.get("models"):
        slowest = sorted(build["models"].items(), key=lambda kv: -kv[1])[:8]
        print("slowest models (build): " + ", ".join(f"{k} {v}s" for k, v in slowest))
    print(f"targets (this run: {report['customers']:,} customers):")
    for target in TARGETS:
        value, said = verdict(target, report)
        print(f"  {target.what:<62}{'' if value is None else value!s:>8}  {said}")
    print(f"written: {report['file']}")


def _cell(value: Any, unit: str = "") -> str:
    return "–" if value is None else f"{value}{unit}"


def _seconds(steps: dict[str, Any], name: str) -> str:
    step = steps.get(name, {})
    if step.get("error"):
        return "failed"
    seconds = step.get("seconds")
    return _cell(None if seconds is None else
                 round(seconds) if seconds >= 10 else round(seconds, 1), " s")


def readme_table(reports: list[dict[str, Any]]) -> str:
    """The README's results table: one row per published size, then the machine."""
    lines = ["| customers | full build | dbt run | new day as files | new files / build | "
             "same day re-exported | deletion day correct | peak RSS | planted | "
             "memory_limit | measured (UTC) | load |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for report in sorted(reports, key=lambda r: r["customers"]):
        steps = report["steps"]
        # reports written before the layouts called the re-export refresh `incremental`
        reexport = "reexport" if "reexport" in steps else "incremental"
        share = ratio(steps.get("new_files"), steps.get("build"))
        peak = max((s.get("peak_rss_mb") or 0 for s in steps.values()), default=0)
        planted, deletions = steps.get("planted"), steps.get("deletions")
        load = report.get("load_average_at_start")
        lines.append(" | ".join([
            f"| {size_label(report['customers']).upper().replace('K', 'k')}",
            _seconds(steps, "build"), _seconds(steps, "run"), _seconds(steps, "new_files"),
            _cell(share), _seconds(steps, reexport),
            "–" if deletions is None else ("yes" if deletions.get("ok") else "no"),
            # in MB, as the target reads (<= 4,096 MB): 4,142 MB rounded to GB read "4.0 GB"
            f"{peak:,} MB" if peak else "–",
            "–" if not planted else f"{planted['checked'] - len(planted['wrong'])}/"
                                    f"{planted['checked']}",
            report["settings"]["memory_limit"], report["measured_at"],
            f"{load[0]} |" if load else "– |"]))
    newest = max(reports, key=lambda r: r["measured_at"])
    host = newest["machine"]
    lines += ["", f"Machine: {host.get('cpus')} vCPU {host.get('cpu', '')}, "
              f"{host.get('memory_gb')} GB RAM, {host.get('platform')}, Python "
              f"{host.get('python')}, DuckDB {host.get('duckdb')}; dbt threads "
              f"{newest['settings']['threads']}. Load: the 1-minute load average when the "
              "run started (the machine has 2 cores)."]
    return "\n".join(lines)


def report_name(report: dict[str, Any]) -> str:
    """A published report's name: its size, `-spark` for a Spark run (100k, 100k-spark)."""
    engine = report.get("engine", "duckdb")
    return size_label(report["customers"]) + ("" if engine == "duckdb" else f"-{engine}")


def publish(report: dict[str, Any], published: Path = PUBLISHED, readme: Path = README
            ) -> Path:
    """The report as docs/bench/<size>.json (replacing the size's previous one), and the
    README table rewritten from every published report."""
    published.mkdir(parents=True, exist_ok=True)
    path = published / f"{report_name(report)}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    write_readme_table(published, readme)
    return path


def write_readme_table(published: Path = PUBLISHED, readme: Path = README) -> None:
    """The README's results table, between its markers, from the published reports."""
    reports = [json.loads(p.read_text()) for p in sorted(published.glob("*.json"))]
    reports = [r for r in reports if size_label(r["customers"]) in ("100k", "1m", "10m")
               and "build" in r["steps"]]
    spark = [r for r in reports if r.get("engine", "duckdb") == "spark"]
    reports = [r for r in reports if r.get("engine", "duckdb") == "duckdb"]
    table = readme_table(reports)
    if spark:
        table += "\n\n" + spark_table(spark, reports)
    text = readme.read_text()
    start, end = text.find(TABLE_START), text.find(TABLE_END)
    if start < 0 or end < start:
        raise RuntimeError(f"{readme}: no {TABLE_START} ... {TABLE_END} section to fill")
    readme.write_text(text[:start + len(TABLE_START)] + "\n" + table + "\n" + text[end:])


def spark_table(spark: list[dict[str, Any]], duckdb_reports: list[dict[str, Any]]) -> str:
    """DuckDB vs Spark: the full build of the same exports, per size measured on Spark."""
    by_size = {r["customers"]: r for r in duckdb_reports}
    lines = ["DuckDB vs Spark (`--engine spark`: the same full `dbt build` of the exports "
             "through the Thrift Server of a local standalone cluster, `make spark-cluster`):",
             "",
             "| customers | DuckDB build | Spark build | Spark / DuckDB | Spark tests | "
             "Spark cluster | measured (UTC) | load |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for report in sorted(spark, key=lambda r: r["customers"]):
        steps, duck = report["steps"], by_size.get(report["customers"])
        duck_steps = duck["steps"] if duck else {}
        conf = report.get("spark_conf", {})
        load = report.get("load_average_at_start")
        lines.append(" | ".join([
            f"| {size_label(report['customers']).upper().replace('K', 'k')}",
            _seconds(duck_steps, "build"), _seconds(steps, "build"),
            _cell(ratio(steps.get("build"), duck_steps.get("build"))),
            _cell(steps.get("build", {}).get("tests")),
            f"driver {conf.get('spark.driver.memory', '?')}, executor "
            f"{conf.get('spark.executor.memory', '?')}, shuffle partitions "
            f"{conf.get('spark.sql.shuffle.partitions', '?')}" if conf else "–",
            report["measured_at"], f"{load[0]} |" if load else "– |"]))
    return "\n".join(lines)


def spark_conf(directory: Path) -> dict[str, str]:
    """The settings of the local cluster the Spark run used (its spark-defaults.conf)."""
    path = directory / "conf" / "spark-defaults.conf"
    if not path.exists():
        return {}
    pairs = (line.split(None, 1) for line in path.read_text().splitlines()
             if line.strip() and not line.startswith("#"))
    return {key: value for key, value in pairs
            if key.endswith(("memory", "partitions", "cores"))}
