"""The refresh's dbt steps: `dbt build` and `dbt source freshness` on the build file, and
what their artifacts say (a failing test named by what it checks, not by its hash)."""

from __future__ import annotations

import ctypes
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from segwh.core.dbt import dbt_command, dbt_env
from segwh.refresh.outcome import EXIT_DBT_FAILED, EXIT_STALE_SOURCES, RefreshFailed
from segwh.refresh.run import PAUSE_ENV, Run

LABEL_KWARGS_CHARS = 120
# The production build leaves out dbt's unit tests: they check the models' logic on fixed
# inputs, so they say nothing about the day's data and pass or fail with the code, which
# `make test` (its dbt build) and CI test before a release; dbt Labs recommends keeping
# them out of production builds (docs.getdbt.com/docs/build/unit-tests, "When to run unit
# tests"). Every data test still runs on the build.
BUILD_ARGS = ("build", "--exclude-resource-type", "unit_test")
# what dbt prints when it cannot reuse its parse state (and parses the whole project)
UNABLE_TO_PARTIAL_PARSE = "Unable to do partial parsing because "
NODE_START = re.compile(r"\b\d+ of \d+ START (?!hook:)")  # dbt's first line per node
# the time of a line of dbt's debug log (logs/dbt.log), to the microsecond
LOG_TIME = re.compile(r"(\d\d):(\d\d):(\d\d(?:\.\d+)?) \[")


def _die_with_parent() -> None:
    """In the dbt child: get SIGKILL when the refresh dies, so no orphan keeps writing."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def run_env(run: Run) -> dict[str, str]:
    """The environment of a dbt child: the build file, its own spill directory, the
    project of --project-dir (a DBT_PROJECT_DIR in the environment, as `make` exports,
    would otherwise win over the working directory), its profiles unless DBT_PROFILES_DIR
    says otherwise, and never the refresh's own test hook."""
    assert run.build is not None
    profiles = os.environ.get("DBT_PROFILES_DIR") or str(run.project_dir)
    env = dbt_env(run.dbt_path or run.build, run.layout.dbt_state.spill_dir,
                  {"DBT_PROFILES_DIR": profiles, "DBT_PROJECT_DIR": str(run.project_dir)})
    env.pop(PAUSE_ENV, None)
    return env


def command(run: Run, args: list[str], target: Path, logs: Path) -> list[str]:
    """`dbt <args>` of the refresh: the --dbt executable, --vars of the run."""
    line = [str(run.dbt), *dbt_command(args, target, logs)[1:]]
    if run.vars_yaml:
        line += ["--vars", run.vars_yaml]
    return line


def prepare_dbt(run: Run) -> None:
    """Gives dbt the build file at its stable path and the last run's parse state
    (files.DbtState): with the same connection info, the same --vars and an unchanged
    project, dbt parses only what changed instead of the whole project."""
    assert run.build is not None
    run.dbt_path = run.layout.dbt_state.point_at(run.build)


def parse_info(output: list[str], log_file: Path) -> dict[str, Any]:
    """Whether dbt reused its parse state ("partial") or parsed the whole project, why,
    and the seconds from the adapter's registration to the manifest (dbt's debug log)."""
    reasons = [text.split(UNABLE_TO_PARTIAL_PARSE, 1)[1].strip().rstrip(".")
               for text in output if UNABLE_TO_PARTIAL_PARSE in text]
    info: dict[str, Any] = {"partial": not reasons, "full_parse_reason": reasons[0]
                            if reasons else None, "seconds": None}
    start = None
    try:
        with open(log_file, encoding="utf-8", errors="replace") as log:
            for text in log:
                found = LOG_TIME.search(text)
                if not found:
                    continue
                moment = int(found[1]) * 3600 + int(found[2]) * 60 + float(found[3])
                if start is None and "Registered adapter" in text:
                    start = moment
                elif start is not None and ("Found " in text or "Performance info" in text):
                    info["seconds"] = round((moment - start) % 86400, 3)
                    break
    except OSError:
        pass
    return info


