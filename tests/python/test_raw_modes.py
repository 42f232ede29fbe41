"""The raw-data modes of spec raw-data.md: a raw_path directory of CSV or Parquet files,
tables in a raw_schema, and the errors a user gets for a bad file (bad vars: test_vars.py).

Each test copies the small-dirty fixture into its own tmp_path and builds a warehouse of
its own there. Parquet files (typed, as exporters write them), malformed CSV lines and
files that cannot be read (a missing required column among them): test_raw_files.py.
"""

from __future__ import annotations

import re

import duckdb
from conftest import (
    BUILD_WITHOUT_UNIT_TESTS,
    FIXTURE_AS_OF,
    FIXTURE_RAW_DIR,
    RAW_TABLES,
    SEGMENTS,
    all_segment_members,
    assert_clean_failure,
    build_on_raw_path,
    count_csv_data_rows,
    describe_set_difference,
    drop_csv_columns,
    expected_members,
    lines_with,
    output_tail,
    read_csv_file,
    run_dbt,
    typed_arrow_table,
    write_csv_file,
)


def _assert_segments_as_expected(members: dict[str, list[str]], segments=SEGMENTS) -> None:
    wrong = {
        segment: describe_set_difference(members[segment], expected_members(segment))
        for segment in segments
        if members[segment] != expected_members(segment)
    }
    assert not wrong, f"segments that differ from expected/: {wrong}"


# --- raw_path: broken inputs fail at once with a clear message -------------------------


def test_missing_file_fails_naming_table(raw_copy, tmp_path):
    (raw_copy / "carts.csv").unlink()
    _, result = build_on_raw_path(raw_copy, tmp_path, check=False)
    assert_clean_failure(result)
    assert lines_with(result, "carts"), f"no line names carts:\n{output_tail(result)}"
    assert any(
        re.search(r"missing|not exist|not found|no such", line, re.IGNORECASE)
        for line in lines_with(result, "carts")
    ), f"the message about carts does not say it is missing:\n{output_tail(result)}"


# --- raw_path: tolerated variations ----------------------------------------------------


def test_optional_columns_may_be_absent(raw_copy, tmp_path):
    drop_csv_columns(raw_copy / "customers.csv", ["birth_date", "work_city", "sms_opt_in"])
    drop_csv_columns(raw_copy / "orders.csv", ["discount_total", "coupon_code"])
    duckdb_path, _ = build_on_raw_path(raw_copy, tmp_path)

    members = all_segment_members(duckdb_path)
    # None of the dropped columns feeds these segments (order_total is after discounts).
    _assert_segments_as_expected(members, [s for s in SEGMENTS if s != "coupon_lovers"])
    assert members["coupon_lovers"] == [], "no coupon_code column: nobody can be a coupon lover"

    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        customers, coupon_orders, sms_true, sms_null = con.execute(
            "select count(*), sum(coupon_order_count), count(*) filter (where sms_opt_in), "
            "count(*) filter (where sms_opt_in is null) from marts.customer_profile"
        ).fetchone()
        (work_cities,) = con.execute("select count(work_city) from segments.geographic").fetchone()
    assert customers == len(expected_members("geographic"))
    assert coupon_orders == 0, f"coupon_order_count sums to {coupon_orders} without coupon_code"
    assert sms_true == 0, f"{sms_true} customers opted in to SMS without an sms_opt_in column"
    assert sms_null == 0, f"{sms_null} null sms_opt_in: a null consent flag means no consent"
    assert work_cities == 0, f"{work_cities} work cities without a work_city column"


def test_extra_columns_ignored_and_headers_matched_loosely(raw_copy, tmp_path):
    renames = {
        "customers.csv": {"customer_id": "Customer_ID ", "email": " EMAIL", "city": "City"},
        "orders.csv": {"status": "Status", "order_total": " ORDER_TOTAL ", "order_id": "Order_Id"},
    }
    for file_name, mapping in renames.items():
        header, rows = read_csv_file(raw_copy / file_name)
        assert set(mapping) <= set(header)
        header = [mapping.get(name, name) for name in header]
        # An unknown column first (shifts every position) and one last, with dirt in it.
        header = ["Internal Note", *header, "loyalty_tier"]
        rows = [[f"note {i}, with a comma", *row, "gold"] for i, row in enumerate(rows)]
        write_csv_file(raw_copy / file_name, header, rows)

    duckdb_path, _ = build_on_raw_path(raw_copy, tmp_path)
    _assert_segments_as_expected(all_segment_members(duckdb_path))
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        raw_rows = dict(
            con.execute(
                "select source_table, raw_rows from quarantine.quarantine_reconciliation"
            ).fetchall()
        )
    for table in ("customers", "orders"):
        assert raw_rows[table] == count_csv_data_rows(FIXTURE_RAW_DIR / f"{table}.csv")


# --- raw_schema ------------------------------------------------------------------------


def test_raw_schema_mode(tmp_path):
    """Tables as an EL tool lands them: typed columns (timestamps with and without a zone,
    dates, doubles, decimals, integers, booleans; conftest.TYPED_COLUMNS), read as their
    values."""
    duckdb_path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(duckdb_path)) as con:
        con.execute("create schema shop_raw")
        for table in RAW_TABLES:
            arrow_table, _ = typed_arrow_table(FIXTURE_RAW_DIR / f"{table}.csv", table)
            con.register("landed", arrow_table)
            con.execute(f"create table shop_raw.{table} as select * from landed")
            con.unregister("landed")
        landed_types = {
            row[0]
            for row in con.execute(
                "select data_type from information_schema.columns where table_schema = 'shop_raw'"
            ).fetchall()
        }
    assert {"TIMESTAMP WITH TIME ZONE", "TIMESTAMP", "DATE", "DOUBLE", "BIGINT", "BOOLEAN"} <= (
        landed_types
    ), landed_types

    result = run_dbt(
        list(BUILD_WITHOUT_UNIT_TESTS),
        duckdb_path,
        tmp_path,
        vars={"raw_schema": "shop_raw", "as_of": FIXTURE_AS_OF},
    )
    assert lines_with(result, "raw input customers", "shop_raw"), output_tail(result)
    _assert_segments_as_expected(all_segment_members(duckdb_path))
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        raw_rows = dict(
            con.execute(
                "select source_table, raw_rows from quarantine.quarantine_reconciliation"
            ).fetchall()
        )
    assert raw_rows == {
        table: count_csv_data_rows(FIXTURE_RAW_DIR / f"{table}.csv") for table in RAW_TABLES
    }
