"""Scheduled refresh of the warehouse: write, audit, publish.

    python -m segwh.refresh run      [--vars YAML] [--full-refresh] [--wait-seconds N] [--keep N]
                                     [--max-change F] [--freshness warn|fail|skip]
    python -m segwh.refresh rollback [--to VERSION]
    python -m segwh.refresh status

`run` (the default) builds the whole dbt project into a new file (a copy of the published
one, so that the segment history carries on) that has the published file's name, in a
private folder beside it; runs every dbt data test, not the unit tests (they test the code
on fixed inputs: `make test` and CI run them) (`--full-refresh`: rebuilds the incremental
tables from all raw rows, e.g. after old data was restated), checks source freshness
(raw_path / raw_schema modes), validates every published mart with the Great Expectations
suites in gx/expectations/, checks that every table and view answers from a read-only
connection, and only when everything passes renames the new file onto the published path
(atomic). The file it replaces is kept under versions/ (the last --keep). BI opens the
published path read-only and never sees a half-built warehouse; a reader that has the old
file open keeps reading it until it reconnects. Everything a refresh keeps is named after
the published file (<name>.lock, <name>.refresh-last.json, <name>.refresh-runs/), so
warehouses in one directory are refreshed independently.

After a publish, when the new file lists erased customers (staging.stg_shop__erasures),
every kept version that holds one of them is removed whole, and so is every export file
written from such a version (docs/refresh.md, "Erasure"); the summary says how many.

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
import errno
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from segwh.core.dbt import dbt_executable
from segwh.core.paths import REPO_ROOT, warehouse_path
from segwh.preflight import first_line
from segwh.refresh.lock import LockBusy
from segwh.refresh.outcome import (
    EXIT_ERROR,
    EXIT_LOCKED,
    Interrupted,
    RefreshFailed,
    describe_os_error,
)
from segwh.refresh.publish import execute_run, write_summary
from segwh.refresh.rollback import command_rollback
from segwh.refresh.run import Run
from segwh.refresh.status import command_status

DEFAULT_SUITES = REPO_ROOT / "gx" / "expectations"


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
    except LockBusy as error:
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
            code, reason = EXIT_ERROR, "unexpected error: " + first_line(error)
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
        default=warehouse_path(),
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
        "--project-dir", type=Path, default=REPO_ROOT, help="the dbt project (default: repo)"
    )
    run.add_argument(
        "--dbt",
        type=Path,
        default=dbt_executable(),
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
