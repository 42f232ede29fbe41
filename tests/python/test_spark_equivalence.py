"""The same models on Spark (a cluster, through its Thrift Server) give the same results
as on DuckDB, and a Spark cluster cannot lose rows silently.

Builds the bundled sample, written as Parquet files (raw_path mode; a file:// URI on
Spark), with a plain `dbt build` on DuckDB and with `dbt build --target spark_thrift`
against the session's local cluster (fixture `spark_cluster`: standalone master, one
worker, Thrift Server; what runs on Spark: below). Both engines then run a second refresh
with other segment vars, so the segment history holds entries, exits and transitions, and
with a re-export of the customers without one of them, whom both histories must forget.
Then every table of every schema Spark writes is compared row by row: keys equal, amounts
within a cent, flags and texts equal, timestamps equal; the history's refresh times (when
each build ran) as the refresh's ordinal. Spark's tables are read straight from their
parquet files in the cluster's warehouse with DuckDB.

The session target (`make spark-build`, local pyspark) runs the same SQL in-process; it is
not built here (one Spark build per test run keeps `make test` within its budget).

What runs on Spark: every seed and model, every unit test, every data test the project
wrote (the generic tests of tests/generic/ and the singular tests of tests/singular/), and
dbt's own generic tests (not_null, unique, accepted_values, relationships) on the views
and on whatever the comparison does not cover. dbt's own generic tests on a table the
comparison covers are left out on Spark (test_what_ran_on_spark checks the split): their
SQL is dbt's, not ours; the DuckDB build of this module runs them and they pass; and
the comparison proves the Spark table holds the same rows, column by column, as the
DuckDB table they passed on, so on Spark they would give the same answer. A Spark-only
defect they could catch (a null, a duplicate key, a value outside the list, an orphan)
is a difference the comparison reports. Left out: 179 queries, a seventh of the Spark
build's node time (docs/development.md).

Both engines build as a shop in São Paulo (var shop_timezone America/Sao_Paulo: zone-less
timestamps, as_of and calendar days on the shop's clock) with dated rates (the unit tests
run too and keep their own zone, macro shop_timezone): the project is laid out again in a
temporary folder (links to the repository's files) whose currency_rates seed gives EUR,
GBP and BRL a second rate from a date inside the sample.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import (
    REPO_ROOT,
    SPARK_LOST_SCHEMA,
    output_of,
    output_tail,
    run_dbt,
)

from segwh.core import dbt as core_dbt
from segwh.spark_cluster import Cluster

# The bundled sample is itself a raw_path directory; fall back to the small fixture.
SAMPLE_DIR = REPO_ROOT / "seeds" / "sample"
RAW_DIR = SAMPLE_DIR if (SAMPLE_DIR / "customers.csv").exists() else (
    REPO_ROOT / "tests" / "fixtures" / "small-dirty" / "raw"
)
# Every schema Spark writes tables into (the views, which DuckDB cannot read from Spark's
# warehouse, are not compared; their data tests run on Spark)
SCHEMAS = ("staging", "intermediate", "quarantine", "reference", "semantic", "segments",
           "marts", "history")
SHOP_VARS = {"shop_timezone": "America/Sao_Paulo"}
PROJECT_ENTRIES = (
    "dbt_project.yml", "profiles.yml", "models", "macros", "snapshots", "tests", "analyses",
)
# a second rate from a day inside the sample's orders (2022-2025), in the shop's zone
DATED_RATES = [("EUR", "2024-07-01", "1.05"), ("GBP", "2025-01-01", "1.30"),
               ("BRL", "2024-01-01", "0.20")]
# Columns that hold when a build ran: compared as the refresh's ordinal (1 = first build).
REFRESH_TIME_COLUMNS = {
    ("marts", "segment_membership_history"): ("valid_from", "valid_to"),
    ("marts", "segment_transitions"): ("refreshed_at",),
    ("history", "segment_membership_changes"): ("refreshed_at",),
}
# The CLV fit is a dbt Python model, DuckDB-only (docs/lifetime-value.md): no relation on
# Spark.
DUCKDB_ONLY = {("marts", "clv_model_fit"), ("intermediate", "int_clv_models_fitted"),
               ("intermediate", "int_customers_clv_predicted")}
# Lifetime value is DuckDB-only: on Spark the predictions are null (clv_null_reason
# 'clv_duckdb_only'), nobody is at risk and the at-risk segment is empty. These columns, that
# segment and the rows it gives (its summary row, its history rows, the transitions of the
# customers ever in it) are left out of the comparison and checked on their own
# (test_clv_is_duckdb_only_on_spark_and_says_so); the model inputs (repeat_purchase_days,
# repeat_recency_days, days_since_first_purchase, mean_repeat_order_value) are compared.
CLV_PREDICTIONS = ("expected_orders_next_horizon", "probability_alive", "expected_order_value",
                   "predicted_clv", "predicted_value_lost", "predicted_spend_tier",
                   "clv_null_reason", "is_at_risk_high_value")
CLV_SEGMENT = "at_risk_high_value"
# The lineage of a raw row (docs/data-path.md): the file it came from (a path on DuckDB, a
# file:// URI on Spark), the engine's own hash of the row, when it was loaded
LINEAGE = ("_source", "_fingerprint", "_loaded_at")
# the customer grain's refresh state (customer_grain_state): run markers, and a hash of the
# context as each engine prints it (docs/data-path.md "The customer grain")
REFRESH_STATE = ("_loaded_at", "_refresh_context", "_refresh_sources", "_refresh_as_of")
# Columns not compared: dbt's invocation id of each build (differs by nature), the CLV
# predictions, the raw rows' lineage and the customer grain's refresh state
NOT_COMPARED = {("history", "segment_membership_changes"): ("refresh_id",),
                ("marts", "customer_profile"): CLV_PREDICTIONS,
                ("intermediate", "int_customers_valued"): CLV_PREDICTIONS,
                ("intermediate", "int_customers_segmented"): CLV_PREDICTIONS,
                ("intermediate", "int_customers_category_spend"): REFRESH_STATE,
                ("intermediate", "int_customers_sessions"): REFRESH_STATE,
                **{("staging", f"base_shop__{table}"): LINEAGE
                   for table in ("customers", "orders", "order_items", "products", "sessions",
                                 "carts")}}
# Relations not compared: the at-risk segment (CLV), and the raw sources' description (the
# files as each engine lists them: their names, sizes, times)
NOT_COMPARED_RELATIONS = {("segments", CLV_SEGMENT), ("staging", "stg_shop__raw_sources")}
# dbt's own generic tests: SQL of dbt's, left out on Spark on a table the comparison covers
DBT_GENERIC_TESTS = ("not_null", "unique", "accepted_values", "relationships")
# Rows compared (a condition read in the DuckDB warehouse, for both engines' rows)
ROWS_COMPARED = {
    ("marts", "segment_summary"): f"segment <> '{CLV_SEGMENT}'",
    ("history", "segment_membership_changes"): f"segment <> '{CLV_SEGMENT}'",
    ("marts", "segment_membership_history"): f"segment <> '{CLV_SEGMENT}'",
    # a move into or out of the at-risk segment pairs its other side differently on Spark
    ("marts", "segment_transitions"): (
        "customer_id not in (select customer_id from history.segment_membership_changes "
        f"where segment = '{CLV_SEGMENT}')"),
}
# The second refresh: more VIPs, fewer loyal customers (entries, exits and moves); only
# the models between the segment flags and the history are rebuilt, with --full-refresh,
# which must keep the history (the history test fails if it started over).
# The second refresh also reads a re-export of the customers without one of them (the
# customer with the most orders, a member of segments): deleted, so both engines' segment
# history must forget them (post-hook forget_deleted_customers; Spark has no DELETE on
# parquet and goes through a scratch copy and insert overwrite).
SECOND_REFRESH_VARS = {"vip_top_percent": 20, "loyal_min_orders": 20}
SECOND_REFRESH_SELECT = ("base_shop__customers", "int_customers_segmented",
                         "int_segment_memberships", "segment_membership_changes+")
CENT = decimal.Decimal("0.01")
DBT_SPARK_TIMEOUT = 1500
# dbt threads on Spark: the build's ~460 nodes are small queries whose time is CPU in the
# Thrift Server's and the executor's JVMs; 2 threads keep both cores busy (measured: the
# node times add up to 1.85x the build's elapsed time), more only queue in the JVMs
SPARK_DBT_THREADS = "2"


def shop_project(root: Path) -> Path:
    """A project folder: the repository's files linked, the rates seed with dated rates."""
    project = root / "project"
    project.mkdir()
    for entry in PROJECT_ENTRIES:
        (project / entry).symlink_to(REPO_ROOT / entry)
    seeds = REPO_ROOT / "seeds"
    # dbt does not walk into linked folders below seeds/: real folders, linked files
    for folder in ("sample", "reference"):
        (project / "seeds" / folder).mkdir(parents=True)
        for path in (seeds / folder).iterdir():
            if path.name != "currency_rates.csv":
                (project / "seeds" / folder / path.name).symlink_to(path)
    rates = (seeds / "reference" / "currency_rates.csv").read_text(encoding="utf-8")
    rates += "".join(f"{code},{day},{rate}\n" for code, day, rate in DATED_RATES)
    (project / "seeds" / "reference" / "currency_rates.csv").write_text(rates, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shop's project folder (dated rates), shared by every build of this module."""
    return shop_project(tmp_path_factory.mktemp("shop_project"))


@dataclass
class RawExports:
    """The sample as Parquet files (raw_path of the first build), and its re-export without
    the customer `forgotten` (raw_path of the second refresh)."""

    first: Path
    second: Path
    forgotten: str


@pytest.fixture(scope="module")
def raw_exports(tmp_path_factory: pytest.TempPathFactory) -> RawExports:
    root = tmp_path_factory.mktemp("raw_exports")
    first, second = root / "first", root / "second"
    first.mkdir()
    second.mkdir()
    with duckdb.connect() as con:
        for csv_file in sorted(RAW_DIR.glob("*.csv")):
            con.execute(
                f"create table \"{csv_file.stem}\" as select * from read_csv(?, header = true,"
                " all_varchar = true, delim = ',', quote = '\"', escape = '\"')",
                [str(csv_file)])
        forgotten = con.execute(
            "select trim(customer_id) from orders where trim(customer_id) in "
            "(select trim(customer_id) from customers) "
            "group by 1 order by count(*) desc, 1 limit 1").fetchone()[0]
        for csv_file in sorted(RAW_DIR.glob("*.csv")):
            table = csv_file.stem
            kept = "coalesce(trim(customer_id), '') <> '{}'".format(forgotten.replace("'", "''"))
            for directory, condition in ((first, "true"),
                                         (second, kept if table == "customers" else "true")):
                target = str(directory / f"{table}.parquet").replace("'", "''")
                con.execute(f"copy (select * from \"{table}\" where {condition}) "
                            f"to '{target}' (format parquet)")
    return RawExports(first, second, forgotten)


@dataclass
class Refreshes:
    """A warehouse after two refreshes, and the memberships each refresh saw."""

    memberships: list[set[tuple[str, str]]]
    seconds: float
    output: str = ""  # dbt's output of the first build
    target: Path | None = None  # dbt's target directory of the first build
    left_out: tuple[str, ...] = ()  # the data tests the first build left out (Spark)


def run_dbt_spark(args: list[str], cluster: Cluster, tmp_dir: Path, vars: str | None = None,
                  project_dir: Path = REPO_ROOT, **env: str) -> subprocess.CompletedProcess:
    """`dbt <args> --target spark_thrift` against the cluster, run the one way segwh runs
    dbt (segwh.core.dbt); never raises on failure."""
    command = core_dbt.dbt_command(
        [*args, "--target", "spark_thrift", "--project-dir", str(project_dir)],
        tmp_dir / "target", tmp_dir / "logs")
    if vars is not None:
        command += ["--vars", vars]
    # (the DuckDB file of the environment is the duckdb target's: not read on Spark)
    environment = core_dbt.dbt_env(
        tmp_dir / "duckdb-target-not-used.duckdb",
        extra={"DBT_PROFILES_DIR": str(REPO_ROOT), "SPARK_LOCAL_IP": "127.0.0.1",
               "DBT_THREADS": SPARK_DBT_THREADS, **cluster.dbt_env(), **env})
    return subprocess.run(command, cwd=REPO_ROOT, env=environment, capture_output=True,
                          text=True, timeout=DBT_SPARK_TIMEOUT, check=False)


def vars_yaml(values: dict) -> str:
    return "{" + ", ".join(f"{key}: '{value}'" if isinstance(value, str) else f"{key}: {value}"
                           for key, value in values.items()) + "}"


def duckdb_memberships(duckdb_file: Path) -> set[tuple[str, str]]:
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        rows = con.execute(
            "select customer_id, segment from intermediate.int_segment_memberships"
        ).fetchall()
    return set(rows)


@pytest.fixture(scope="module")
def duckdb_build(project: Path, raw_exports: RawExports, spark_cluster_starting,
                 tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Refreshes]:
    """The DuckDB warehouse after two refreshes of the sample's Parquet files, as the shop.
    (It requests spark_cluster_starting so that the cluster boots while DuckDB builds.)"""
    root = tmp_path_factory.mktemp("duckdb_refreshes")
    duckdb_file = root / "warehouse.duckdb"
    start = time.monotonic()
    project_dir = ["--project-dir", str(project)]
    run_dbt(["build", "--exclude-resource-type", "unit_test", *project_dir], duckdb_file,
            root / "first", vars={**SHOP_VARS, "raw_path": str(raw_exports.first)})
    memberships = [duckdb_memberships(duckdb_file)]
    run_dbt(["run", "--full-refresh", "--select", *SECOND_REFRESH_SELECT, *project_dir],
            duckdb_file, root / "second",
            vars={**SHOP_VARS, "raw_path": str(raw_exports.second), **SECOND_REFRESH_VARS})
    memberships.append(duckdb_memberships(duckdb_file))
    return duckdb_file, Refreshes(memberships, time.monotonic() - start,
                                  target=root / "first" / "target")


def compared_columns(duckdb_file: Path) -> dict[tuple[str, str], set[str]]:
    """(schema, table) -> the columns test_every_relation_equal_on_both_engines compares on
    every row: the tables it compares whole (no ROWS_COMPARED condition)."""
    compared = {}
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        for schema, table in duckdb_relations(duckdb_file):
            if (schema, table) in NOT_COMPARED_RELATIONS or (schema, table) in ROWS_COMPARED:
                continue
            columns = con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ?", [schema, table]).fetchall()
            compared[(schema, table)] = {
                name.lower() for (name,) in columns
                if name not in NOT_COMPARED.get((schema, table), ())}
    return compared


def builtin_tests_the_comparison_proves(manifest: dict, compared: dict) -> list[str]:
    """Names of dbt's own generic tests (DBT_GENERIC_TESTS, from the DuckDB build's
    manifest) whose relations are all compared tables and whose columns are all compared
    columns: on Spark they would read the same rows they passed on in DuckDB."""
    relations = {
        unique_id: (node["schema"], node.get("alias") or node["name"])
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] in ("model", "seed", "snapshot")
    }
    proven = []
    for node in manifest["nodes"].values():
        metadata = node.get("test_metadata") or {}
        if node["resource_type"] != "test" or metadata.get("namespace") or \
                metadata.get("name") not in DBT_GENERIC_TESTS:
            continue
        kwargs = metadata.get("kwargs", {})
        refs = [relations.get(unique_id) for unique_id in node["depends_on"]["nodes"]]
        if not refs or any(ref not in compared for ref in refs):
            continue
        attached = relations.get(node.get("attached_node"))
        columns = {attached: kwargs.get("column_name")}
        if metadata["name"] == "relationships":
            others = [ref for ref in refs if ref != attached] or [attached]
            columns = {attached: kwargs.get("column_name"), others[0]: kwargs.get("field")}
        if all(isinstance(column, str) and column.strip('"`').lower() in compared[ref]
               for ref, column in columns.items()):
            proven.append(node["name"])
    return sorted(proven)


