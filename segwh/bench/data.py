"""The generated data a bench runs on (cached per size, seed and layout), and how SQL reads it.

Two copies of the same shop (same seed): ``<root>/<N>`` as full exports (one parquet file
per table) and ``<root>/<N>-deliveries`` as a loader delivers it (a folder of one file per
day for each event table, a few tombstones and erasures; segwh.generate.layouts).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from segwh.core.paths import REPO_ROOT

RAW_TABLES = ("customers", "orders", "order_items", "products", "sessions", "carts")
# the generator's arguments per layout (besides size and seed): what the deliveries carry
LAYOUT_ARGS = {"export": [],
               "deliveries": ["--layout", "deliveries", "--tombstone-rate", "0.001",
                              "--erasures", "10"]}


def data_dir(args: argparse.Namespace, layout: str = "export") -> Path:
    name = str(args.customers) if args.seed == 42 else f"{args.customers}-seed{args.seed}"
    return args.data_root / (name if layout == "export" else f"{name}-{layout}")


def ensure_data(args: argparse.Namespace, layout: str = "export"
                ) -> tuple[Path, dict[str, Any], float | None]:
    """The generated data for these args, generated only when not cached; returns the
    directory, its manifest and the seconds generating took (None when cached)."""
    directory = data_dir(args, layout)
    manifest_path = directory / "generator_manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        arguments = manifest["arguments"]
        if (arguments["customers"] == args.customers and arguments["seed"] == args.seed
                and arguments["format"] == "parquet"
                and arguments.get("layout", "export") == layout):
            return directory, manifest, None
    shutil.rmtree(directory, ignore_errors=True)
    start = time.perf_counter()
    command = [sys.executable, "-m", "segwh.generate", "--customers", str(args.customers),
               "--seed", str(args.seed), "--format", "parquet", "--out", str(directory),
               *LAYOUT_ARGS[layout]]
    subprocess.run(command, cwd=REPO_ROOT, check=True)
    return directory, json.loads(manifest_path.read_text()), time.perf_counter() - start


def raw_source(directory: Path, table: str) -> str:
    """The SQL that reads one raw table of `directory`: its parquet file, or every file of
    its folder (columns matched by name: only some deliveries carry `_deleted`)."""
    folder = directory / table
    if folder.is_dir():
        return f"read_parquet('{folder}/*.parquet', union_by_name = true)"
    return f"read_parquet('{directory / (table + '.parquet')}')"


def scratch(directory: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for preparing data beside `directory`, in bounded memory (it
    spills to `<data root>/.duckdb_tmp`), so that 10M customers fit on a shared machine."""
    con = duckdb.connect()
    for key, value in (("memory_limit", "2GB"), ("preserve_insertion_order", "false"),
                       ("temp_directory", str(directory.parent / ".duckdb_tmp"))):
        con.execute(f"set {key} = '{value}'")
    return con


def column_names(con: duckdb.DuckDBPyConnection, source: str) -> list[str]:
    return [c[0] for c in con.execute(f"describe select * from {source}").fetchall()]


def link_tree(source: Path, target: Path, skip: set[str]) -> None:
    """`target` gets every file of `source` (hard links, so size and modification time are
    the source's: a refresh sees them unchanged), but the top-level names in `skip`."""
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if relative.parts[0] in skip or path.is_dir():
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target / relative)
        except OSError:  # another file system: a copy with the same modification time
            shutil.copy2(path, target / relative)
