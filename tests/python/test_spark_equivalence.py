"""The same models on Spark give the same segments as on DuckDB.

Builds the bundled sample with a plain `dbt build` on DuckDB (the seeds) and with
`dbt build --target spark` (pyspark, local mode, parquet tables; every data and unit test
runs on Spark too) from the same sample written as Parquet files (raw_path mode), then
compares every relation of the schemas `segments` and `marts` row by row: keys equal,
amounts within a cent, flags and texts equal, timestamps equal. Spark's tables are read
straight from their parquet files with DuckDB, so the comparison needs no Spark session.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import REPO_ROOT, dbt_executable, output_of, output_tail, run_dbt

# The bundled sample is itself a raw_path directory; fall back to the small fixture.
SAMPLE_DIR = REPO_ROOT / "seeds" / "sample"
RAW_DIR = SAMPLE_DIR if (SAMPLE_DIR / "customers.csv").exists() else (
    REPO_ROOT / "tests" / "fixtures" / "small-dirty" / "raw"
)
SCHEMAS = ("segments", "marts")
# Built from a dbt snapshot, which is DuckDB-only (see README, "Running on Spark"); the CLV
# fit is a dbt Python model, DuckDB-only too (README, "Lifetime value").
DUCKDB_ONLY = {("marts", "segment_membership_history"), ("marts", "segment_transitions"),
               ("marts", "clv_model_fit")}
# Lifetime value is DuckDB-only: on Spark the predictions are null (clv_null_reason
# 'clv_duckdb_only'), nobody is at risk and the at-risk segment is empty. These columns, that
# segment and its summary row are left out of the comparison and checked on their own
# (test_clv_is_duckdb_only_on_spark_and_says_so); the model inputs (repeat_purchase_days,
# repeat_recency_days, days_since_first_purchase, mean_repeat_order_value) are compared.
CLV_PREDICTIONS = ["expected_orders_next_horizon", "probability_alive", "expected_order_value",
                   "predicted_clv", "predicted_value_lost", "predicted_spend_tier",
                   "clv_null_reason", "is_at_risk_high_value"]
CLV_SEGMENT = "at_risk_high_value"
NOT_COMPARED_COLUMNS = {("marts", "customer_profile"): set(CLV_PREDICTIONS)}
NOT_COMPARED_RELATIONS = {("segments", CLV_SEGMENT)}
ROWS_COMPARED = {("marts", "segment_summary"): f"segment <> '{CLV_SEGMENT}'"}
CENT = decimal.Decimal("0.01")

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None, reason="Spark needs Java 17 (java not on PATH)"
)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(DuckDB warehouse file, Spark warehouse directory, Spark's dbt output) built from the
    same raw files."""
    root = tmp_path_factory.mktemp("spark_equivalence")
    duckdb_file = root / "duckdb" / "warehouse.duckdb"
    duckdb_file.parent.mkdir()
    # DuckDB: the default mode (sample seeds) when RAW_DIR is the sample, else raw_path
    run_dbt(["build", "--exclude-resource-type", "unit_test"], duckdb_file, root / "duckdb",
            vars=None if RAW_DIR == SAMPLE_DIR else {"raw_path": str(RAW_DIR)})

    parquet_dir = root / "raw_parquet"
    parquet_dir.mkdir()
    with duckdb.connect() as con:
        for csv_file in sorted(RAW_DIR.glob("*.csv")):
            con.execute(
                f"copy (select * from read_csv('{csv_file}', header = true, all_varchar = true,"
                f" delim = ',', quote = '\"', escape = '\"'))"
                f" to '{parquet_dir / (csv_file.stem + '.parquet')}' (format parquet)"
            )

    spark_dir = root / "spark"
    warehouse = spark_dir / "warehouse"
    env = dict(os.environ)
    env.update(
        {
            "DBT_PROFILES_DIR": str(REPO_ROOT),
            "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_WAREHOUSE_DIR": str(warehouse),
            "SPARK_METASTORE_DIR": str(spark_dir / "metastore"),
            "DBT_USE_COLORS": "false",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
    )
    command = [
        str(dbt_executable()), "build", "--target", "spark",
        "--target-path", str(spark_dir / "target"), "--log-path", str(spark_dir / "logs"),
        "--vars", f"{{raw_path: '{parquet_dir}'}}",
    ]
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                            timeout=1500, check=False)
    assert result.returncode == 0, (
        f"dbt build --target spark failed:\n{output_tail(result)}"
    )
    return duckdb_file, warehouse, output_of(result)


def duckdb_relations(duckdb_file: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        rows = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in {SCHEMAS} order by 1, 2"
        ).fetchall()
    return [(schema, table) for schema, table in rows if (schema, table) not in DUCKDB_ONLY]