def run_dbt_build(run: Run, on_nodes_start: Callable[[], object] | None = None
                  ) -> dict[str, Any]:
    """`dbt build` on the build file; `on_nodes_start` is called once dbt has parsed the
    project and run its on-run-start hooks (the raw data is readable) and starts on the
    models."""
    target, logs = run.run_dir / "target", run.run_dir / "logs"
    prepare_dbt(run)
    state = run.layout.dbt_state
    state.restore(target)
    line = command(run, list(BUILD_ARGS), target, logs)
    if run.full_refresh:
        line.append("--full-refresh")
    run.say("dbt build started: " + " ".join(line[1:]))
    started = time.monotonic()
    output_tail: list[str] = []
    process = subprocess.Popen(
        line,
        cwd=run.project_dir,
        env=run_env(run),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    run.dbt_process = process
    assert process.stdout is not None
    output: list[str] = []  # the lines before the first node (dbt's parse)
    for text in process.stdout:
        run.log_line("  dbt| " + text.rstrip("\n"))
        output_tail = (output_tail + [text.rstrip()])[-60:]
        if len(output) < 40:
            output.append(text.rstrip())
        if on_nodes_start is not None and NODE_START.search(text):
            on_nodes_start()
            on_nodes_start = None
    code = process.wait()
    run.dbt_process = None
    seconds = round(time.monotonic() - started, 3)
    state.keep(target)
    results = read_run_results(target)
    summary = {"exit_code": code, "seconds": seconds,
               "parse": parse_info(output, logs / "dbt.log"), **results}
    run.summary["dbt"] = summary
    if code != 0:
        raise RefreshFailed(
            EXIT_DBT_FAILED, "dbt build failed: " + failure_reason(results, output_tail)
        )
    run.say(f"dbt build passed in {seconds:.1f} s ({len(results['tests'])} tests)")
    return summary


def raw_mode(vars_yaml: str | None) -> str:
    """'raw_path', 'raw_schema' or 'sample', from the --vars given to the refresh."""
    values = yaml.safe_load(vars_yaml) if vars_yaml else None
    values = values if isinstance(values, dict) else {}
    for mode in ("raw_path", "raw_schema"):
        if values.get(mode) is not None:
            return mode
    return "sample"


def check_source_freshness(run: Run) -> dict[str, Any]:
    """`dbt source freshness` on the build file (raw_path / raw_schema modes only).

    Stale sources are recorded; with --freshness fail a source past its error_after stops
    the refresh (exit 8), with warn they are only reported. A source's freshness is the
    latest event time the build holds (the base tables, macro received_event_time_query):
    the step reads no raw file, so it costs about the same whatever the raw data's size.
    """
    mode = raw_mode(run.vars_yaml)
    if run.freshness == "skip" or mode == "sample":
        why = "--freshness skip" if run.freshness == "skip" else "sample mode (seeds)"
        run.say(f"source freshness not checked: {why}")
        return {"checked": False, "reason": why}
    target, logs = run.run_dir / "freshness-target", run.run_dir / "freshness-logs"
    state = run.layout.dbt_state
    state.restore(target)  # the build's: same file, same spill folder, same --vars
    line = command(run, ["source", "freshness", "--output", str(target / "sources.json")],
                   target, logs)
    started = time.monotonic()
    result = subprocess.run(line, cwd=run.project_dir, env=run_env(run),
                            capture_output=True, text=True, check=False)
    seconds = round(time.monotonic() - started, 3)
    for text in (result.stdout + result.stderr).splitlines():
        run.log_line("  dbt| " + text)
    state.keep(target)
    parse = parse_info(result.stdout.splitlines()[:40], logs / "dbt.log")
    sources_json = target / "sources.json"
    if not sources_json.exists():
        lines = (result.stdout + result.stderr).strip().splitlines() or ["no output"]
        raise RefreshFailed(EXIT_DBT_FAILED, "dbt source freshness failed: " + lines[-1])
    statuses = {
        item["unique_id"].split(".")[-1]: {
            "status": item["status"], "max_loaded_at": item.get("max_loaded_at"),
            "age_seconds": item.get("max_loaded_at_time_ago_in_s"),
        }
        for item in json.loads(sources_json.read_text(encoding="utf-8"))["results"]
    }
    summary = {"checked": True, "mode": run.freshness, "seconds": seconds,
               "sources": statuses, "parse": parse}
    run.summary["freshness"] = summary
    stale = sorted(name for name, item in statuses.items() if item["status"] != "pass")
    run.say("source freshness: " + (", ".join(
        f"{name} {statuses[name]['status']}" for name in stale) or "all fresh")
        + f" ({seconds:.1f} s)")
    errors = [name for name in stale if statuses[name]["status"] != "warn"]
    if errors and run.freshness == "fail":
        raise RefreshFailed(EXIT_STALE_SOURCES, "stale sources (freshness error): "
                            + ", ".join(errors))
    return summary


def read_run_results(target: Path) -> dict[str, Any]:
    """Models, tests and other nodes of dbt's run_results.json in `target`; each test also
    gets its human name from the manifest (see `describe_test`)."""
    path = target / "run_results.json"
    if not path.exists():
        return {"models": [], "tests": [], "other": []}
    data = json.loads(path.read_text(encoding="utf-8"))
    manifest_path = target / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    models, tests, other = [], [], []
    for result in data.get("results", []):
        unique_id = result.get("unique_id", "")
        kind = unique_id.split(".", 1)[0]
        entry = {
            "name": unique_id.split(".")[-1] if kind != "model" else unique_id.split(".", 2)[-1],
            "unique_id": unique_id,
            "status": result.get("status"),
            "seconds": round(result.get("execution_time") or 0.0, 3),
        }
        if result.get("status") not in ("success", "pass"):
            entry["message"] = (result.get("message") or "").strip().splitlines()[:1]
        if kind in ("test", "unit_test"):
            entry["label"] = describe_test(unique_id, manifest)
            entry["failures"] = result.get("failures")
            tests.append(entry)
        elif kind == "model":
            models.append(entry)
        else:
            other.append(entry)
    return {"models": models, "tests": tests, "other": other}


def describe_test(unique_id: str, manifest: dict[str, Any]) -> str:
    """What a dbt test checks, on what: `not_null on stg_shop__orders.order_id`,
    `expression_is_true on quarantine_reconciliation (expression=raw_rows = ...)`,
    `unit test <name> on <model>`, or a singular test's name. Generic tests' unique ids
    end in a hash, which says nothing to whoever reads the failure."""
    parts = unique_id.split(".")
    if unique_id.startswith("unit_test."):
        node = manifest.get("unit_tests", {}).get(unique_id) or {}
        name = node.get("name") or parts[-1]
        model = node.get("model") or (parts[2] if len(parts) > 3 else "?")
        return f"unit test {name} on {model}"
    node = manifest.get("nodes", {}).get(unique_id)
    if not node:
        return parts[2] if len(parts) > 2 else unique_id
    metadata = node.get("test_metadata")
    if not metadata:  # a singular test: its file name says what it checks
        return str(node.get("name") or parts[2])
    name = metadata.get("name") or "test"
    if metadata.get("namespace"):
        name = f"{metadata['namespace']}.{name}"
    kwargs = dict(metadata.get("kwargs") or {})
    model = _tested_relation(node.get("attached_node"), str(kwargs.pop("model", "")))
    column = kwargs.pop("column_name", None) or node.get("column_name")
    target = f"{model}.{column}" if column else model
    details = ", ".join(f"{key}={value}" for key, value in kwargs.items() if value is not None)
    if len(details) > LABEL_KWARGS_CHARS:
        details = details[: LABEL_KWARGS_CHARS - 3] + "..."
    return f"{name} on {target}" + (f" ({details})" if details else "")


def _tested_relation(attached_node: str | None, model_kwarg: str) -> str:
    """`stg_shop__orders` for a model's test, `shop.orders` for a source's."""
    if attached_node:
        return attached_node.split(".")[-1]
    found = re.search(r"(?:ref|source)\(([^)]*)\)", model_kwarg)
    if not found:
        return "?"
    return ".".join(part.strip().strip("'\"") for part in found.group(1).split(","))


def failure_reason(results: dict[str, Any], output_tail: list[str]) -> str:
    """One line for a failed dbt run: the first failing test, model or node, else the
    error in dbt's last lines of output."""
    for group, label in (("tests", "test"), ("models", "model"), ("other", "node")):
        for entry in results[group]:
            if entry["status"] in ("fail", "error"):
                message = " ".join(entry.get("message") or [])
                failures = entry.get("failures")
                rows = "row" if failures == 1 else "rows"
                what = f"{failures} failing {rows}" if failures else message
                name = entry.get("label") or entry["name"]
                if not name.startswith("unit test"):
                    name = f"{label} {name}"
                return f"{name} {entry['status']}" + (f": {what}" if what else "")
    errors = [
        line.split("  ", 1)[-1].strip()
        for line in output_tail
        if line.strip() and ("Error" in line or "error" in line)
    ]
    # the line after "Database Error"/"Compilation Error" usually holds the message
    for index, line in enumerate(output_tail):
        if "Error" in line and index + 1 < len(output_tail) and output_tail[index + 1].strip():
            message = output_tail[index + 1].strip()
            # a message that ends with ':' goes on (e.g. one line per unreadable raw file)
            if message.endswith(":") and index + 2 < len(output_tail):
                message += " " + output_tail[index + 2].strip()
            return (line.strip().split(" ", 1)[-1] + ": " + message)[:400]
    return errors[-1][:400] if errors else "see the run log"