@pytest.fixture(scope="module")
def spark_build(spark_cluster: Cluster, project: Path, duckdb_build, raw_exports: RawExports,
                tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Refreshes]:
    """The Spark warehouse directory after the same two refreshes through thrift, as the
    same shop: every model, unit test and data test (unit tests keep their own zone) but
    dbt's own generic tests on the tables the comparison covers (module docstring).
    (A raw_path with a quote is refused by the var check before any SQL runs;
    raw_path_literal escapes it anyway where it reaches Spark SQL.)"""
    duckdb_file, duckdb_refreshes = duckdb_build
    manifest = json.loads((duckdb_refreshes.target / "manifest.json").read_text())
    left_out = builtin_tests_the_comparison_proves(manifest, compared_columns(duckdb_file))
    root = tmp_path_factory.mktemp("spark_refreshes")
    raw_vars = {"raw_path": raw_exports.first.as_uri(), **SHOP_VARS}
    start = time.monotonic()
    exclude = ["--exclude", *left_out] if left_out else []
    result = run_dbt_spark(["build", *exclude], spark_cluster, root / "first",
                           vars=vars_yaml(raw_vars), project_dir=project)
    assert result.returncode == 0, f"dbt build --target spark_thrift failed:\n{output_tail(result)}"
    seconds = time.monotonic() - start
    first_output = output_of(result)
    second_vars = {**raw_vars, "raw_path": raw_exports.second.as_uri(), **SECOND_REFRESH_VARS}
    result = run_dbt_spark(["run", "--full-refresh", "--select", *SECOND_REFRESH_SELECT],
                           spark_cluster, root / "second", vars=vars_yaml(second_vars),
                           project_dir=project)
    assert result.returncode == 0, f"second refresh on Spark failed:\n{output_tail(result)}"
    print(f"\nSpark (thrift) build of the sample: {seconds:.0f} s; "
          f"with the second refresh: {time.monotonic() - start:.0f} s")
    return spark_cluster.warehouse, Refreshes([], time.monotonic() - start, first_output,
                                              root / "first" / "target", tuple(left_out))


