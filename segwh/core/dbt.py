"""How every part of segwh (refresh, bench, tests) runs dbt: one environment, one command line."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from segwh.core.paths import REPO_ROOT


def dbt_executable() -> Path:
    """The dbt of the running interpreter's environment (the project's .venv)."""
    return Path(sys.executable).parent / "dbt"


def dbt_env(
    duckdb_path: Path | str,
    temp_dir: Path | str | None = None,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a dbt child process building `duckdb_path`.

    `temp_dir` is DuckDB's spill directory (created). The child loads this checkout's
    segwh (its DuckDB plugin) and never inherits a DBT_TARGET meant for another run.
    """
    env = dict(os.environ)
    env.update(
        {
            "DBT_PROFILES_DIR": env.get("DBT_PROFILES_DIR") or str(REPO_ROOT),
            "DUCKDB_PATH": str(duckdb_path),
            "DBT_USE_COLORS": "false",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
        }
    )
    if temp_dir is not None:
        Path(temp_dir).mkdir(parents=True, exist_ok=True)
        env["DUCKDB_TEMP_DIR"] = str(temp_dir)
    env.pop("DBT_TARGET", None)
    env.update(extra or {})
    return env


def dbt_command(args: list[str], target_path: Path | str, log_path: Path | str) -> list[str]:
    """`dbt <args>` with its artifacts and logs kept apart from other runs."""
    return [str(dbt_executable()), *args, "--target-path", str(target_path),
            "--log-path", str(log_path)]
