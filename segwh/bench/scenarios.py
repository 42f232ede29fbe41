"""The bench's steps, in the order they run, and what each needs before it.

A step that breaks (dbt fails, a file is missing) is reported as failed with its error on
one line; the steps that need it are reported as skipped; the others still run.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from segwh.bench.checks import check_planted
from segwh.bench.clv_step import clv_step
from segwh.bench.data import ensure_data
from segwh.bench.dbt_step import run_dbt
from segwh.bench.deletions import check_deletions, ensure_deletion_day
from segwh.bench.floors import engine_floor, scan_floor, write_floor
from segwh.bench.next_day import ensure_next_day
from segwh.refresh.dbt_build import BUILD_ARGS as REFRESH_BUILD_ARGS


@dataclass(frozen=True)
class Step:
    what: str
    needs: tuple[str, ...] = ()
    default: bool = True


STEPS: dict[str, Step] = {
    "build": Step("full dbt build on the exports (every model and test), into a new file"),
    "planted": Step("the planted customers' segments after build", ("build",)),
    "reexport": Step("refresh: the next day as a full re-export of every table "
                     "(the refresh's dbt build on build's file)", ("build",)),
    "run": Step("full dbt run on the exports (models only), into a new file"),
    "clv": Step("the CLV models' times in run, and the CLV step alone", ("run",)),
    "write": Step("write floor: every raw row written once, typed", ("run",), default=False),
    "floor": Step("engine floor: run's compiled SQL without dbt", ("run",), default=False),
    "scan": Step("scan floor: every raw file read once", default=False),
    "deliveries": Step("full dbt build on the same shop delivered as daily files"),
    "new_files": Step("refresh: the next day as new files (the refresh's dbt build on "
                      "deliveries' file)",
                      ("deliveries",)),
    "deletions": Step("refresh after a deletion, a tombstone and an erasure, then the "
                      "planted checks", ("new_files",)),
}
DEFAULT_STEPS = tuple(name for name, step in STEPS.items() if step.default)


@dataclass
class Bench:
    """The arguments, the data (generated on first use) and the warehouse files."""

    args: argparse.Namespace
    data: dict[str, tuple[Path, dict[str, Any], float | None]] = field(default_factory=dict)
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)

    def raw(self, layout: str = "export") -> tuple[Path, dict[str, Any]]:
        if layout not in self.data:
            self.data[layout] = ensure_data(self.args, layout)
        directory, manifest, _ = self.data[layout]
        return directory, manifest

    def db(self, name: str) -> Path:
        path = self.args.work / name / "warehouse.duckdb"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def dbt(self, name: str, command: str | tuple[str, ...], db: str, raw: Path,
            fresh: bool = True) -> dict[str, Any]:
        args = [command] if isinstance(command, str) else list(command)
        return run_dbt(self.args, name, args, self.db(db), raw, fresh=fresh)


def _run(bench: Bench) -> dict[str, Any]:
    raw, _ = bench.raw()
    seeded = bench.dbt("seed", "seed", "run", raw)  # not timed: the seeds only
    if seeded["exit"] != 0:  # the models read the seeds: the run cannot succeed
        return {"exit": seeded["exit"], "error": f"dbt seed: {seeded['error']}"}
    return bench.dbt("run", "run", "run", raw, fresh=False)


def _reexport(bench: Bench) -> dict[str, Any]:
    next_day = ensure_next_day(*bench.raw())
    return bench.dbt("reexport", REFRESH_BUILD_ARGS, "build", next_day, fresh=False)


def _new_files(bench: Bench) -> dict[str, Any]:
    next_day = ensure_next_day(*bench.raw("deliveries"))
    return bench.dbt("new_files", REFRESH_BUILD_ARGS, "deliveries", next_day, fresh=False)


def _deletions(bench: Bench) -> dict[str, Any]:
    raw, manifest = bench.raw("deliveries")
    day, picks = ensure_deletion_day(ensure_next_day(raw, manifest), manifest["as_of"])
    result = bench.dbt("deletions", REFRESH_BUILD_ARGS, "deliveries", day, fresh=False)
    try:
        checked = check_deletions(bench.db("deliveries"), picks, Path(result["target"]))
    except Exception as error:  # noqa: BLE001 - reported as a finding, not a crash
        checked = {"checks": picks, "problems": [one_line(error)], "ok": False}
    checked["ok"] = checked["ok"] and result["exit"] == 0
    return {**result, **checked}


RUNNERS: dict[str, Callable[[Bench], dict[str, Any]]] = {
    "build": lambda b: b.dbt("build", "build", "build", b.raw()[0]),
    "planted": lambda b: check_planted(b.db("build"), b.raw()[0]),
    "reexport": _reexport,
    "run": _run,
    "clv": lambda b: clv_step(b.args, b.steps["run"], b.db("run")),
    "write": lambda b: write_floor(b.args, b.raw()[0], b.db("run")),
    "floor": lambda b: engine_floor(b.args, b.steps["run"], b.db("run"), b.raw()[0]),
    "scan": lambda b: scan_floor(b.args, b.raw()[0]),
    "deliveries": lambda b: b.dbt("deliveries", "build", "deliveries", b.raw("deliveries")[0]),
    "new_files": _new_files,
    "deletions": _deletions,
}


def one_line(error: BaseException) -> str:
    return f"{type(error).__name__}: {' '.join(str(error).split())}"[:400]


def succeeded(step: dict[str, Any] | None) -> bool:
    return bool(step) and "skipped" not in step and not step.get("error") \
        and step.get("exit", 0) == 0


def with_needs(wanted: list[str]) -> list[str]:
    """The steps asked for and every step they need, in run order."""
    needed, stack = set(), list(wanted)
    while stack:
        name = stack.pop()
        if name not in needed:
            needed.add(name)
            stack.extend(STEPS[name].needs)
    return [name for name in STEPS if name in needed]


def run_steps(bench: Bench, wanted: list[str]) -> dict[str, dict[str, Any]]:
    for name in with_needs(wanted):
        missing = [need for need in STEPS[name].needs if not succeeded(bench.steps.get(need))]
        if missing:
            bench.steps[name] = {"skipped": f"needs {', '.join(missing)}, which did not succeed"}
            continue
        print(f"{name}: {STEPS[name].what} ...", flush=True)
        try:
            bench.steps[name] = RUNNERS[name](bench)
        except Exception as error:  # noqa: BLE001 - one step's failure is reported, not raised
            bench.steps[name] = {"exit": 1, "error": one_line(error)}
    return bench.steps