def duckdb_relations(duckdb_file: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        rows = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in {SCHEMAS} and table_type = 'BASE TABLE' order by 1, 2"
        ).fetchall()
    return [(schema, table) for schema, table in rows if (schema, table) not in DUCKDB_ONLY]


def normalize(value: object) -> object:
    """Values of both engines on one footing: decimals and floats to cents-precision."""
    if isinstance(value, float | decimal.Decimal):
        return decimal.Decimal(str(value)).quantize(decimal.Decimal("0.000001"))
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return value


def refresh_ordinals(con: duckdb.DuckDBPyConnection, changes_source: str) -> dict:
    """Each build's refreshed_at -> its ordinal (1 = first), from the history table."""
    times = con.execute(
        f"select distinct refreshed_at from {changes_source} order by 1"
    ).fetchall()
    return {normalize(row[0]): number for number, row in enumerate(times, start=1)}


def read_rows(con: duckdb.DuckDBPyConnection, source: str, columns: list[str],
              ordinal_columns: tuple[str, ...] = (), ordinals: dict | None = None,
              where: str = "true") -> list[tuple]:
    column_list = ", ".join(f'"{name}"' for name in columns)
    rows = con.execute(f"select {column_list} from {source} where {where}").fetchall()
    normalized = []
    for row in rows:
        values = [normalize(value) for value in row]
        for index, name in enumerate(columns):
            if name in ordinal_columns and values[index] is not None:
                values[index] = ordinals[values[index]]
        normalized.append(tuple(values))
    return sorted(normalized, key=lambda row: tuple((value is None, str(value)) for value in row))


