"""The same models on Spark give the same segments as on DuckDB.

Builds the bundled sample with a plain `dbt build` on DuckDB (the seeds) and with
`dbt build --target spark` (pyspark, local mode, parquet tables; every data and unit test
runs on Spark too) from the same sample written as Parquet files (raw_path mode), then
compares every relation of the schemas `segments` and `marts` row by row: keys equal,
amounts within a cent, flags and texts equal, timestamps equal. Spark's tables are read
straight from their parquet files with DuckDB, so the comparison needs no Spark session.

Both builds run as a shop in São Paulo (var shop_timezone America/Sao_Paulo: zone-less
timestamps, as_of and calendar days on the shop's clock) with dated rates (the unit tests
run too and keep their own zone, macro shop_timezone): the project
is laid out again in a temporary folder (links to the repository's files) whose
currency_rates seed gives EUR, GBP and BRL a second rate from a date inside the sample.
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
SHOP_VARS = {"shop_timezone": "America/Sao_Paulo"}
PROJECT_ENTRIES = (
    "dbt_project.yml", "profiles.yml", "models", "macros", "snapshots", "tests", "analyses",
)
# a second rate from a day inside the sample's orders (2022-2025), in the shop's zone
DATED_RATES = [("EUR", "2024-07-01", "1.05"), ("GBP", "2025-01-01", "1.30"),
               ("BRL", "2024-01-01", "0.20")]
# Built from a dbt snapshot, which is DuckDB-only (see README, "Running on Spark").
DUCKDB_ONLY = {("marts", "segment_membership_history"), ("marts", "segment_transitions")}
CENT = decimal.Decimal("0.01")

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None, reason="Spark needs Java 17 (java not on PATH)"
)


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
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(DuckDB warehouse file, Spark warehouse directory) built from the same raw files."""
    root = tmp_path_factory.mktemp("spark_equivalence")
    project = shop_project(root)
    duckdb_file = root / "duckdb" / "warehouse.duckdb"
    duckdb_file.parent.mkdir()
    # DuckDB: the default mode (sample seeds) when RAW_DIR is the sample, else raw_path
    raw_vars = {} if RAW_DIR == SAMPLE_DIR else {"raw_path": str(RAW_DIR)}
    run_dbt(["build", "--exclude-resource-type", "unit_test", "--project-dir", str(project)],
            duckdb_file, root / "duckdb", vars={**SHOP_VARS, **raw_vars})

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
    # every model, data test and unit test as the shop (unit tests keep their own zone)
    command = [
        str(dbt_executable()), "build", "--target", "spark", "--project-dir", str(project),
        "--target-path", str(spark_dir / "target"), "--log-path", str(spark_dir / "logs"),
        "--vars", json.dumps({"raw_path": str(parquet_dir), **SHOP_VARS}),
    ]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
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


def test_the_shop_zone_and_the_dated_rates_were_in_effect(builds: tuple[Path, Path]) -> None:
    """Guards the comparison above against a build that ignored the vars or the rates: the
    DuckDB warehouse reports in São Paulo, and orders in EUR before and from the new
    rate's first day (on the shop's clock) convert at the old and the new rate."""
    duckdb_file, _ = builds
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
            "from intermediate.int_orders_counted where currency_code = 'EUR'"
        ).fetchone()
    assert {str(day): float(rate) for day, rate in rates.items()} == {
        "2024-06-30": 1.08, "2024-07-01": 1.05,
    }
    assert min(counted) > 0, counted
