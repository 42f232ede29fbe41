"""The scheduled refresh of the warehouse: write, audit, publish (`segwh-refresh`,
`python -m segwh.refresh`; the command line and its exit codes: ``segwh.refresh.cli``).

One module per job:

- ``cli``: the command line (run, rollback, status) and the exit code of each outcome;
- ``run``: one run's settings, log, stages and summary;
- ``lock``: one refresh of a warehouse at a time (``flock``);
- ``files``: where the refresh keeps its files (build files, kept versions, run folders)
  and how it writes them (durably, atomically);
- ``dbt_build``: `dbt build` and `dbt source freshness` on the build file;
- ``expectations``: the Great Expectations suites of gx/expectations/;
- ``audit``: every relation answers from a read-only connection;
- ``publish``: the run itself, from the lock to the rename onto the published path;
- ``rollback``, ``status``: the other two commands.

The names below are the package's interface for schedulers' wrappers and the tests.
"""

from segwh.refresh.cli import main
from segwh.refresh.expectations import classify_failures
from segwh.refresh.outcome import (
    EXIT_AUDIT_FAILED,
    EXIT_CHANGE_BAND,
    EXIT_DBT_FAILED,
    EXIT_ERROR,
    EXIT_EXPECTATION_FAILED,
    EXIT_LOCKED,
    EXIT_NO_VERSION,
    EXIT_OK,
    EXIT_STALE_SOURCES,
    EXIT_USAGE,
    RefreshFailed,
)
from segwh.refresh.publish import KEEP_RUNS, write_summary
from segwh.refresh.run import Run

__all__ = [
    "EXIT_AUDIT_FAILED",
    "EXIT_CHANGE_BAND",
    "EXIT_DBT_FAILED",
    "EXIT_ERROR",
    "EXIT_EXPECTATION_FAILED",
    "EXIT_LOCKED",
    "EXIT_NO_VERSION",
    "EXIT_OK",
    "EXIT_STALE_SOURCES",
    "EXIT_USAGE",
    "KEEP_RUNS",
    "RefreshFailed",
    "Run",
    "classify_failures",
    "main",
    "write_summary",
]
