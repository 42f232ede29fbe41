"""Scheduled refresh of the warehouse: write, audit, publish.

    python -m segwh.refresh run      [--vars YAML] [--full-refresh] [--wait-seconds N] [--keep N]
                                     [--max-change F] [--freshness warn|fail|skip]
    python -m segwh.refresh rollback [--to VERSION]
    python -m segwh.refresh status

`run` (the default) builds the whole dbt project into a new file (a copy of the published
one, so that the segment history carries on) that has the published file's name, in a
private folder beside it; runs every dbt test (`--full-refresh`: rebuilds the incremental
tables from all raw rows, e.g. after old data was restated), checks source freshness
(raw_path / raw_schema modes), validates every published mart with the Great Expectations
suites in gx/expectations/, checks that every table and view answers from a read-only
connection, and only when everything passes renames the new file onto the published path
(atomic). The file it replaces is kept under versions/ (the last --keep). BI opens the
published path read-only and never sees a half-built warehouse; a reader that has the old
file open keeps reading it until it reconnects. Everything a refresh keeps is named after
the published file (<name>.lock, <name>.refresh-last.json, <name>.refresh-runs/), so
warehouses in one directory are refreshed independently.

Exit codes (for schedulers):
    0  published (run) / rolled back (rollback) / status printed
    1  unexpected error (or interrupted by SIGTERM/SIGINT); nothing published
    2  bad usage
    3  another refresh holds the lock (after --wait-seconds); nothing done
    4  dbt build failed (a model, a hook or a dbt test); nothing published
    5  a Great Expectations expectation failed; nothing published
    6  only the row-count change band versus the previous publish failed; nothing published
    7  rollback: no kept version to roll back to
    8  --freshness fail and a source is past its error_after; nothing published
    9  a table or view of the new file (rollback: of the kept version) does not answer from
       a read-only connection; nothing published
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

import duckdb

from segwh import _refresh_files as files

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3
EXIT_DBT_FAILED = 4
EXIT_EXPECTATION_FAILED = 5
EXIT_CHANGE_BAND = 6
EXIT_NO_VERSION = 7
EXIT_STALE_SOURCES = 8
EXIT_AUDIT_FAILED = 9

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_SUITES = PROJECT_DIR / "gx" / "expectations"
PAUSE_ENV = "SEGWH_REFRESH_PAUSE_AT"  # test hook: "<stage>[,<stage>]" sleeps at a stage
STAGES = ("locked", "copied", "built", "validate", "validated", "audited", "publish", "published")
KEEP_RUNS = 20


class RefreshFailed(Exception):
    """A check failed: nothing is published. Carries the exit code and a one-line reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class Interrupted(Exception):
    pass


def _now() -> datetime:
    return datetime.now(UTC)


def new_version_id(moment: datetime) -> str:
    """Sortable id: UTC time to the millisecond, e.g. 20250701T031502123Z."""
    return moment.strftime("%Y%m%dT%H%M%S") + f"{moment.microsecond // 1000:03d}Z"


def default_published_path() -> Path:
    return Path(os.environ.get("DUCKDB_PATH") or PROJECT_DIR / "build" / "warehouse.duckdb")


# --- the run ------------------------------------------------------------------------------


@dataclass
class Run:
    published: Path
    vars_yaml: str | None
    keep: int
    max_change: float
    wait_seconds: float
    suites_dir: Path
    project_dir: Path
    dbt: Path
    freshness: str = "warn"
    full_refresh: bool = False
    started: datetime = field(default_factory=_now)
    summary: dict[str, Any] = field(default_factory=dict)
    log: TextIO | None = None
    build: Path | None = None
    dbt_process: subprocess.Popen[str] | None = None

    @property
    def run_id(self) -> str:
        return new_version_id(self.started)

    @property
    def layout(self) -> files.Layout:
        return files.Layout(self.published)

    @property
    def run_dir(self) -> Path:
        return self.layout.runs_dir / f"{self.run_id}-{os.getpid()}"

    def say(self, message: str) -> None:
        """A line on stdout and in the run log; a log or stdout that cannot be written (a
        full disk) is not a reason to stop, the summary and exit code still say it all."""
        line = f"{_now().strftime('%Y-%m-%dT%H:%M:%S')}Z [refresh {os.getpid()}] {message}"
        try:
            print(line, flush=True)
        except OSError:
            pass
        self.log_line(line)

    def log_line(self, line: str) -> None:
        if self.log is None:
            return
        try:
            self.log.write(line + "\n")
            self.log.flush()
        except OSError:
            log, self.log = self.log, None
            try:
                log.close()
            except OSError:
                pass

    def stage(self, name: str) -> None:
        self.summary.setdefault("stages", []).append(
            {"stage": name, "at": _now().isoformat(), "elapsed_s": self.elapsed()}
        )
        pauses = [s.strip() for s in os.environ.get(PAUSE_ENV, "").split(",") if s.strip()]
        if name in pauses:
            self.say(f"paused at stage {name} ({PAUSE_ENV})")
            while True:
                time.sleep(1)

    def elapsed(self) -> float:
        return round((_now() - self.started).total_seconds(), 3)


