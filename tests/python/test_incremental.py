"""An incremental run after new data gives exactly what a full refresh on that data gives.

Generates a small shop, builds it in full, appends one day of new data (new orders,
lines, sessions, carts, late-arriving orders inside the lookback window and re-exported
orders with a later updated_at and another status; see segwh.bench.ensure_next_day),
runs `dbt build` again (incremental on DuckDB) and compares every staging, quarantine,
segment and mart table with a full refresh of the same data (batch-marker columns
`_loaded_at` aside; the base views hold the rows a run read, so they differ by design).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import BUILD_WITHOUT_UNIT_TESTS, REPO_ROOT, run_dbt

from segwh.bench import ensure_next_day

SCHEMAS = ("staging", "quarantine", "intermediate", "segments", "marts")
HISTORY = {"segment_membership_history", "segment_transitions"}  # depend on run history


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    tmp = tmp_path_factory.mktemp("incremental")
    raw = tmp / "raw"
    subprocess.run([sys.executable, "-m", "segwh.generate", "--customers", "1500",
                    "--format", "parquet", "--out", str(raw), "--quiet"],
                   cwd=REPO_ROOT, check=True)
    next_day = ensure_next_day(raw, json.loads((raw / "generator_manifest.json").read_text()))
    incremental = tmp / "incremental.duckdb"
    run_dbt(list(BUILD_WITHOUT_UNIT_TESTS), incremental, tmp / "a", vars={"raw_path": str(raw)})
    run_dbt(list(BUILD_WITHOUT_UNIT_TESTS), incremental, tmp / "b",
            vars={"raw_path": str(next_day)})
    full = tmp / "full.duckdb"
    run_dbt(list(BUILD_WITHOUT_UNIT_TESTS), full, tmp / "c", vars={"raw_path": str(next_day)})
    return incremental, full, next_day


def test_next_day_has_new_and_changed_rows(builds: tuple[Path, Path, Path]) -> None:
    _, full, _ = builds
    with duckdb.connect(str(full), read_only=True) as con:
        new = con.execute("select count(*) from staging.stg_shop__orders "
                          "where order_id like 'N1-%'").fetchone()[0]
        late = con.execute("select count(*) from staging.stg_shop__orders "
                           "where order_id like 'L1-%'").fetchone()[0]
        reexported = con.execute(
            "select count(*) from staging.base_shop__orders where reject_reason is null "
            "group by order_id having count(*) > 1 limit 1").fetchall()
    assert new > 0 and late > 0 and reexported


def test_incremental_equals_full_refresh(builds: tuple[Path, Path, Path]) -> None:
    incremental, full, _ = builds
    differences = []
    with duckdb.connect(str(incremental), read_only=True) as con:
        con.execute(f"attach '{full}' as full_db (read_only)")
        catalog = con.execute("select current_database()").fetchone()[0]
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_catalog = '{catalog}' and table_schema in {SCHEMAS} "
            # the base views hold the rows a run read (the window, after an incremental run)
            "and table_type = 'BASE TABLE' order by 1, 2"
        ).fetchall()
        assert len(relations) > 20
        for schema, table in relations:
            if table in HISTORY or table.endswith("_keys"):
                continue  # history depends on runs; *_keys hold the ids a run read
            columns = [row[0] for row in con.execute(
                "select column_name from information_schema.columns where table_catalog = ? "
                "and table_schema = ? and table_name = ? order by ordinal_position",
                [catalog, schema, table]).fetchall() if row[0] != "_loaded_at"]
            select = ", ".join(f'"{c}"' for c in columns)
            ours = f'select {select} from "{catalog}"."{schema}"."{table}"'
            theirs = f'select {select} from full_db."{schema}"."{table}"'
            count = "select count(*) from ({} except all {})"
            extra = con.execute(count.format(ours, theirs)).fetchone()[0]
            missing = con.execute(count.format(theirs, ours)).fetchone()[0]
            if extra or missing:
                differences.append(f"{schema}.{table}: {extra} rows only incremental, "
                                   f"{missing} only full")
    assert not differences, "\n".join(differences)


def test_latest_load_tests_read_the_rows_of_the_latest_load(
    builds: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """The stg event views' tests (meta latest_load_only) see the rows the latest run loaded.

    A duplicated session id among the rows of an older load is outside their scope; the
    same duplicate in the latest load fails `unique`.
    """
    incremental, _, next_day = builds
    warehouse = tmp_path / incremental.name  # the views name their database: keep the name
    warehouse.write_bytes(incremental.read_bytes())
    test = ["test", "--select", "unique_stg_shop__sessions_session_id"]

    def duplicate_a_row(latest: bool) -> None:
        with duckdb.connect(str(warehouse)) as con:
            checked = "staging.stg_shop__sessions_checked"
            latest_load = f"(select max(_loaded_at) from {checked})"
            loads = con.execute(f"select count(distinct _loaded_at) from {checked}").fetchone()[0]
            assert loads == 2, "the incremental run loaded some rows again, not all"
            condition = f"_loaded_at {'=' if latest else '<'} {latest_load}"
            inserted = con.execute(
                f"insert into {checked} select * from {checked} "
                f"where reject_reason is null and {condition} limit 1").fetchone()[0]
            assert inserted == 1

    duplicate_a_row(latest=False)
    result = run_dbt(test, warehouse, tmp_path / "old", vars={"raw_path": str(next_day)})
    assert "PASS unique_stg_shop__sessions_session_id" in result.stdout.replace("[", "")
    duplicate_a_row(latest=True)
    result = run_dbt(test, warehouse, tmp_path / "latest", vars={"raw_path": str(next_day)},
                     check=False)
    assert result.returncode != 0 and "FAIL 1" in result.stdout, result.stdout[-2000:]
