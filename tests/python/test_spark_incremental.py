"""An incremental refresh on Spark (parquet, no Delta or Iceberg) gives the rows a full build
of the same raw data gives, and reads only what changed (docs/spark.md "Incremental").

On the test run's one local cluster (fixture `spark_cluster`, through its Thrift Server):
the small-dirty fixture in the deliveries layout of raw_layouts (day 1; then day 2: late
customers in a new file, an orders tombstone and an order of an erased customer delivered
again in a parquet file, a changed sessions file, a removed carts file, an erasure
request), built as the staging and quarantine layers (every raw-reading model: the base
tables, the ledger, the malformed lines, what they feed up to the quarantine; the layers
above read only these and are the same SQL on both runs). Day 1 is built with
--full-refresh, day 2 with a plain refresh (the incremental path: the project's Spark
incremental materialization, macros/materializations/incremental.sql), then day 2 again
with --full-refresh. The deliveries are CSV files read by Spark's CSV source (the orders
file of day 2 is parquet), the day-2 customers file with malformed lines
(DIRTY_CUSTOMER_LINES); DuckDB builds day 2 too, and the Spark full build must hold its rows
(spark__raw_file_relation: docs/spark.md "Raw CSV files on Spark"). Each warehouse state is
read from the cluster's parquet files with DuckDB. The cluster is the one
test_spark_equivalence builds on (the same worker and xdist group, after it:
conftest.SPARK_FILES), which writes the same schemas: day 1 is built with --full-refresh,
so what that module left is replaced, not refreshed.

Three Spark builds of ~25 models and one DuckDB build (9.5 min on this machine at load
6-8): run by `make test`; the marker `spark_incremental` lets a quick local run leave it
out (pytest -m 'not spark_incremental').
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import raw_layouts
from conftest import FIXTURE_AS_OF, output_of, output_tail, run_dbt
from test_spark_equivalence import run_dbt_spark, vars_yaml

from segwh.spark_cluster import Cluster

pytestmark = pytest.mark.spark_incremental

# every raw-reading model and what it feeds up to the quarantine (module docstring)
SELECT = ["+path:models/staging", "+path:models/quarantine"]
SCHEMAS = ("staging", "quarantine")
# when a row or source was loaded: differs between the refresh and the full build by nature
LOAD_TIME_COLUMNS = {"_loaded_at", "loaded_at"}
BASE_TABLES = tuple(f"base_shop__{table}" for table in raw_layouts.RAW_TABLES)
INCREMENTAL_TABLES = (*BASE_TABLES, "stg_shop__raw_sources", "stg_shop__malformed_rows")
# Lines of a customers CSV that cannot be read as a row, one of each kind (spec raw-data.md),
# appended to the day-2 customers file (a new file: read by the refresh and the full build):
# too many fields, too few, a byte not valid in UTF-8. The ids are no customer's.
CUSTOMER_COLUMNS = 21
DIRTY_CUSTOMER_LINES = (
    b"C99991,a@example.com" + b",x" * (CUSTOMER_COLUMNS - 2) + b",surplus\n",
    b"C99992,b@example.com,2024-01-01 00:00:00\n",
    b"C99993,caf\xe9@example.com" + b",x" * (CUSTOMER_COLUMNS - 2) + b"\n",
)


@dataclass
class SparkRefreshes:
    """Every table of SCHEMAS after the day-2 refresh and after the day-2 full build
    ({schema.table: (columns, rows)}), the refresh's dbt output, and the plan."""

    incremental: dict[str, tuple[list[str], list[tuple]]]
    full: dict[str, tuple[list[str], list[tuple]]]
    on_duckdb: dict[str, tuple[list[str], list[tuple]]]
    refresh_output: str
    plan: raw_layouts.Plan


def warehouse_tables(warehouse: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table of SCHEMAS as its parquet files hold it: columns and rows (a table
    without a file: no columns, no rows)."""
    tables = {}
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        for schema in SCHEMAS:
            for folder in sorted((warehouse / f"{schema}.db").iterdir()):
                files = sorted(folder.glob("*.parquet"))
                if not files:
                    tables[f"{schema}.{folder.name}"] = ([], [])
                    continue
                relation = con.read_parquet([str(path) for path in files])
                tables[f"{schema}.{folder.name}"] = (relation.columns, relation.fetchall())
    return tables


def duckdb_tables(duckdb_file: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table of SCHEMAS in a DuckDB warehouse: columns and rows."""
    tables = {}
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_type = 'BASE TABLE' and table_schema in "
                f"({', '.join(repr(schema) for schema in SCHEMAS)})").fetchall():
            relation = con.table(f"{schema}.{name}")
            tables[f"{schema}.{name}"] = (relation.columns, relation.fetchall())
    return tables


