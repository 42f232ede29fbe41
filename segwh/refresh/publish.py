"""Write, audit, publish: one refresh run from the lock to the rename onto the published
path (the command line is ``segwh.refresh.cli``)."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from segwh.core.versions import UNVERSIONED, rewrite_ledger, version_in
from segwh.refresh import erasure, expectations, files
from segwh.refresh.audit import audit, relation_row_counts
from segwh.refresh.dbt_build import check_source_freshness, run_dbt_build
from segwh.refresh.lock import RefreshLock
from segwh.refresh.outcome import EXIT_LOCKED, EXIT_OK, RefreshFailed
from segwh.refresh.run import Run, new_version_id, now

KEEP_RUNS = 20


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
                now().replace(tzinfo=None),
                as_of,
                f"{run.run_id}-{os.getpid()}",
                run.vars_yaml or "",
                json.dumps(row_counts, sort_keys=True),
            ],
        )
        con.execute("checkpoint")


def execute_run(run: Run) -> int:
    layout = run.layout
    lock = RefreshLock(layout.lock)
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
    suites = expectations.load_suites(run.suites_dir)
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
                previous_version = version_in(con)
                previous_counts = relation_row_counts(con, relations)
            run.say(f"build file {run.build} copied from {run.published.name}")
        else:
            run.say(f"no published warehouse yet: building {run.build} from scratch")
        run.summary["previous_version"] = previous_version
        run.summary["previous_row_counts"] = previous_counts
        run.stage("copied")

        # Great Expectations is imported while dbt builds the models (the refresh only
        # waits then), not while dbt parses or checks the raw data in its hooks
        run_dbt_build(run, on_nodes_start=expectations.preload)
        run.stage("built")
        check_source_freshness(run)

        run.say(f"validating {len(suites)} expectation suites")
        outcomes = expectations.validate(
            run.build,
            suites,
            previous_counts,
            run.max_change,
            on_relation=lambda relation: (
                run.stage("validate") if relation == relations[len(relations) // 2] else None
            ),
        )
        run.summary["expectations"] = expectations.outcomes_as_json(outcomes)
        failed = [outcome for outcome in outcomes if not outcome.success]
        run.say(f"expectations: {len(outcomes) - len(failed)} passed, {len(failed)} failed")
        verdict = expectations.classify_failures(failed, run.max_change)
        if verdict is not None:
            raise RefreshFailed(*verdict)
        run.stage("validated")

        with duckdb.connect(str(run.build), read_only=True) as con:
            row_counts = relation_row_counts(con, relations)
        run.summary["row_counts"] = row_counts
        version = new_version_id(now())
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
            kept_as = previous_version or UNVERSIONED
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
        erased = erasure.erase_from_kept_versions(run.published)
        run.summary["erasure"] = erased.as_json()
        if erased.erased_customers:
            run.say(erased.line())
        # one line per export file that still exists: the ledger does not grow with time
        rewrite_ledger(run.published, lambda entry: Path(entry["file"]).exists())
        run.summary["status"] = "published"
        return EXIT_OK
    finally:
        process = run.dbt_process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        if run.build is not None:
            files.remove_build(run.build)
        # DuckDB's spill files are of no use after the run; the link named a build folder
        # that is gone (published or removed); dbt's parse state stays for the next run
        layout.dbt_state.clean_up()
        lock.release()


def write_summary(run: Run, code: int, reason: str | None) -> str | None:
    """Writes the run's summary.json and <name>.refresh-last.json, each whole or not at
    all. Returns None, or one line saying which could not be written (a full disk): that
    file then keeps its previous, complete content."""
    run.summary.update(
        {
            "exit_code": code,
            "reason": reason,
            "finished_at": now().isoformat(),
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