def close_enough(left: object, right: object) -> bool:
    if isinstance(left, decimal.Decimal) and isinstance(right, decimal.Decimal):
        return abs(left - right) <= CENT
    return left == right


def spark_source(warehouse: Path, schema: str, table: str) -> str:
    return f"read_parquet('{warehouse / f'{schema}.db' / table}/*.parquet')"


# --- DuckDB and Spark give the same relations ------------------------------------------


def test_spark_builds_every_relation(duckdb_build, spark_build) -> None:
    duckdb_file, _ = duckdb_build
    warehouse, _ = spark_build
    relations = duckdb_relations(duckdb_file)
    assert len(relations) >= 14, relations
    missing = [
        f"{schema}.{table}" for schema, table in relations
        if not list((warehouse / f"{schema}.db" / table).glob("*.parquet"))
    ]
    assert not missing, f"relations without parquet files on Spark: {missing}"


def test_every_relation_equal_on_both_engines(duckdb_build, spark_build) -> None:
    duckdb_file, _ = duckdb_build
    warehouse, _ = spark_build
    differences: list[str] = []
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        ours_ordinals = refresh_ordinals(con, "history.segment_membership_changes")
        theirs_ordinals = refresh_ordinals(
            con, spark_source(warehouse, "history", "segment_membership_changes"))
        assert len(ours_ordinals) == len(theirs_ordinals) == 2
        for schema, table in duckdb_relations(duckdb_file):
            columns = [
                row[0] for row in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
            ]
            source = spark_source(warehouse, schema, table)
            spark_columns = [
                row[0] for row in con.execute(f"describe select * from {source}").fetchall()
            ]
            if spark_columns != columns:
                differences.append(f"{schema}.{table}: columns {spark_columns} != {columns}")
                continue
            if (schema, table) in NOT_COMPARED_RELATIONS:
                continue
            compared = [c for c in columns if c not in NOT_COMPARED.get((schema, table), ())]
            times = REFRESH_TIME_COLUMNS.get((schema, table), ())
            where = ROWS_COMPARED.get((schema, table), "true")
            ours = read_rows(con, f'"{schema}"."{table}"', compared, times, ours_ordinals,
                             where)
            theirs = read_rows(con, source, compared, times, theirs_ordinals, where)
            if len(ours) != len(theirs):
                differences.append(f"{schema}.{table}: {len(theirs)} rows on Spark, "
                                   f"{len(ours)} on DuckDB")
                continue
            for row_ours, row_theirs in zip(ours, theirs, strict=True):
                unequal = [
                    f"{name}: duckdb={a!r} spark={b!r}"
                    for name, a, b in zip(compared, row_ours, row_theirs, strict=True)
                    if not close_enough(a, b)
                ]
                if unequal:
                    differences.append(f"{schema}.{table} row {row_ours[0]!r}: {unequal[:4]}")
                    break
    assert not differences, "DuckDB and Spark differ:\n" + "\n".join(differences)


