"""How a refresh, a rollback or a status ends: the exit codes schedulers read, and the
exceptions that carry them to the command line (see ``segwh.refresh.cli``)."""

from __future__ import annotations

import errno
from pathlib import Path

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


class RefreshFailed(Exception):
    """A check failed: nothing is published. Carries the exit code and a one-line reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class Interrupted(Exception):
    """SIGTERM or SIGINT arrived during a run: nothing is published."""


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