def _die_with_parent() -> None:
    """In the dbt child: get SIGKILL when the refresh dies, so no orphan keeps writing."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _dbt_env(run: Run) -> dict[str, str]:
    """The environment of a dbt child: the build file, its own spill directory."""
    assert run.build is not None
    spill = run.run_dir / "duckdb_tmp"
    spill.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "DUCKDB_PATH": str(run.build),
            "DUCKDB_TEMP_DIR": str(spill),
            "DBT_USE_COLORS": "false",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
    )
    env.setdefault("DBT_PROFILES_DIR", str(run.project_dir))
    env.pop(PAUSE_ENV, None)
    return env


def run_dbt_build(run: Run) -> dict[str, Any]:
    target, logs = run.run_dir / "target", run.run_dir / "logs"
    env = _dbt_env(run)
    command = [str(run.dbt), "build", "--target-path", str(target), "--log-path", str(logs)]
    if run.vars_yaml:
        command += ["--vars", run.vars_yaml]
    if run.full_refresh:
        command.append("--full-refresh")
    run.say("dbt build started: " + " ".join(command[1:]))
    started = time.monotonic()
    output_tail: list[str] = []
    process = subprocess.Popen(
        command,
        cwd=run.project_dir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    run.dbt_process = process
    assert process.stdout is not None
    for line in process.stdout:
        run.log_line("  dbt| " + line.rstrip("\n"))
        output_tail = (output_tail + [line.rstrip()])[-60:]
    code = process.wait()
    run.dbt_process = None
    seconds = round(time.monotonic() - started, 3)
    results = _read_run_results(target)
    summary = {"exit_code": code, "seconds": seconds, **results}
    run.summary["dbt"] = summary
    if code != 0:
        raise RefreshFailed(
            EXIT_DBT_FAILED, "dbt build failed: " + _dbt_reason(results, output_tail)
        )
    run.say(f"dbt build passed in {seconds:.1f} s ({len(results['tests'])} tests)")
    return summary


def raw_mode(vars_yaml: str | None) -> str:
    """'raw_path', 'raw_schema' or 'sample', from the --vars given to the refresh."""
    import yaml

    values = yaml.safe_load(vars_yaml) if vars_yaml else None
    values = values if isinstance(values, dict) else {}
    for mode in ("raw_path", "raw_schema"):
        if values.get(mode) is not None:
            return mode
    return "sample"


def check_source_freshness(run: Run) -> dict[str, Any]:
    """`dbt source freshness` on the build file (raw_path / raw_schema modes only).

    Stale sources are recorded; with --freshness fail a source past its error_after stops
    the refresh (exit 8), with warn they are only reported.
    """
    mode = raw_mode(run.vars_yaml)
    if run.freshness == "skip" or mode == "sample":
        why = "--freshness skip" if run.freshness == "skip" else "sample mode (seeds)"
        run.say(f"source freshness not checked: {why}")
        return {"checked": False, "reason": why}
    target, logs = run.run_dir / "freshness-target", run.run_dir / "freshness-logs"
    command = [str(run.dbt), "source", "freshness", "--target-path", str(target),
               "--log-path", str(logs), "--output", str(target / "sources.json")]
    if run.vars_yaml:
        command += ["--vars", run.vars_yaml]
    result = subprocess.run(command, cwd=run.project_dir, env=_dbt_env(run),
                            capture_output=True, text=True, check=False)
    for line in (result.stdout + result.stderr).splitlines():
        run.log_line("  dbt| " + line)
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
    summary = {"checked": True, "mode": run.freshness, "sources": statuses}
    run.summary["freshness"] = summary
    stale = sorted(name for name, item in statuses.items() if item["status"] != "pass")
    run.say("source freshness: " + (", ".join(
        f"{name} {statuses[name]['status']}" for name in stale) or "all fresh"))
    errors = [name for name in stale if statuses[name]["status"] != "warn"]
    if errors and run.freshness == "fail":
        raise RefreshFailed(EXIT_STALE_SOURCES, "stale sources (freshness error): "
                            + ", ".join(errors))
    return summary


def _read_run_results(target: Path) -> dict[str, Any]:
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


LABEL_KWARGS_CHARS = 120


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


def _dbt_reason(results: dict[str, Any], output_tail: list[str]) -> str:
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


def published_version(database: Path) -> str | None:
    """The version id recorded in a warehouse file by the refresh that published it."""
    if not database.exists():
        return None
    with duckdb.connect(str(database), read_only=True) as con:
        return _version_in(con)


def _version_in(con: duckdb.DuckDBPyConnection) -> str | None:
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'refresh' and table_name = 'publishes'"
    ).fetchone()[0]
    if not exists:
        return None
    return con.execute("select max(version) from refresh.publishes").fetchone()[0]


def record_publish(run: Run, version: str, row_counts: dict[str, int]) -> None:
    """Writes the version row into the build file, then checkpoints it for the rename."""
    assert run.build is not None
    with duckdb.connect(str(run.build)) as con:
        con.execute("create schema if not exists refresh")
        con.execute(
            "create table if not exists refresh.publishes ("
            " version varchar, published_at timestamp, as_of timestamp,"
            " run_id varchar, vars varchar, row_counts varchar)"
        )
        as_of = con.execute("select max(as_of) from marts.segment_summary").fetchone()[0]
        con.execute(
            "insert into refresh.publishes values (?, ?, ?, ?, ?, ?)",
            [
                version,
                _now().replace(tzinfo=None),
                as_of,
                f"{run.run_id}-{os.getpid()}",
                run.vars_yaml or "",
                json.dumps(row_counts, sort_keys=True),
            ],
        )
        con.execute("checkpoint")


def classify_failures(failed: list[Any], max_change: float) -> tuple[int, str] | None:
    """(exit code, one-line reason) for failed expectations; None when nothing failed.

    Any failure other than the change band gives 5 and names the first one; only
    change-band failures give 6.
    """
    from segwh._refresh_checks import CHANGE_BAND_CHECK

    if not failed:
        return None
    hard = [outcome for outcome in failed if outcome.check != CHANGE_BAND_CHECK]
    first = (hard or failed)[0]
    more = f" (+{len(failed) - 1} more)" if len(failed) > 1 else ""
    if hard:
        return EXIT_EXPECTATION_FAILED, f"expectation failed: {first.describe()}{more}"
    return (
        EXIT_CHANGE_BAND,
        f"change band ±{max_change:.0%} exceeded: {first.describe()}{more}",
    )


def execute_run(run: Run) -> int:
    from segwh import _refresh_checks as checks

    layout = run.layout
    lock = files.RefreshLock(layout.lock)
    run.summary.update(
        {
            "run_id": f"{run.run_id}-{os.getpid()}",
            "published_path": str(run.published),
            "started_at": run.started.isoformat(),
            "vars": run.vars_yaml,
            "full_refresh": run.full_refresh,
            "max_change": run.max_change,
            "keep": run.keep,
            "status": "running",
        }
    )
    suites = checks.load_suites(run.suites_dir)
    relations = [suite["name"] for suite in suites]
    lock.acquire(run.wait_seconds)
    try:
        run.run_dir.mkdir(parents=True, exist_ok=True)
        run.log = open(run.run_dir / "refresh.log", "a", encoding="utf-8")  # noqa: SIM115
        run.say(f"lock acquired: {lock.path}")
        removed = files.remove_stale_builds(layout, os.getpid())
        for name in removed:
            run.say(f"removed a dead refresh's build file {name}")
        run.summary["cleaned_up"] = removed
        files.prune_runs(layout.runs_dir, KEEP_RUNS, current=run.run_dir)
        run.stage("locked")

        run.build = layout.build_file(os.getpid(), run.run_id)
        run.build.parent.mkdir()
        previous_version: str | None = None
        previous_counts: dict[str, int] = {}
        if run.published.exists():
            files.copy_durably(run.published, run.build)
            with duckdb.connect(str(run.build), read_only=True) as con:
                previous_version = _version_in(con)
                previous_counts = checks.relation_row_counts(con, relations)
            run.say(f"build file {run.build} copied from {run.published.name}")
        else:
            run.say(f"no published warehouse yet: building {run.build} from scratch")
        run.summary["previous_version"] = previous_version
        run.summary["previous_row_counts"] = previous_counts
        run.stage("copied")

        run_dbt_build(run)
        run.stage("built")
        check_source_freshness(run)

        run.say(f"validating {len(suites)} expectation suites")
        outcomes = checks.validate(
            run.build,
            suites,
            previous_counts,
            run.max_change,
            on_relation=lambda relation: (
                run.stage("validate") if relation == relations[len(relations) // 2] else None
            ),
        )
        run.summary["expectations"] = checks.outcomes_as_json(outcomes)
        failed = [outcome for outcome in outcomes if not outcome.success]
        run.say(f"expectations: {len(outcomes) - len(failed)} passed, {len(failed)} failed")
        verdict = classify_failures(failed, run.max_change)
        if verdict is not None:
            raise RefreshFailed(*verdict)
        run.stage("validated")

        with duckdb.connect(str(run.build), read_only=True) as con:
            row_counts = checks.relation_row_counts(con, relations)
        run.summary["row_counts"] = row_counts
        version = new_version_id(_now())
        if previous_version and version <= previous_version:  # a clock that went back
            last = datetime.strptime(previous_version, "%Y%m%dT%H%M%S%fZ")
            version = new_version_id(last + timedelta(milliseconds=1))
        record_publish(run, version, row_counts)
        audit(run.build, "the new file", run.summary)
        run.say(f"audit: all {run.summary['audit']['relations']} tables and views answer "
                "from a read-only connection")
        run.stage("audited")
        kept = None
        if run.published.exists():
            kept_as = previous_version or "0" * 8 + "T" + "0" * 9 + "Z"
            kept = files.keep_version(run.published, kept_as)
        run.stage("publish")
        files.publish(run.build, run.published)
        run.build = None
        run.summary["version"] = version
        run.say(f"published version {version} at {run.published}")
        run.stage("published")
        pruned = files.prune_versions(run.published, run.keep)
        run.summary["kept_previous_as"] = str(kept) if kept else None
        run.summary["pruned_versions"] = pruned
        run.summary["status"] = "published"
        return EXIT_OK
    finally:
        process = run.dbt_process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        if run.build is not None:
            files.remove_build(run.build)
        if run.run_dir.exists():  # DuckDB's spill files are of no use after the run
            shutil.rmtree(run.run_dir / "duckdb_tmp", ignore_errors=True)
        lock.release()


def audit(database: Path, what: str, summary: dict[str, Any] | None = None) -> None:
    """Every table and view of `database` must answer from a fresh read-only connection,
    as BI will open it (a view naming a catalog the file does not have does not)."""
    from segwh._refresh_checks import unanswered_relations

    checked, failures = unanswered_relations(database)
    if summary is not None:
        summary["audit"] = {"relations": checked, "failures": failures}
    if failures:
        more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
        raise RefreshFailed(
            EXIT_AUDIT_FAILED,
            f"audit failed: {what} does not answer from a read-only connection: "
            f"{failures[0]}{more}",
        )


def write_summary(run: Run, code: int, reason: str | None) -> str | None:
    """Writes the run's summary.json and <name>.refresh-last.json, each whole or not at
    all. Returns None, or one line saying which could not be written (a full disk): that
    file then keeps its previous, complete content."""
    run.summary.update(
        {
            "exit_code": code,
            "reason": reason,
            "finished_at": _now().isoformat(),
            "seconds": run.elapsed(),
        }
    )
    if code != EXIT_OK:
        run.summary["status"] = "failed" if code != EXIT_LOCKED else "locked"
    text = json.dumps(run.summary, indent=2, default=str) + "\n"
    targets = [run.run_dir / "summary.json"] if run.run_dir.exists() else []
    targets.append(run.layout.last_summary)
    problems = []
    for path in targets:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            files.write_atomically(path, text)
        except OSError as error:
            problems.append(f"{path} ({error.strerror or error})")
    if not problems:
        return None
    return "the run summary could not be written to " + ", ".join(problems) + \
        ": the previous summary is kept"


def describe_os_error(error: OSError, directory: Path) -> str:
    """One line for an OSError of a run or a rollback (a full disk above all)."""
    target = getattr(error, "filename2", None) or error.filename
    where = f" writing {target}" if target else ""
    if error.errno == errno.ENOSPC:
        return (
            f"no space left on device{where}: free space in {directory} (a refresh needs "
            "room for a copy of the warehouse, dbt's spill files and its run folder); "
            "nothing published"
        )
    return f"{error.strerror or error}{where}; nothing published"


def command_run(args: argparse.Namespace) -> int:
    run = Run(
        published=args.published.resolve(),
        vars_yaml=args.vars,
        keep=args.keep,
        max_change=args.max_change,
        freshness=args.freshness,
        full_refresh=args.full_refresh,
        wait_seconds=args.wait_seconds,
        suites_dir=args.expectations.resolve(),
        project_dir=args.project_dir.resolve(),
        dbt=args.dbt,
    )

    def interrupt(signum: int, _frame: object) -> None:
        raise Interrupted(f"interrupted by signal {signal.Signals(signum).name}")

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)
    reason: str | None = None
    try:
        code = execute_run(run)
    except files.LockBusy as error:
        code, reason = EXIT_LOCKED, str(error)
    except RefreshFailed as error:
        code, reason = error.code, error.reason
    except Interrupted as error:
        code, reason = EXIT_ERROR, f"{error}; nothing published"
    except OSError as error:
        code, reason = EXIT_ERROR, describe_os_error(error, run.published.parent)
    except duckdb.Error as error:
        if "No space left on device" in str(error):
            full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            code, reason = EXIT_ERROR, describe_os_error(full, run.published.parent)
        else:
            code, reason = EXIT_ERROR, "unexpected error: " + _first_line(error)
    except Exception as error:  # noqa: BLE001 - a scheduler needs one line and an exit code
        code, reason = EXIT_ERROR, f"unexpected error: {type(error).__name__}: {error}"
    problem = write_summary(run, code, reason)
    if reason:
        run.say(f"FAILED (exit {code}): {reason}")
    if problem:
        run.say(problem)
    else:
        run.say(f"summary: {run.layout.last_summary}")
    if run.log is not None:
        run.log.close()
    line = None
    if reason:
        line = f"refresh failed (exit {code}): {reason}" + (f" ({problem})" if problem else "")
    elif problem:
        line = f"refresh published, but {problem}"
    if line:
        try:
            print(line, file=sys.stderr, flush=True)
        except OSError:
            pass
    return code


def _first_line(error: BaseException) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


# --- rollback and status ------------------------------------------------------------------


def command_rollback(args: argparse.Namespace) -> int:
    published = args.published.resolve()
    layout = files.Layout(published)
    lock = files.RefreshLock(layout.lock)
    try:
        lock.acquire(args.wait_seconds)
        try:
            return _rollback(args, layout)
        finally:
            lock.release()
    except files.LockBusy as error:
        code, reason = EXIT_LOCKED, str(error)
    except RefreshFailed as error:
        code, reason = error.code, error.reason
    except OSError as error:
        code, reason = EXIT_ERROR, describe_os_error(error, published.parent)
    except duckdb.Error as error:
        code, reason = EXIT_ERROR, "unexpected error: " + _first_line(error)
    print(f"rollback failed (exit {code}): {reason}", file=sys.stderr)
    return code


def _rollback(args: argparse.Namespace, layout: files.Layout) -> int:
    published = layout.published
    files.remove_stale_builds(layout, os.getpid())
    current = published_version(published)
    versions = [v for v in files.list_versions(published) if v != current]
    if args.to:
        if args.to not in versions:
            raise RefreshFailed(
                EXIT_NO_VERSION,
                f"no kept version {args.to} (kept: {', '.join(versions) or 'none'})",
            )
        target = args.to
    else:
        older = [v for v in versions if current is None or v < current]
        if not older:
            raise RefreshFailed(
                EXIT_NO_VERSION,
                f"no kept version older than {current or 'the published file'}",
            )
        target = older[-1]
    build = layout.build_file(os.getpid(), new_version_id(_now()))
    build.parent.mkdir()
    try:
        files.copy_durably(files.version_file(published, target), build)
        try:
            audit(build, f"kept version {target}")
        except RefreshFailed as error:
            raise RefreshFailed(
                error.code,
                f"{error.reason}; nothing changed: roll back to another version (--to, see "
                "`status`) or run a refresh",
            ) from None
        if current is not None:
            files.keep_version(published, current)
        files.publish(build, published)
    finally:
        files.remove_build(build)
    print(f"rolled back {published} from version {current} to {target}")
    return EXIT_OK


def command_status(args: argparse.Namespace) -> int:
    published = args.published.resolve()
    layout = files.Layout(published)
    running = files.lock_is_held(layout.lock)
    holder = files.read_lock_holder(layout.lock)
    status: dict[str, Any] = {
        "published_path": str(published),
        "exists": published.exists(),
        "version": published_version(published) if published.exists() else None,
        "kept_versions": files.list_versions(published),
        "refresh_running": running,
        "lock_holder_pid": holder if running else None,
    }
    finished = None
    if layout.last_summary.exists():
        try:
            summary = json.loads(layout.last_summary.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            summary = {"status": "unknown", "reason": f"unreadable {layout.last_summary}: {error}"}
        finished = {
            key: summary.get(key)
            for key in ("run_id", "status", "exit_code", "reason", "version", "finished_at")
        }
    if not running and holder is not None:
        # the lock file still names a holder that no longer holds it: that process ended
        # without releasing it (SIGKILL, out of memory, power cut)
        run_dir = files.run_dir_of(layout.runs_dir, holder)
        status["last_run"] = {
            "status": "died",
            "pid": holder,
            "reason": f"the refresh (or rollback) with pid {holder} ended without finishing "
            "(killed, out of memory or a reboot): nothing was published by it; the next "
            "refresh removes its build files",
            "log": str(run_dir / "refresh.log") if run_dir else None,
        }
        status["last_finished_run"] = finished
    elif finished is not None:
        status["last_run"] = finished
    print(json.dumps(status, indent=2))
    return EXIT_OK


# --- command line -------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="segwh-refresh",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--published",
        type=Path,
        default=default_published_path(),
        help="the published warehouse file BI reads (default: $DUCKDB_PATH or "
        "build/warehouse.duckdb)",
    )
    common.add_argument(
        "--wait-seconds",
        type=float,
        default=0.0,
        help="wait up to this long for another refresh to finish (default 0: exit 3 at once)",
    )
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser(
        "run", parents=[common], help="build, test, validate and publish (the default)"
    )
    run.add_argument("--vars", help="dbt --vars (YAML), e.g. '{raw_path: /data/shop}'")
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="pass --full-refresh to dbt build: the incremental tables are rebuilt from "
        "every raw row (weekly, or after old raw data was restated); the segment history "
        "(history.segment_membership_changes, never rebuilt) carries on",
    )
    run.add_argument(
        "--keep", type=int, default=5, help="previous published versions to keep (default 5)"
    )
    run.add_argument(
        "--max-change",
        type=float,
        default=0.5,
        help="allowed relative change of each mart's row count versus the previous publish "
        "(default 0.5 = ±50%%)",
    )
    run.add_argument(
        "--freshness",
        choices=["warn", "fail", "skip"],
        default="warn",
        help="source freshness (raw_path/raw_schema modes): warn = report stale sources, "
        "fail = a source past its error_after stops the refresh (exit 8), skip (default warn)",
    )
    run.add_argument(
        "--expectations",
        type=Path,
        default=DEFAULT_SUITES,
        help="directory of Great Expectations suites (default gx/expectations)",
    )
    run.add_argument(
        "--project-dir", type=Path, default=PROJECT_DIR, help="the dbt project (default: repo)"
    )
    run.add_argument(
        "--dbt",
        type=Path,
        default=Path(sys.executable).parent / "dbt",
        help="the dbt executable (default: next to this Python)",
    )
    rollback = sub.add_parser(
        "rollback", parents=[common], help="publish a kept version again (default: the previous)"
    )
    rollback.add_argument("--to", help="the version id to restore (see `status`)")
    sub.add_parser("status", parents=[common], help="published version, kept versions, last run")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("run", "rollback", "status", "-h", "--help"):
        argv = ["run", *argv]
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "run":
        if args.keep < 1 or not 0 <= args.max_change:
            parser.error("--keep must be >= 1 and --max-change >= 0")
        if not args.expectations.is_dir():
            parser.error(f"--expectations {args.expectations} is not a directory")
        return command_run(args)
    if args.command == "rollback":
        return command_rollback(args)
    return command_status(args)


if __name__ == "__main__":
    sys.exit(main())