def test_what_ran_on_spark(spark_build) -> None:
    """Every unit test and every data test the project wrote ran on Spark and passed; only
    dbt's own generic tests on compared tables were left out (module docstring)."""
    _, refreshes = spark_build
    manifest = json.loads((refreshes.target / "manifest.json").read_text())
    statuses = {result["unique_id"]: result["status"] for result in json.loads(
        (refreshes.target / "run_results.json").read_text())["results"]}
    left_out = set(refreshes.left_out)
    tests = {unique_id: node for unique_id, node in manifest["nodes"].items()
             if node["resource_type"] == "test" and node["config"].get("enabled", True)}
    unit_tests = manifest.get("unit_tests", {})
    assert len(unit_tests) >= 60 and {statuses.get(uid) for uid in unit_tests} == {"pass"}
    ran = {uid: node for uid, node in tests.items() if node["name"] not in left_out}
    assert {statuses.get(uid) for uid in ran} == {"pass"}, sorted(
        uid for uid in ran if statuses.get(uid) != "pass")[:10]
    skipped = {uid: node for uid, node in tests.items() if node["name"] in left_out}
    assert len(skipped) == len(left_out) >= 150 and not set(skipped) & set(statuses)
    for node in skipped.values():
        metadata = node.get("test_metadata") or {}
        assert not metadata.get("namespace") and metadata.get("name") in DBT_GENERIC_TESTS
    ours = [uid for uid, node in ran.items()
            if (node.get("test_metadata") or {}).get("name") not in DBT_GENERIC_TESTS]
    assert len(ours) >= 50, "the project's generic and singular tests run on Spark"


