"""The bench's targets, declared once: what is measured, the limit, met or missed.

The data-path targets (issue 14) are set for 1M customers on a 2-core machine; the CLV
targets (issue 16) too; the 10M target asks that a 10M build completes under a 4 GB
``memory_limit``. A run at another size prints the same verdicts, marked as off-size.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TARGET_CUSTOMERS = 1_000_000
DBT_STEPS = ("build", "run", "reexport", "deliveries", "new_files", "deletions")


@dataclass(frozen=True)
class Target:
    what: str
    step: str  # the step the value comes from (a failed step misses the target)
    value: Callable[[dict[str, Any]], float | bool | None]  # of the report
    limit: float | None = None  # None: a yes/no target
    customers: int = TARGET_CUSTOMERS


def _seconds(step: str) -> Callable[[dict[str, Any]], float | None]:
    return lambda report: report["steps"].get(step, {}).get("seconds")


def _peak(report: dict[str, Any]) -> float | None:
    peaks = [s["peak_rss_mb"] for name, s in report["steps"].items()
             if name in DBT_STEPS and s.get("peak_rss_mb")]
    return max(peaks) if peaks else None


def _new_files_share(report: dict[str, Any]) -> float | None:
    new, build = report["steps"].get("new_files", {}), report["steps"].get("build", {})
    if not new.get("seconds") or not build.get("seconds"):
        return None
    return round(new["seconds"] / build["seconds"], 3)


def memory_mb(limit: str) -> float:
    """`4GB`, `3500MB`, `4GiB` in MB (1 GB = 1024 MB here, as DuckDB's GiB)."""
    found = re.fullmatch(r"\s*([\d.]+)\s*([KMGT]i?B)\s*", limit, re.IGNORECASE)
    if not found:
        raise ValueError(f"memory limit {limit!r}: expected e.g. 3500MB or 4GB")
    factor = {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024**2}[found.group(2)[0].upper()]
    return float(found.group(1)) * factor


def _completes_under_4gb(report: dict[str, Any]) -> bool | None:
    build = report["steps"].get("build")
    if build is None or "seconds" not in build:
        return None
    return build.get("exit") == 0 and memory_mb(report["settings"]["memory_limit"]) <= 4096


TARGETS = (
    Target("dbt run <= 90 s", "run", _seconds("run"), 90),
    Target("full dbt build <= 115 s", "build", _seconds("build"), 115),
    Target("peak RSS of the dbt steps <= 4 GB (MB)", "build", _peak, 4096),
    Target("refresh, one new day as new files <= 15 s", "new_files", _seconds("new_files"), 15),
    Target("refresh, new files / full build <= 0.10", "new_files", _new_files_share, 0.10),
    Target("refresh, the same day re-exported <= 50 s", "reexport", _seconds("reexport"), 50),
    Target("refresh after a deletion, a tombstone, an erasure: correct", "deletions",
           lambda report: report["steps"].get("deletions", {}).get("ok")),
    Target("10M customers complete under memory_limit 4GB", "build", _completes_under_4gb,
           customers=10_000_000),
    Target("CLV models in dbt <= 15 s", "clv",
           lambda report: report["steps"].get("clv", {}).get("models_seconds"), 15),
    Target("CLV alone <= 15 s", "clv",
           lambda report: report["steps"].get("clv", {}).get("seconds"), 15),
    Target("CLV alone peak RSS <= 1 GB (MB)", "clv",
           lambda report: report["steps"].get("clv", {}).get("peak_rss_mb"), 1024),
)


def verdict(target: Target, report: dict[str, Any]) -> tuple[Any, str]:
    """(value, `met` / `missed` / `failed: ...` / `not measured`) of one target."""
    step = report["steps"].get(target.step, {})
    if step.get("error"):
        return None, f"missed: {target.step} failed"
    if "skipped" in step:
        return None, f"not measured: {target.step} skipped ({step['skipped']})"
    if report["customers"] < target.customers > TARGET_CUSTOMERS:  # a scale target
        return None, f"not measured (needs {target.customers:,} customers)"
    value = target.value(report)
    if value is None:
        return None, "not measured"
    met = bool(value) if target.limit is None else value <= target.limit
    off_size = "" if report["customers"] == target.customers else \
        f" (target set for {target.customers:,})"
    return value, ("met" if met else "missed") + off_size
