"""Raw files as real exporters write them (spec raw-data.md): typed Parquet, CSV files with
malformed lines, files that are not CSV at all, another encoding, two files for one table.

Three builds, each made once per module and read by several tests:
  - `typed_build`: every table but carts as typed Parquet (every logical type: timestamps
    with several zones and units and without a zone, dates, doubles, decimals, integers,
    booleans; the ids and other text columns as Parquet strings), carts as CSV with one
    malformed line of each kind. Compared with the CSV build of the same fixture
    (acceptance_db);
  - `latin1_build`: every file a latin-1 CSV with accented text, var raw_encoding latin-1;
  - `broken_directory`: one directory with every file problem at once (0 bytes, binary,
    semicolons, a missing required column, a .csv and a .parquet, a file and a folder):
    the build stops before anything is built, with one line per file.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import (
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
    typed_arrow_table,
)

TYPED_TABLES = ("customers", "orders", "order_items", "products", "sessions")
KEYS = {
    "customers": "customer_id",
    "orders": "order_id",
    "order_items": "order_item_id",
    "products": "product_id",
    "sessions": "session_id",
    "carts": "cart_id",
}


def _csv_lines(path: Path) -> list[bytes]:
    """The physical lines of a fixture CSV file (CRLF ends, header first), as bytes."""
    return path.read_bytes().split(b"\r\n")[:-1]


def _write_lines(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"".join(line + b"\r\n" for line in lines))


# One malformed line of each kind, inserted at a known line (header = line 1) or, for the
# unterminated quote, last: an RFC 4180 reader takes everything up to the next quote into
# the open value, so only a last line shows it on its own.
CART_BREAKS = {
    12: b"K9999001,C00001,2025-06-01 05:54:40,2025-06-01 05:54:40,,10.00,USD,1,extra",
    23: b"K9999002,C00001,2025-06-01 05:54:40",
    34: b"K9999003,C00001,2025-06-01 05:54:40,2025-06-01 05:54:40,,10.00,caf\xe9,1",
}
CART_UNTERMINATED = b'K9999004,C00001,"2025-06-01 05:54:40,2025-06-01 05:54:40,,10.00,USD,1'


@pytest.fixture(scope="module")
def typed_build(tmp_path_factory: pytest.TempPathFactory):
    """(warehouse, dbt result, raw dir, untyped values) of the typed Parquet + broken CSV
    build."""
    root = tmp_path_factory.mktemp("typed_build")
    raw_dir = root / "raw"
    raw_dir.mkdir()
    untyped = {}
    for table in TYPED_TABLES:
        arrow_table, untyped[table] = typed_arrow_table(FIXTURE_RAW_DIR / f"{table}.csv", table)
        pq.write_table(arrow_table, raw_dir / f"{table}.parquet")
    carts = _csv_lines(FIXTURE_RAW_DIR / "carts.csv")
    for line_number, line in sorted(CART_BREAKS.items()):
        carts.insert(line_number - 1, line)
    _write_lines(raw_dir / "carts.csv", [*carts, CART_UNTERMINATED])
    duckdb_path, result = build_on_raw_path(raw_dir, root)
    return duckdb_path, result, raw_dir, untyped


def _rows(duckdb_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        return con.execute(sql).fetchall()


# --- typed Parquet ---------------------------------------------------------------------


def test_typed_parquet_gives_the_csv_builds_segments(typed_build, acceptance_db):
    duckdb_path, result, _, _ = typed_build
    for table in TYPED_TABLES:
        assert lines_with(result, f"raw input {table}", f"{table}.parquet"), output_tail(result)
    typed_members = all_segment_members(duckdb_path)
    csv_members = all_segment_members(acceptance_db)
    wrong = {
        segment: describe_set_difference(typed_members[segment], csv_members[segment])
        for segment in SEGMENTS
        if typed_members[segment] != csv_members[segment]
    }
    assert not wrong, f"the typed Parquet build differs from the CSV build: {wrong}"
    wrong = [segment for segment in SEGMENTS if typed_members[segment] != expected_members(segment)]
    assert not wrong, f"segments that differ from expected/: {wrong}"


def test_typed_parquet_gives_the_csv_builds_customer_metrics(typed_build, acceptance_db):
    sql = "select * from marts.customer_profile order by customer_id"
    typed_rows, csv_rows = _rows(typed_build[0], sql), _rows(acceptance_db, sql)
    assert len(typed_rows) == len(csv_rows) > 300
    wrong = [(typed, csv) for typed, csv in zip(typed_rows, csv_rows, strict=True) if typed != csv]
    assert not wrong, f"{len(wrong)} customer_profile rows differ (typed, csv), first: {wrong[:3]}"


def test_typed_parquet_quarantines_what_the_csv_build_quarantines(typed_build, acceptance_db):
    """Same rows, same reasons, except a required value that no typed column can hold
    (the fixture's `garbage` timestamp): written as null, it is missing, not unparseable."""
    duckdb_path, _, _, untyped = typed_build
    sql = (
        "select source_table, record_key, reason_code from quarantine.quarantined_rows "
        "where reason_code <> 'malformed_row'"
    )
    csv_rows = _rows(acceptance_db, sql)
    became_null = set()
    for table, values in untyped.items():
        header, rows = read_csv_file(FIXTURE_RAW_DIR / f"{table}.csv")
        for column, row_index, _ in values:
            became_null.add((table, rows[row_index][header.index(KEYS[table])].strip(), column))
    assert {(table, column) for table, _, column in became_null} == {
        ("customers", "registered_at"),
        ("orders", "ordered_at"),
    }, f"the fixture's untypeable values changed: {became_null}"
    nulled_keys = {(table, key) for table, key, _ in became_null}
    expected = sorted(
        ((table, key, "missing_required" if (table, key) in nulled_keys else reason)
         for table, key, reason in csv_rows),
        key=str,
    )
    assert sorted(_rows(duckdb_path, sql), key=str) == expected
    # the bug this guards against: a zoned timestamp read as text ending in `+00`
    (orders_quarantined,) = _rows(
        duckdb_path,
        "select count(*) from quarantine.quarantined_rows where source_table = 'orders'",
    )[0]
    assert orders_quarantined < 100


def test_typed_timestamps_are_read_as_their_utc_instant(typed_build, acceptance_db):
    """A zoned timestamp (written in Asia/Tehran, America/Sao_Paulo) is its UTC instant; a
    zone-less one (nanosecond and millisecond units) reads like the same text in the CSV."""
    sql = (
        "select order_id, ordered_at, updated_at from staging.stg_shop__orders "
        "union all select customer_id, registered_at, updated_at from staging.stg_shop__customers"
    )
    assert sorted(_rows(typed_build[0], sql)) == sorted(_rows(acceptance_db, sql))


# --- malformed CSV lines ---------------------------------------------------------------


def test_malformed_lines_are_quarantined_with_file_line_and_text(typed_build):
    duckdb_path, _, raw_dir, _ = typed_build
    rows = _rows(
        duckdb_path,
        "select source_table, record_key, source_file, line_number, raw_record "
        "from quarantine.quarantined_rows where reason_code = 'malformed_row' "
        "order by source_table, line_number",
    )
    last_line = len(_csv_lines(FIXTURE_RAW_DIR / "carts.csv")) + len(CART_BREAKS) + 1
    expected = [
        ("carts", None, str(raw_dir / "carts.csv"), line_number, line)
        for line_number, line in [*sorted(CART_BREAKS.items()), (last_line, CART_UNTERMINATED)]
    ]
    assert [row[:4] for row in rows] == [row[:4] for row in expected]
    for (*_, raw_record), (*_, line) in zip(rows, expected, strict=True):
        # the line as it is in the file, an invalid byte shown replaced (DuckDB's `?` may
        # take the byte after it too)
        readable = line.decode("utf-8", errors="replace")
        bad = readable.find("\ufffd")
        if bad < 0:
            assert raw_record == readable
        else:
            assert raw_record[:bad] == readable[:bad], (raw_record, readable)
            assert raw_record.endswith(readable[bad + 2:]), (raw_record, readable)
            assert set(raw_record[bad:len(raw_record) - len(readable[bad + 2:])]) == {"?"}


def test_malformed_lines_are_counted_by_the_reconciliation(typed_build, acceptance_db):
    duckdb_path = typed_build[0]
    sql = (
        "select source_table, raw_rows, clean_rows, quarantined_rows, merged_duplicate_rows "
        "from quarantine.quarantine_reconciliation"
    )
    counts = {row[0]: row[1:] for row in _rows(duckdb_path, sql)}
    csv_counts = {row[0]: row[1:] for row in _rows(acceptance_db, sql)}
    assert set(counts) == set(RAW_TABLES)
    for table, (raw, clean, quarantined, merged) in counts.items():
        assert raw == clean + quarantined + merged, (table, counts[table])
    added = len(CART_BREAKS) + 1
    raw, clean, quarantined, merged = counts["carts"]
    assert raw == count_csv_data_rows(FIXTURE_RAW_DIR / "carts.csv") + added
    # every other line of the file loaded: the clean rows are the CSV build's
    assert (clean, merged) == (csv_counts["carts"][1], csv_counts["carts"][3])
    assert quarantined == csv_counts["carts"][2] + added


# --- another encoding ------------------------------------------------------------------

ACCENTED = {"products": ("product_name", "Crème brûlée {}"), "customers": ("region", "Région")}


@pytest.fixture(scope="module")
def latin1_build(tmp_path_factory: pytest.TempPathFactory):
    """The fixture as latin-1 CSV files (accented product names and regions), built up to
    the quarantine with var raw_encoding latin-1."""
    root = tmp_path_factory.mktemp("latin1_build")
    raw_dir = root / "raw"
    raw_dir.mkdir()
    for table in RAW_TABLES:
        text = (FIXTURE_RAW_DIR / f"{table}.csv").read_bytes().decode("utf-8")
        if table in ACCENTED:
            column, template = ACCENTED[table]
            header, rows = read_csv_file(FIXTURE_RAW_DIR / f"{table}.csv")
            index = header.index(column)
            lines = text.split("\r\n")
            for row_number, row in enumerate(rows, start=1):
                row[index] = template.format(row_number) if row[index] else row[index]
                assert "," not in row[index] and '"' not in lines[row_number]
                lines[row_number] = ",".join(row)
            text = "\r\n".join(lines)
        (raw_dir / f"{table}.csv").write_bytes(text.encode("latin-1"))
    duckdb_path, result = build_on_raw_path(
        raw_dir,
        root,
        args=("build", "--select", "+quarantine_reconciliation", "+quarantined_rows",
              "--indirect-selection", "cautious", "--exclude-resource-type", "unit_test"),
        raw_encoding="latin-1",
    )
    return duckdb_path, result


def test_latin1_files_are_read_with_var_raw_encoding(latin1_build):
    duckdb_path, _ = latin1_build
    names = [row[0] for row in _rows(
        duckdb_path, "select product_name from staging.stg_shop__products order by product_id"
    )]
    assert names and all(name.startswith("Crème brûlée ") for name in names), names[:5]
    regions = {row[0] for row in _rows(
        duckdb_path, "select distinct region from staging.stg_shop__customers"
    )}
    assert regions == {"Région"}, regions
    reconciliation = _rows(
        duckdb_path,
        "select source_table, raw_rows, clean_rows + quarantined_rows + merged_duplicate_rows "
        "from quarantine.quarantine_reconciliation",
    )
    assert {row[0]: row[1] for row in reconciliation} == {
        table: count_csv_data_rows(FIXTURE_RAW_DIR / f"{table}.csv") for table in RAW_TABLES
    }
    assert all(row[1] == row[2] for row in reconciliation), reconciliation
    (malformed,) = _rows(
        duckdb_path,
        "select count(*) from quarantine.quarantined_rows where reason_code = 'malformed_row'",
    )[0]
    assert malformed == 0, "a latin-1 file read as latin-1 has no malformed line"


# --- files that cannot be read ---------------------------------------------------------


@pytest.fixture(scope="module")
def broken_directory(tmp_path_factory: pytest.TempPathFactory):
    """A raw directory where each table has a file problem; (raw dir, dbt result)."""
    root = tmp_path_factory.mktemp("broken_directory")
    raw_dir = root / "raw"
    shutil.copytree(FIXTURE_RAW_DIR, raw_dir)
    (raw_dir / "customers.csv").write_bytes(b"")
    (raw_dir / "orders.csv").write_bytes(random.Random(13).randbytes(3000))
    products = (FIXTURE_RAW_DIR / "products.csv").read_text(encoding="utf-8")
    (raw_dir / "products.csv").write_text(products.replace(",", ";"), encoding="utf-8")
    pq.write_table(typed_arrow_table(FIXTURE_RAW_DIR / "sessions.csv", "sessions")[0],
                   raw_dir / "sessions.parquet")
    (raw_dir / "carts").mkdir()
    shutil.copy(FIXTURE_RAW_DIR / "carts.csv", raw_dir / "carts" / "2025-06-30.csv")
    drop_csv_columns(raw_dir / "order_items.csv", ["quantity"])
    _, result = build_on_raw_path(raw_dir, root, check=False)
    return raw_dir, result


def _one_line_naming(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    found = lines_with(result, *needles)
    assert found, f"no line of the output names {needles}:\n{output_tail(result)}"
    return found[0]


def test_broken_files_stop_the_build_before_anything_is_built(broken_directory):
    assert_clean_failure(broken_directory[1])


def test_empty_file_is_named(broken_directory):
    raw_dir, result = broken_directory
    line = _one_line_naming(result, str(raw_dir / "customers.csv"))
    assert "empty" in line.lower(), line


@pytest.mark.parametrize("table", ["orders", "products"])
def test_file_that_is_not_comma_separated_csv_is_named(broken_directory, table):
    """A binary file and a semicolon-separated one: no required column in the header."""
    raw_dir, result = broken_directory
    line = _one_line_naming(result, str(raw_dir / f"{table}.csv"), "comma-separated")
    if table == "products":
        assert "semicolons" in line, line


def test_missing_required_column_is_named_with_its_file(broken_directory):
    raw_dir, result = broken_directory
    line = _one_line_naming(result, str(raw_dir / "order_items.csv"), "'quantity'")
    assert "missing the required column" in line, line


def test_csv_and_parquet_for_one_table_is_an_error_naming_both(broken_directory):
    raw_dir, result = broken_directory
    _one_line_naming(result, str(raw_dir / "sessions.csv"), str(raw_dir / "sessions.parquet"))


def test_file_and_folder_for_one_table_is_an_error_naming_both(broken_directory):
    raw_dir, result = broken_directory
    _one_line_naming(result, str(raw_dir / "carts.csv"), str(raw_dir / "carts") + "/")