def normalize(value: object) -> object:
    """Values of both engines on one footing: decimals and floats to cents-precision."""
    if isinstance(value, float | decimal.Decimal):
        return decimal.Decimal(str(value)).quantize(decimal.Decimal("0.000001"))
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return value


def read_rows(
    con: duckdb.DuckDBPyConnection, source: str, columns: list[str], where: str = "true"
) -> list[tuple]:
    column_list = ", ".join(f'"{name}"' for name in columns)
    rows = con.execute(
        f"select {column_list} from {source} where {where} order by {column_list}"
    ).fetchall()
    return [tuple(normalize(value) for value in row) for row in rows]


def close_enough(left: object, right: object) -> bool:
    if isinstance(left, decimal.Decimal) and isinstance(right, decimal.Decimal):
        return abs(left - right) <= CENT
    return left == right


def test_spark_builds_every_relation(builds: tuple[Path, Path, str]) -> None:
    duckdb_file, warehouse, _ = builds
    relations = duckdb_relations(duckdb_file)
    assert len(relations) >= 11, relations
    missing = [
        f"{schema}.{table}" for schema, table in relations
        if not list((warehouse / f"{schema}.db" / table).glob("*.parquet"))
    ]
    assert not missing, f"relations without parquet files on Spark: {missing}"


def test_every_relation_equal_on_both_engines(builds: tuple[Path, Path, str]) -> None:
    duckdb_file, warehouse, _ = builds
    differences: list[str] = []
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        for schema, table in duckdb_relations(duckdb_file):
            columns = [
                row[0] for row in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
            ]
            spark_source = f"read_parquet('{warehouse / f'{schema}.db' / table}/*.parquet')"
            spark_columns = [
                row[0] for row in con.execute(f"describe select * from {spark_source}").fetchall()
            ]
            if spark_columns != columns:
                differences.append(f"{schema}.{table}: columns {spark_columns} != {columns}")
                continue
            if (schema, table) in NOT_COMPARED_RELATIONS:
                continue
            skipped = NOT_COMPARED_COLUMNS.get((schema, table), set())
            columns = [name for name in columns if name not in skipped]
            where = ROWS_COMPARED.get((schema, table), "true")
            ours = read_rows(con, f'"{schema}"."{table}"', columns, where)
            theirs = read_rows(con, spark_source, columns, where)
            if len(ours) != len(theirs):
                differences.append(f"{schema}.{table}: {len(theirs)} rows on Spark, "
                                   f"{len(ours)} on DuckDB")
                continue
            for row_ours, row_theirs in zip(ours, theirs, strict=True):
                unequal = [
                    f"{name}: duckdb={a!r} spark={b!r}"
                    for name, a, b in zip(columns, row_ours, row_theirs, strict=True)
                    if not close_enough(a, b)
                ]
                if unequal:
                    differences.append(f"{schema}.{table} row {row_ours[0]!r}: {unequal[:4]}")
                    break
    assert not differences, "DuckDB and Spark differ:\n" + "\n".join(differences)


def test_clv_is_duckdb_only_on_spark_and_says_so(builds: tuple[Path, Path, str]) -> None:
    duckdb_file, warehouse, output = builds
    assert "lifetime value (CLV) is DuckDB-only" in output
    assert not (warehouse / "marts.db" / "clv_model_fit").exists()

    def spark(schema: str, table: str) -> str:
        return f"read_parquet('{warehouse / f'{schema}.db' / table}/*.parquet')"

    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        reasons = dict(con.execute(
            "select case when order_count >= 1 then 'buyer' else 'non-buyer' end, "
            "string_agg(distinct coalesce(clv_null_reason, 'null'), ',') "
            f"from {spark('marts', 'customer_profile')} group by 1").fetchall())
        assert reasons == {"buyer": "clv_duckdb_only", "non-buyer": "no_counted_order"}
        predictions = ", ".join(f"count({c})" for c in CLV_PREDICTIONS
                                if c not in ("clv_null_reason", "is_at_risk_high_value"))
        assert set(con.execute(
            f"select {predictions} from {spark('marts', 'customer_profile')}").fetchone()) == {0}
        assert con.execute(
            "select count(*) filter (where is_at_risk_high_value) "
            f"from {spark('marts', 'customer_profile')}").fetchone()[0] == 0
        assert con.execute(
            f"select count(*) from {spark('segments', CLV_SEGMENT)}").fetchone()[0] == 0
        assert con.execute(
            f"select member_count from {spark('marts', 'segment_summary')} "
            f"where segment = '{CLV_SEGMENT}'").fetchone()[0] == 0
        # on DuckDB the same customers have predictions
        assert con.execute(
            "select count(probability_alive) from marts.customer_profile").fetchone()[0] > 0