def test_a_customer_deleted_from_the_export_leaves_the_history_on_both_engines(
        duckdb_build, spark_build, raw_exports: RawExports) -> None:
    """The customer left out of the second export was a segment member after the first
    build; after the second, neither engine's history nor its marts hold a row of theirs,
    and Spark's scratch copy of the history is gone."""
    duckdb_file, refreshes = duckdb_build
    warehouse, _ = spark_build
    forgotten = raw_exports.forgotten
    assert any(customer == forgotten for customer, _ in refreshes.memberships[0])
    sources = [f"{schema}.{table}" for schema, table in (
        ("history", "segment_membership_changes"), ("marts", "segment_membership_history"),
        ("marts", "segment_transitions"))]
    sources += [spark_source(warehouse, *name.split(".")) for name in sources]
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        left = {source: con.execute(f"select count(*) from {source} where customer_id = ?",
                                    [forgotten]).fetchone()[0] for source in sources}
        assert con.execute("select count(*) from history.segment_membership_changes"
                           ).fetchone()[0] > 0
    assert not any(left.values()), left
    assert not (warehouse / "history.db" / "segment_membership_changes__kept").exists()


# --- the cluster (checked after the builds, which start while it boots) ----------


def listening_addresses(pids: set[int]) -> set[str]:
    """host:port of every TCP socket the processes `pids` (and their children) listen on."""
    tree = set(pids)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) in pids or int(fields[2]) in pids:  # child, or in the group
                tree.add(int(entry.name))
    inodes = set()
    for pid in tree:
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:  # the process is gone
            continue
        for fd in fds:
            try:  # one fd closed meanwhile (a JVM opens and closes files all the time)
                target = os.readlink(fd)  # must not skip the process's other fds
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    addresses = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A = LISTEN
                host_hex, port_hex = fields[1].split(":")
                # 32-bit words in host (little-endian) order; IPv4-mapped IPv6 -> IPv4
                raw = bytes.fromhex(host_hex)
                raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                if raw[:12] == bytes(10) + b"\xff\xff":
                    raw = raw[12:]
                host = socket.inet_ntop(socket.AF_INET if len(raw) == 4 else socket.AF_INET6,
                                        raw)
                addresses.add(f"{host}:{int(port_hex, 16)}")
    return addresses


def test_cluster_is_healthy_on_localhost_only(spark_cluster: Cluster) -> None:
    from segwh.spark_cluster import alive_workers, master_status, thrift_answers

    status = master_status(spark_cluster.host, spark_cluster.ports["master_ui"])
    assert alive_workers(status) == 1
    assert thrift_answers(spark_cluster.host, spark_cluster.ports["thrift"])
    addresses = listening_addresses(set(spark_cluster.pids.values()))
    assert f"127.0.0.1:{spark_cluster.ports['thrift']}" in addresses
    assert {address.rsplit(":", 1)[0] for address in addresses} == {"127.0.0.1"}, addresses
    result = subprocess.run(
        [sys.executable, "-m", "segwh.spark_cluster", "status", "--dir",
         str(spark_cluster.directory)], cwd=REPO_ROOT, capture_output=True, text=True,
        check=False)
    assert result.returncode == 0 and result.stdout.startswith("Spark cluster healthy")
    thrift_log = (spark_cluster.directory / "logs" / "thrift.log").read_text()
    assert " INFO " not in thrift_log, "the cluster logs at WARN"


def test_the_shop_zone_and_the_dated_rates_were_in_effect(duckdb_build) -> None:
    """Guards the comparison above against a build that ignored the vars or the rates: the
    DuckDB warehouse reports in São Paulo, and orders in EUR before and from the new
    rate's first day (on the shop's clock) convert at the old and the new rate."""
    duckdb_file, _ = duckdb_build
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        assert con.execute("select shop_timezone from marts.reporting_context").fetchone() == (
            "America/Sao_Paulo",
        )
        rates = dict(con.execute(
            "select rate_date, usd_per_unit from intermediate.int_currency_rates_rebased "
            "where currency_code = 'EUR' and rate_date in "
            "(date '2024-06-30', date '2024-07-01')"
        ).fetchall())
        counted = con.execute(
            "select count(*) filter (where timezone('America/Sao_Paulo', "
            "timezone('UTC', ordered_at)) < timestamp '2024-07-01'), "
            "count(*) filter (where timezone('America/Sao_Paulo', "
            "timezone('UTC', ordered_at)) >= timestamp '2024-07-01') "
            "from intermediate.int_counted_purchases where currency_code = 'EUR'"
        ).fetchone()
    assert {str(day): float(rate) for day, rate in rates.items()} == {
        "2024-06-30": 1.08, "2024-07-01": 1.05,
    }
    assert min(counted) > 0, counted


