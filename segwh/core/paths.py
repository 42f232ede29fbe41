"""Where the project and its default warehouse file are: declared here, read everywhere."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# the warehouse file `make build` writes when $DUCKDB_PATH is not set (profiles.yml says the same)
DEFAULT_WAREHOUSE = REPO_ROOT / "build" / "warehouse.duckdb"


def warehouse_path() -> Path:
    """The warehouse file a command works on: $DUCKDB_PATH, else the default."""
    return Path(os.environ.get("DUCKDB_PATH") or DEFAULT_WAREHOUSE)
