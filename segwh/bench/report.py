"""The bench's report: the machine, the printed table and the targets met or missed."""

from __future__ import annotations

import os
import platform
from typing import Any

import duckdb

# issue 5's targets at 1M customers: (what, ratio or report key, limit)
TARGETS = (
    ("dbt run <= 45 s", ("run", "seconds"), 45),
    ("full dbt build <= 90 s", ("build", "seconds"), 90),
    ("peak RSS <= 4 GB (MB)", ("dbt", "peak_rss_mb"), 4096),
    ("run / engine floor <= 1.25", ("ratios", "run_over_engine_floor"), 1.25),
    ("incremental / build <= 0.15", ("ratios", "incremental_over_build"), 0.15),
)
# issue 16's targets for the CLV step at 1M customers
CLV_TARGETS = (
    ("CLV models in dbt <= 15 s", ("clv", "models_seconds"), 15),
    ("CLV alone <= 15 s", ("clv", "seconds"), 15),
    ("CLV alone peak RSS <= 1 GB (MB)", ("clv", "peak_rss_mb"), 1024),
)


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
    if not a or not b or not b.get("seconds"):
        return None
    return round(a["seconds"] / b["seconds"], 2)


def print_table(report: dict[str, Any]) -> None:
    steps, ratios = report["steps"], report["ratios"]
    print(f"\nbench ({report['engine']}): {report['customers']} customers, "
          f"dbt threads={report['settings']['threads']}, "
          f"memory_limit={report['settings']['memory_limit']}, "
          f"{report['machine'].get('cpus')} cpus, {report['machine'].get('memory_gb')} GB")
    print(f"raw rows: {report['raw_rows']}")
    print(f"{'step':<26}{'seconds':>10}{'peak MB':>10}  note")
    notes = {
        "build": f"{steps.get('build', {}).get('tests', '')} tests",
        "run": f"run / floor = {ratios.get('run_over_engine_floor')}",
        "floor": "compiled SQL, plain DuckDB",
        "scan": f"build / scan = {ratios.get('build_over_scan_floor')}",
        "write": f"run / write = {ratios.get('run_over_write_floor')}",
        "incremental": f"incremental / build = {ratios.get('incremental_over_build')}",
    }
    for name in ("build", "run", "floor", "scan", "write", "incremental"):
        step = steps.get(name)
        if step:
            exit_note = "" if step.get("exit", 0) == 0 else f" FAILED (exit {step['exit']})"
            print(f"{name:<26}{step['seconds']:>10}{step.get('peak_rss_mb', ''):>10}  "
                  f"{notes[name]}{exit_note}")
    if "clv" in steps:
        clv = steps["clv"]
        exit_note = "" if clv.get("exit", 0) == 0 else f" FAILED (exit {clv['exit']})"
        print(f"{'clv (alone)':<26}{clv['seconds']!s:>10}{clv['peak_rss_mb']:>10}  "
              f"{clv['buyers']} buyers, {clv['distinct_profiles']} distinct (x, t_x, T): read "
              f"{clv['read_seconds']} s, fit {clv['fit_seconds']} s, predict "
              f"{clv['predict_seconds']} s (CPU {clv['cpu_seconds']} s){exit_note}")
        print(f"{'clv (dbt models)':<26}{clv['models_seconds']!s:>10}{'':>10}  "
              + ", ".join(f"{k} {v} s" for k, v in clv["models"].items()))
    if "planted" in steps:
        planted = steps["planted"]
        right = planted["checked"] - len(planted["wrong"])
        wrong = "" if planted["ok"] else f": {planted['wrong'][:5]}"
        print(f"{'planted':<26}{'':>10}{'':>10}  {right}/{planted['checked']} correct{wrong}")
    run = steps.get("run") or steps.get("build")
    if run and run.get("models"):
        slowest = sorted(run["models"].items(), key=lambda kv: -kv[1])[:8]
        print("slowest models (dbt run): " + ", ".join(f"{k} {v}s" for k, v in slowest))
    print(f"targets (issue 5, at 1M customers; this run: {report['customers']}):")
    for what, (section, key), limit in TARGETS:
        if section == "dbt":  # the largest of the dbt steps measured
            peaks = [steps[n][key] for n in ("build", "run", "incremental") if n in steps]
            value = max(peaks) if peaks else None
        else:
            value = (ratios if section == "ratios" else steps.get(section, {})).get(key)
        verdict = "not measured" if value is None else ("met" if value <= limit else "missed")
        print(f"  {what:<30}{'' if value is None else value:>10}  {verdict}")
    if "clv" in steps:
        print(f"targets (issue 16, CLV step at 1M customers; this run: {report['customers']}):")
        for what, (section, key), limit in CLV_TARGETS:
            value = steps[section].get(key)
            verdict = "not measured" if value is None else ("met" if value <= limit else "missed")
            print(f"  {what:<30}{'' if value is None else value:>10}  {verdict}")
    print(f"written: {report['file']}")
