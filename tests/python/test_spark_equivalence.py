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
import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import REPO_ROOT, dbt_executable, output_tail, run_dbt

# The bundled sample is itself a raw_path directory; fall back to the small fixture.
SAMPLE_DIR = REPO_ROOT / "seeds" / "sample"
RAW_DIR = SAMPLE_DIR if (SAMPLE_DIR / "customers.csv").exists() else (
    REPO_ROOT / "tests" / "fixtures" / "small-dirty" / "raw"
)
SCHEMAS = ("segments", "marts")
# Built from a dbt snapshot, which is DuckDB-only (see README, "Running on Spark").
DUCKDB_ONLY = {("marts", "segment_membership_history"), ("marts", "segment_transitions")}
CENT = decimal.Decimal("0.01")

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None, reason="Spark needs Java 17 (java not on PATH)"
)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(DuckDB warehouse file, Spark warehouse directory) built from the same raw files."""
    root = tmp_path_factory.mktemp("spark_equivalence")
    duckdb_file = root / "duckdb" / "warehouse.duckdb"
    duckdb_file.parent.mkdir()
    # DuckDB: the default mode (sample seeds) when RAW_DIR is the sample, else raw_path
    run_dbt(["build", "--exclude-resource-type", "unit_test"], duckdb_file, root / "duckdb",
            vars=None if RAW_DIR == SAMPLE_DIR else {"raw_path": str(RAW_DIR)})

    # a quote in the path: raw_path reaches Spark SQL escaped (raw_path_literal)
    parquet_dir = root / "shop's raw_parquet"
    parquet_dir.mkdir()
    with duckdb.connect() as con:
        for csv_file in sorted(RAW_DIR.glob("*.csv")):
            target = str(parquet_dir / (csv_file.stem + ".parquet")).replace("'", "''")
            con.execute(
                f"copy (select * from read_csv('{csv_file}', header = true, all_varchar = true,"
                f" delim = ',', quote = '\"', escape = '\"'))"
                f" to '{target}' (format parquet)"
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
        "--vars", json.dumps({"raw_path": str(parquet_dir)}),
    ]
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                            timeout=1500, check=False)
    assert result.returncode == 0, (
        f"dbt build --target spark failed:\n{output_tail(result)}"
    )
    return duckdb_file, warehouse


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


def read_rows(con: duckdb.DuckDBPyConnection, source: str, columns: list[str]) -> list[tuple]:
    column_list = ", ".join(f'"{name}"' for name in columns)
    rows = con.execute(f"select {column_list} from {source} order by {column_list}").fetchall()
    return [tuple(normalize(value) for value in row) for row in rows]


def close_enough(left: object, right: object) -> bool:
    if isinstance(left, decimal.Decimal) and isinstance(right, decimal.Decimal):
        return abs(left - right) <= CENT
    return left == right


def test_spark_builds_every_relation(builds: tuple[Path, Path]) -> None:
    duckdb_file, warehouse = builds
    relations = duckdb_relations(duckdb_file)
    assert len(relations) >= 11, relations
    missing = [
        f"{schema}.{table}" for schema, table in relations
        if not list((warehouse / f"{schema}.db" / table).glob("*.parquet"))
    ]
    assert not missing, f"relations without parquet files on Spark: {missing}"


def test_every_relation_equal_on_both_engines(builds: tuple[Path, Path]) -> None:
    duckdb_file, warehouse = builds
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
            ours = read_rows(con, f'"{schema}"."{table}"', columns)
            theirs = read_rows(con, spark_source, columns)
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