def test_clv_is_duckdb_only_on_spark_and_says_so(duckdb_build, spark_build) -> None:
    duckdb_file, _ = duckdb_build
    warehouse, refreshes = spark_build
    assert "skipping lifetime value (CLV), which is DuckDB-only" in refreshes.output
    assert not (warehouse / "marts.db" / "clv_model_fit").exists()
    profile = spark_source(warehouse, "marts", "customer_profile")
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        reasons = dict(con.execute(
            "select case when order_count >= 1 then 'buyer' else 'non-buyer' end, "
            "string_agg(distinct coalesce(clv_null_reason, 'null'), ',') "
            f"from {profile} group by 1").fetchall())
        assert reasons == {"buyer": "clv_duckdb_only", "non-buyer": "no_counted_order"}
        predictions = ", ".join(f"count({c})" for c in CLV_PREDICTIONS
                                if c not in ("clv_null_reason", "is_at_risk_high_value"))
        assert set(con.execute(f"select {predictions} from {profile}").fetchone()) == {0}
        assert con.execute("select count(*) filter (where is_at_risk_high_value) "
                           f"from {profile}").fetchone()[0] == 0
        assert con.execute(
            f"select count(*) from {spark_source(warehouse, 'segments', CLV_SEGMENT)}"
        ).fetchone()[0] == 0
        assert con.execute(
            f"select max(member_count) from {spark_source(warehouse, 'marts', 'segment_summary')}"
            f" where segment = '{CLV_SEGMENT}'").fetchone()[0] == 0
        assert con.execute(
            "select count(*) from "
            f"{spark_source(warehouse, 'history', 'segment_membership_changes')} "
            f"where segment = '{CLV_SEGMENT}'").fetchone()[0] == 0
        # on DuckDB the same customers have predictions
        assert con.execute(
            "select count(probability_alive) from marts.customer_profile").fetchone()[0] > 0


# --- segment history (every engine, no snapshot) ---------------------------------------


def expected_history(memberships: list[set[tuple[str, str]]]) -> tuple[list, list]:
    """Spells and transitions the two refreshes must give, from the memberships they saw:
    (customer, segment, from refresh, to refresh or None) and
    (refresh, customer, from_segment, to_segment). The first refresh is the baseline: it
    has spells but no transitions."""
    first, second = memberships
    spells = sorted(
        [(c, s, 1, None) for c, s in first & second]
        + [(c, s, 1, 2) for c, s in first - second]
        + [(c, s, 2, None) for c, s in second - first]
    )
    transitions = []
    left, entered = defaultdict(set), defaultdict(set)
    for c, s in first - second:
        left[c].add(s)
    for c, s in second - first:
        entered[c].add(s)
    for customer in set(left) | set(entered):
        froms = sorted(left[customer]) or [None]
        tos = sorted(entered[customer]) or [None]
        transitions += [(2, customer, f, t) for f in froms for t in tos]
    return spells, sorted(transitions, key=str)


def test_history_records_entries_exits_and_moves(duckdb_build,
                                                  raw_exports: RawExports) -> None:
    duckdb_file, refreshes = duckdb_build
    # the customer deleted by the second export has no history (forgotten)
    memberships = [{(customer, segment) for customer, segment in refresh
                    if customer != raw_exports.forgotten} for refresh in refreshes.memberships]
    spells, transitions = expected_history(memberships)
    first, second = memberships
    assert first - second and second - first, "the second refresh must move customers"
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        ordinals = refresh_ordinals(con, "history.segment_membership_changes")
        history = read_rows(con, "marts.segment_membership_history",
                            ["customer_id", "segment", "valid_from", "valid_to"],
                            ("valid_from", "valid_to"), ordinals)
        moves = read_rows(con, "marts.segment_transitions",
                          ["refreshed_at", "customer_id", "from_segment", "to_segment"],
                          ("refreshed_at",), ordinals)
        current = con.execute("select count(*) from marts.segment_membership_history "
                              "where is_current <> (valid_to is null)").fetchone()[0]
    assert sorted(history, key=str) == sorted(spells, key=str)
    assert sorted(moves, key=str) == transitions
    assert current == 0


