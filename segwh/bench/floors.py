"""What the same data costs without dbt: the engine, scan and write floors."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import duckdb

from segwh.bench.data import RAW_TABLES, column_names, raw_source
from segwh.bench.dbt_step import run_dbt
from segwh.bench.measure import PeakMemory, remove_database


def duckdb_settings(args: argparse.Namespace) -> dict[str, str]:
    """The DuckDB settings dbt uses (profiles.yml), for the floors."""
    return {
        # no `threads`: DuckDB's default (every core), as in the dbt profile
        "memory_limit": args.memory_limit,
        "temp_directory": str(args.work / "duckdb_tmp"),
        "TimeZone": "UTC",
        "preserve_insertion_order": "false",
        "force_compression": os.environ.get("DUCKDB_FORCE_COMPRESSION", "auto"),
    }


def connect(path: Path | str, args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    for key, value in duckdb_settings(args).items():
        con.execute(f"set {key} = '{value}'")
    return con


def engine_floor(args: argparse.Namespace, run: dict[str, Any], dbt_db: Path,
                 raw_dir: Path) -> dict[str, Any]:
    """Every SQL model's compiled SQL of the dbt run, in run order, in one plain connection.

    The file has the same name as dbt's (compiled SQL names its catalog) in another
    directory. Not timed: the raw inputs are exposed there by the project's own hook
    (`dbt run-operation prepare_raw_inputs`: the built file keeps no raw_input schema),
    and the seeds and the Python models' tables (not SQL) are copied from dbt's warehouse.
    """
    target = Path(run["target"])
    manifest = json.loads((target / "manifest.json").read_text())
    results = json.loads((target / "run_results.json").read_text())["results"]
    order = sorted((r for r in results if r["unique_id"].startswith("model.")),
                   key=lambda r: r["timing"][0]["started_at"] if r["timing"] else "")
    floor_dir = args.work / "floor"
    shutil.rmtree(floor_dir, ignore_errors=True)
    floor_dir.mkdir(parents=True)
    path = floor_dir / dbt_db.name
    inputs = run_dbt(args, "floor-inputs", ["run-operation", "prepare_raw_inputs"], path, raw_dir)
    if inputs["exit"] != 0:
        return {**inputs, "error": "the raw inputs: " + inputs.get("error", "")}
    con = connect(path, args)
    con.execute(f"attach '{dbt_db}' as dbt_wh (read_only)")
    copied = [node for node in manifest["nodes"].values()
              if node["resource_type"] == "seed" and node["config"].get("enabled", True)
              or node["resource_type"] == "model" and node.get("language") == "python"]
    for node in copied:
        con.execute(f'create schema if not exists "{node["schema"]}"')
        con.execute(f'create table "{node["schema"]}"."{node["alias"]}" as '
                    f'select * from dbt_wh."{node["schema"]}"."{node["alias"]}"')
    con.execute("detach dbt_wh")
    order = [r for r in order if manifest["nodes"][r["unique_id"]].get("language") != "python"]
    statements = []
    for result in order:
        node = manifest["nodes"][result["unique_id"]]
        relation = f'"{node["schema"]}"."{node["alias"]}"'
        kind = "view" if node["config"]["materialized"] == "view" else "table"
        statements.append((node["name"], node["schema"],
                           f"create or replace {kind} {relation} as (\n{node['compiled_code']}\n)"))
    start = time.perf_counter()
    memory = PeakMemory(os.getpid())
    per_model = {}
    for model, schema, sql in statements:
        con.execute(f'create schema if not exists "{schema}"')
        t0 = time.perf_counter()
        con.execute(sql)
        per_model[model] = round(time.perf_counter() - t0, 2)
    con.execute("checkpoint")
    seconds = time.perf_counter() - start
    peak = memory.stop()
    con.close()
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak / 2**20), "models": per_model}


def scan_floor(args: argparse.Namespace, raw_dir: Path) -> dict[str, Any]:
    con = connect(":memory:", args)
    start = time.perf_counter()
    rows = {}
    for table in RAW_TABLES:
        source = raw_source(raw_dir, table)
        columns = column_names(con, source)
        aggregates = ", ".join(f'max("{c}")' for c in columns)
        rows[table] = con.execute(f"select count(*), {aggregates} from {source}").fetchone()[0]
    seconds = time.perf_counter() - start
    con.close()
    return {"seconds": round(seconds, 2), "rows": rows}


def write_expression(column: str, data_type: str) -> str:
    if data_type.upper().startswith("DECIMAL"):
        # the narrow cast first, as parse_decimal does (DuckDB casts text to a 128-bit
        # decimal ~60x slower than to a 64-bit one)
        return (f'coalesce(cast(try_cast("{column}" as decimal(18, 6)) as {data_type}), '
                f'try_cast("{column}" as {data_type})) as "{column}"')
    return f'try_cast("{column}" as {data_type}) as "{column}"'


def write_floor(args: argparse.Namespace, raw_dir: Path, dbt_db: Path) -> dict[str, Any]:
    """Every raw row written once, with the column types of dbt's clean tables (stg_shop__*)."""
    with duckdb.connect(str(dbt_db), read_only=True) as con:
        types: dict[str, dict[str, str]] = {}
        for table, column, data_type in con.execute(
                "select table_name, column_name, data_type from information_schema.columns "
                "where starts_with(table_name, 'stg_shop__')").fetchall():
            raw = table.removeprefix("stg_shop__").removesuffix("_checked")
            types.setdefault(raw, {})[column] = data_type
    path = args.work / "write_floor.duckdb"
    remove_database(path)
    con = connect(path, args)
    start = time.perf_counter()
    memory = PeakMemory(os.getpid())
    per_table = {}
    for table in RAW_TABLES:
        source = raw_source(raw_dir, table)
        columns = column_names(con, source)
        casts = ", ".join(write_expression(c, types.get(table, {}).get(c, "VARCHAR"))
                          for c in columns)
        t0 = time.perf_counter()
        con.execute(f'create table "{table}" as select {casts} from {source}')
        con.execute("checkpoint")
        per_table[table] = round(time.perf_counter() - t0, 2)
    seconds = time.perf_counter() - start
    peak = memory.stop()
    con.close()
    remove_database(path)
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak / 2**20),
            "tables": per_table}