def without_load_times(columns: list[str], rows: list[tuple]) -> tuple[list[str], list[tuple]]:
    kept = [index for index, name in enumerate(columns) if name not in LOAD_TIME_COLUMNS]
    return [columns[index] for index in kept], [tuple(row[index] for index in kept)
                                                for row in rows]


def table_differences(ours: dict[str, tuple[list[str], list[tuple]]],
                      theirs: dict[str, tuple[list[str], list[tuple]]],
                      names: list[str]) -> list[str]:
    """One line per table of `names` whose columns or rows (load times aside, as
    multisets) differ between `ours` and `theirs`."""
    differences = []
    for name in names:
        columns, rows = without_load_times(*theirs[name])
        our_columns, our_rows = without_load_times(*ours[name])
        if our_columns != columns:
            differences.append(f"{name}: columns {our_columns} != {columns}")
            continue
        extra, missing = Counter(our_rows) - Counter(rows), Counter(rows) - Counter(our_rows)
        if extra or missing:
            differences.append(f"{name}: {sum(extra.values())} rows only in the first "
                               f"(e.g. {list(extra)[:2]}), {sum(missing.values())} only in "
                               f"the second (e.g. {list(missing)[:2]})")
    return differences


@pytest.fixture(scope="module")
def spark_refreshes(spark_cluster: Cluster,
                    tmp_path_factory: pytest.TempPathFactory) -> SparkRefreshes:
    tmp = tmp_path_factory.mktemp("spark_incremental")
    raw_dir = tmp / "deliveries"
    with duckdb.connect() as con:
        plan = raw_layouts.plan_days(con)
        raw_layouts.write_deliveries(con, raw_dir, 1, plan)
    raw_vars = vars_yaml({"raw_path": raw_dir.as_uri(), "as_of": FIXTURE_AS_OF})
    run = ["build", "--resource-type", "seed", "--resource-type", "model", "--select", *SELECT]

    def build(name: str, *extra: str) -> str:
        result = run_dbt_spark([*run, *extra], spark_cluster, tmp / name, vars=raw_vars)
        assert result.returncode == 0, f"Spark {name} failed:\n{output_tail(result)}"
        return output_of(result)

    build("day1", "--full-refresh")
    with duckdb.connect() as con:
        raw_layouts.write_deliveries(con, raw_dir, 2, plan)
    with (raw_dir / "customers" / "part-2.csv").open("ab") as lines:
        lines.write(b"".join(DIRTY_CUSTOMER_LINES))
    refresh_output = build("day2")
    incremental = warehouse_tables(spark_cluster.warehouse)
    build("day2_full", "--full-refresh")
    full = warehouse_tables(spark_cluster.warehouse)
    duckdb_file = tmp / "duckdb" / "warehouse.duckdb"
    run_dbt([*run, "--full-refresh"], duckdb_file, tmp / "duckdb",
            vars={"raw_path": str(raw_dir), "as_of": FIXTURE_AS_OF})
    on_duckdb = duckdb_tables(duckdb_file)
    return SparkRefreshes(incremental, full, on_duckdb, refresh_output, plan)


def test_spark_refresh_equals_full_build(spark_refreshes: SparkRefreshes) -> None:
    """After late customers, a tombstone, a changed and a removed file and an erasure, the
    Spark refresh holds the rows of the Spark full build, table by table (load times
    aside), and no scratch table of the materialization is left."""
    incremental, full = spark_refreshes.incremental, spark_refreshes.full
    assert set(incremental) == set(full)
    scratch = [name for name in incremental if name.endswith(("__new", "__next"))]
    assert not scratch, f"scratch tables left by the refresh: {scratch}"
    assert {f"staging.{table}" for table in INCREMENTAL_TABLES} <= set(full)
    differences = table_differences(incremental, full, sorted(full))
    assert not differences, "\n".join(differences)
    # the day-2 changes reached the tables (the comparison is not between two empty sets)
    columns, rows = full["staging.base_shop__orders"]
    tombstones = [row for row in rows
                  if row[columns.index("order_id")] == spark_refreshes.plan.tombstoned_order
                  and row[columns.index("is_tombstone")]]
    assert tombstones, "the day-2 tombstone is not in base_shop__orders"
    erased = [row for row in rows if row[columns.index("is_erased")]]
    assert erased, "no erased order rows in base_shop__orders"


