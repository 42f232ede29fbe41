"""The generated data a bench runs on (cached per size and seed), and how SQL reads it."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from segwh.core.paths import REPO_ROOT

RAW_TABLES = ("customers", "orders", "order_items", "products", "sessions", "carts")


def data_dir(args: argparse.Namespace) -> Path:
    name = str(args.customers) if args.seed == 42 else f"{args.customers}-seed{args.seed}"
    return args.data_root / name


def ensure_data(args: argparse.Namespace) -> tuple[Path, dict[str, Any], float | None]:
    """The generated data for these args, generated only when not cached."""
    directory = data_dir(args)
    manifest_path = directory / "generator_manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if (manifest["arguments"]["customers"] == args.customers
                and manifest["arguments"]["seed"] == args.seed
                and manifest["arguments"]["format"] == "parquet"):
            return directory, manifest, None
    shutil.rmtree(directory, ignore_errors=True)
    start = time.perf_counter()
    command = [sys.executable, "-m", "segwh.generate", "--customers", str(args.customers),
               "--seed", str(args.seed), "--format", "parquet", "--out", str(directory)]
    subprocess.run(command, cwd=REPO_ROOT, check=True)
    return directory, json.loads(manifest_path.read_text()), time.perf_counter() - start


def raw_source(directory: Path, table: str) -> str:
    """The SQL that reads one raw parquet file of `directory`."""
    return f"read_parquet('{directory / (table + '.parquet')}')"


def column_names(con: duckdb.DuckDBPyConnection, source: str) -> list[str]:
    return [c[0] for c in con.execute(f"describe select * from {source}").fetchall()]