def copy_warehouse(duckdb_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(duckdb_file, copy)
    return copy


def history_rows(duckdb_file: Path) -> list[tuple]:
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        return con.execute("select * from marts.segment_membership_history "
                           "order by all").fetchall()


def test_history_kept_in_the_former_snapshot_is_carried_over(duckdb_build, project,
                                                              raw_exports: RawExports,
                                                              tmp_path) -> None:
    """A warehouse whose history was the dbt snapshot snapshots.segment_membership_snapshot
    keeps its spells at its first build with the append-only history."""
    duckdb_file, _ = duckdb_build
    copy = copy_warehouse(duckdb_file, tmp_path)
    before = history_rows(copy)
    with duckdb.connect(str(copy)) as con:
        # the snapshot's columns, as dbt wrote them (check strategy), from the same spells
        con.execute("create schema snapshots")
        con.execute("""
            create table snapshots.segment_membership_snapshot as
            select customer_id, segment, as_of_entered as as_of,
                md5(customer_id || segment || valid_from) as dbt_scd_id,
                valid_from as dbt_updated_at, valid_from as dbt_valid_from,
                valid_to as dbt_valid_to
            from marts.segment_membership_history""")
        con.execute("drop table history.segment_membership_changes")
    run_dbt(["run", "--select", *SECOND_REFRESH_SELECT, "--project-dir", str(project)], copy,
            tmp_path,
            vars={**SHOP_VARS, "raw_path": str(raw_exports.second), **SECOND_REFRESH_VARS})
    assert history_rows(copy) == before


def test_spark_history_holds_both_refreshes(spark_build) -> None:
    """Besides the relation-by-relation comparison: Spark's history has both refreshes
    (entries at both, the exits of the second)."""
    warehouse, _ = spark_build
    with duckdb.connect() as con:
        changes = dict(con.execute(
            f"select change_type, count(distinct refreshed_at) from "
            f"{spark_source(warehouse, 'history', 'segment_membership_changes')} group by 1"
        ).fetchall())
    assert changes == {"entered": 2, "left": 1}


# --- no silent loss on a cluster -------------------------------------------------------


def remote_looking_host() -> tuple[str, dict[str, str]]:
    """A name for this machine that is not localhost/127.0.0.1 (so the target counts as
    remote) and still reaches the cluster, else 127.0.0.1 with SPARK_REMOTE=true."""
    name = socket.gethostname()
    try:
        reaches = name.lower() not in ("localhost", "127.0.0.1") and \
            socket.gethostbyname(name) == "127.0.0.1"
    except OSError:
        reaches = False
    return (name, {"SPARK_THRIFT_HOST": name}) if reaches else \
        ("127.0.0.1", {"SPARK_REMOTE": "true"})


def test_remote_target_refuses_a_local_raw_path(spark_cluster: Cluster, tmp_path) -> None:
    """A thrift host other than localhost/127.0.0.1 is a remote cluster: a local raw_path
    is refused in one line before anything is built."""
    host, env = remote_looking_host()
    result = run_dbt_spark(["run", "--select", "int_as_of_resolved"], spark_cluster, tmp_path,
                           vars="{raw_path: /data/shop}", **env)
    output = output_of(result)
    assert result.returncode != 0
    assert (f"var raw_path '/data/shop' is on the local file system but target spark_thrift "
            f"(host {host}) is a remote Spark cluster") in output, output_tail(result)
    assert "use a URI every host of the cluster reads (hdfs://..., s3a://...)" in output
    assert "Traceback" not in output


def test_remote_target_refuses_a_local_warehouse(spark_cluster: Cluster, tmp_path) -> None:
    """SPARK_REMOTE=true: a raw_path URI (s3a://) passes, the cluster's warehouse directory
    on the local file system (file:) is refused in one line."""
    result = run_dbt_spark(["run", "--select", "int_as_of_resolved"], spark_cluster, tmp_path,
                           vars="{raw_path: 's3a://shop-bucket/raw'}", SPARK_REMOTE="true")
    output = output_of(result)
    assert result.returncode != 0
    warehouse = "file:" + str(spark_cluster.warehouse)
    assert (f"the Spark warehouse (spark.sql.warehouse.dir = {warehouse}) is on the local file "
            "system but target spark_thrift (host 127.0.0.1) is a remote Spark cluster "
            "(SPARK_REMOTE=true)") in output, output_tail(result)
    assert "var raw_path" not in output


@pytest.fixture(scope="module")
def loss_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-seed, one-model project writing into the schema whose directory the worker
    does not share with the Thrift Server, with the real project's macros and on-run-end
    hook."""
    root = tmp_path_factory.mktemp("loss_project")
    real = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())
    project = {
        "name": real["name"], "version": "0.1.0", "config-version": 2,
        "profile": real["profile"], "macro-paths": ["macros"], "seed-paths": ["seeds"],
        "model-paths": ["models"], "on-run-end": real["on-run-end"],
        "seeds": {real["name"]: {"+schema": SPARK_LOST_SCHEMA, "+file_format": "parquet"}},
        "models": {real["name"]: {"+schema": SPARK_LOST_SCHEMA, "+materialized": "table",
                                  "+file_format": "parquet"}},
    }
    (root / "dbt_project.yml").write_text(yaml.safe_dump(project))
    (root / "macros").symlink_to(REPO_ROOT / "macros")
    (root / "seeds").mkdir()
    (root / "seeds" / "lost_seed.csv").write_text(
        "row_id,label\n" + "".join(f"{n},row {n}\n" for n in range(1, 51)))
    (root / "models").mkdir()
    (root / "models" / "lost_table.sql").write_text(
        "select cast(id as int) as row_id from range(1000)\n")
    return root


def needs_isolated_worker() -> None:
    from segwh.spark_cluster import worker_isolation_available

    if not worker_isolation_available():
        pytest.skip("simulating a worker on another host needs root and unshare --mount")


def test_a_seed_and_a_table_that_read_back_empty_fail(spark_cluster, loss_project,
                                                      tmp_path) -> None:
    """The seed's rows and the table's rows land on the worker's own disk: the seed fails as
    it loads, the table when the run ends, each with one line naming it."""
    needs_isolated_worker()
    result = run_dbt_spark(["build"], spark_cluster, tmp_path, project_dir=loss_project)
    output = output_of(result)
    assert result.returncode != 0
    assert (f"Seed {SPARK_LOST_SCHEMA}.lost_seed reads back 0 of its 50 rows: the Spark workers "
            "wrote where the driver does not read") in output, output_tail(result)
    assert (f"Table {SPARK_LOST_SCHEMA}.lost_table reads back 0 rows but its model returns rows"
            in output), output_tail(result)