def test_spark_refresh_reads_only_new_and_changed_files(spark_refreshes: SparkRefreshes) -> None:
    """The day-2 refresh read the new and changed files only (the ledger's latest
    loaded_at), the removed carts file is no source any more, and every base table, the
    ledger and the malformed lines went through the incremental path (appended or
    rewritten, never rebuilt from every raw row)."""
    columns, rows = spark_refreshes.incremental["staging.stg_shop__raw_sources"]
    source, loaded = columns.index("source_name"), columns.index("loaded_at")
    latest = max(row[loaded] for row in rows)
    read_now = {row[source] for row in rows if row[loaded] == latest}
    assert read_now == {"customers/part-2.csv", "orders/part-2.parquet",
                        "order_items/part-2.csv", "sessions/part-1.csv", "erasures.csv"}, rows
    assert "carts/part-extra.csv" not in {row[source] for row in rows}
    assert len(rows) == len(raw_layouts.RAW_TABLES) + 4  # part-1 each, 3 new files, erasures
    for table in INCREMENTAL_TABLES:
        assert f"incremental staging.{table}: " in spark_refreshes.refresh_output, (
            f"staging.{table} did not take the incremental path:\n"
            + spark_refreshes.refresh_output[-3000:])


def engine_neutral(name: str, columns: list[str], rows: list[tuple]
                   ) -> tuple[list[str], list[tuple]]:
    """A table's columns and rows without what each engine writes its own way by design
    (docs/spark.md "Raw CSV files on Spark"): the row fingerprint (the engine's own hash),
    the ledger's file modification time (as the engine's listing gives it), and of a
    malformed line its file (Spark names it by URI), line number (Spark gives none), the
    kind of error (Spark: MALFORMED or INVALID ENCODING, DuckDB names the structural
    error) and, for bytes not valid in the encoding, the text (Spark rebuilds it from
    the values, with U+FFFD)."""
    dropped = {"_fingerprint", "modified_at"} | LOAD_TIME_COLUMNS
    if name == "staging.stg_shop__malformed_rows":
        dropped |= {"source_file", "line_number"}
    kept = [index for index, column in enumerate(columns) if column not in dropped]
    neutral = []
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        if name == "staging.stg_shop__malformed_rows":
            if values["error_type"] != "INVALID ENCODING":
                values["error_type"] = "MALFORMED"
            else:
                values["raw_line"] = "(text not compared)"
        neutral.append(tuple(values[columns[index]] for index in kept))
    return [columns[index] for index in kept], neutral


def test_spark_reads_csv_deliveries_as_duckdb_does(spark_refreshes: SparkRefreshes) -> None:
    """Spark reads the CSV deliveries (every file but one orders parquet file) as DuckDB
    does: the day-2 full build on Spark holds the rows of DuckDB's build of the same files,
    table by table (the base tables with their rejected rows, the ledger, the malformed
    lines, the quarantine's reconciliation), but what each engine writes its own way."""
    on_duckdb, on_spark = spark_refreshes.on_duckdb, spark_refreshes.full
    assert set(on_spark) == set(on_duckdb)
    differences = table_differences(
        {name: engine_neutral(name, *table) for name, table in on_spark.items()},
        {name: engine_neutral(name, *table) for name, table in on_duckdb.items()},
        sorted(on_duckdb))
    assert not differences, "\n".join(differences)
    # the customers file's malformed lines reached the quarantine on Spark (not two empty sets)
    columns, rows = on_spark["staging.stg_shop__malformed_rows"]
    customer_lines = sorted((row[columns.index("raw_line")] or "")[:6] for row in rows
                            if row[columns.index("source_table")] == "customers")
    assert customer_lines == ["C99991", "C99992", "C99993"], rows
