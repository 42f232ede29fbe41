"""Tests of the benchmark's own logic (the benchmark itself is `make bench`, not a test).

Cheap: a few hundred generated customers, the export layout for the dbt steps (a `dbt run`
with the write floor and the CLV step; a run that fails on a broken raw file), and plain
DuckDB/Python for the rest: the next day as new files or as a re-export, the deletion day,
the checks after it, the targets' verdicts and the published report and README table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import REPO_ROOT

from segwh.bench.clv_step import CLV_MODELS
from segwh.bench.data import RAW_TABLES, raw_source
from segwh.bench.dbt_step import one_line_error
from segwh.bench.deletions import check_deletions, ensure_deletion_day
from segwh.bench.floors import write_expression
from segwh.bench.next_day import EVENT_TABLES, ensure_next_day, next_day_name
from segwh.bench.report import TABLE_END, TABLE_START, publish, spark_conf
from segwh.bench.targets import TARGETS, verdict
from segwh.generate import generate


def test_bench_help() -> None:
    result = subprocess.run([sys.executable, "-m", "segwh.bench", "--help"], cwd=REPO_ROOT,
                            capture_output=True, text=True, check=True)
    assert "--customers" in result.stdout and "--steps" in result.stdout
    assert "new_files" in result.stdout and "--publish" in result.stdout


def run_bench(tmp_path: Path, steps: str, timeout: int = 120,
              expect: int = 0) -> subprocess.CompletedProcess:
    """`python -m segwh.bench` on 300 customers, everything under tmp_path."""
    command = [sys.executable, "-m", "segwh.bench", "--customers", "300", "--steps", steps,
               "--data-root", str(tmp_path / "data"), "--work", str(tmp_path / "work"),
               "--out", str(tmp_path / "out")]
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == expect, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result


def newest_report(tmp_path: Path) -> dict:
    return json.loads(sorted((tmp_path / "out").glob("*.json"))[-1].read_text())


def test_bench_scan_step_writes_report(tmp_path) -> None:
    first = run_bench(tmp_path, "scan")
    assert "scan" in first.stdout and "full dbt build <= 115 s" in first.stdout
    reports = list((tmp_path / "out").glob("*.json"))
    assert len(reports) == 1
    report = json.loads(reports[0].read_text())
    assert report["steps"]["scan"]["rows"]["orders"] > 0
    assert report["generated_seconds"]["export"] is not None
    run_bench(tmp_path, "scan")
    assert newest_report(tmp_path)["generated_seconds"]["export"] is None  # cached


def test_bench_floors_and_clv_step(tmp_path) -> None:
    result = run_bench(tmp_path, "run,write,floor,clv", timeout=300)
    assert "write" in result.stdout and "dbt run <= 90 s" in result.stdout
    report = newest_report(tmp_path)
    assert set(report["steps"]["write"]["tables"]) == set(RAW_TABLES)
    assert report["ratios"]["run_over_write_floor"] > 0
    # the engine floor: every SQL model of the run again without dbt, on the raw inputs the
    # project's hook exposes (the run's file keeps none), the Python models copied
    floor = report["steps"]["floor"]
    assert not floor.get("error"), floor
    run_models = set(report["steps"]["run"]["models"])
    assert set(floor["models"]) == run_models - set(CLV_MODELS)
    assert report["ratios"]["run_over_engine_floor"] > 0
    # the CLV step: both Python models timed inside the dbt run, and alone with its memory
    clv = report["steps"]["clv"]
    assert set(clv["models"]) == set(CLV_MODELS) and clv["models_seconds"] > 0
    assert clv["exit"] == 0 and clv["buyers"] > 0 and clv["peak_rss_mb"] > 0
    assert clv["fit_seconds"] >= 0 and clv["predict_seconds"] >= 0
    assert "CLV alone peak RSS <= 1 GB" in result.stdout


def test_a_failing_dbt_step_is_reported_on_one_line(tmp_path) -> None:
    run_bench(tmp_path, "scan")  # generates the data
    (tmp_path / "data" / "300" / "orders.parquet").write_bytes(b"not a parquet file")
    result = run_bench(tmp_path, "run,clv", timeout=300, expect=1)
    report = newest_report(tmp_path)
    run = report["steps"]["run"]
    assert run["exit"] != 0 and run["error"] and "\n" not in run["error"]
    assert "orders" in run["error"], run["error"]
    assert "needs run" in report["steps"]["clv"]["skipped"]
    assert f"FAILED: {run['error']}" in result.stdout and "SKIPPED" in result.stdout
    assert "missed: run failed" in result.stdout


def test_write_floor_casts_to_the_clean_types() -> None:
    con = duckdb.connect()
    values = ["12.50", "123456789012345.5", "x", None]
    con.execute("create table raw as select unnest(?) as amount", [values])
    expression = write_expression("amount", "DECIMAL(38,6)")
    cast = [row[0] for row in con.execute(f"select {expression} from raw").fetchall()]
    # the wide value is kept (the narrow cast falls back to the wide one), text is null
    assert cast == [Decimal("12.5"), Decimal("123456789012345.5"), None, None]
    timestamps = con.execute(f"select {write_expression('amount', 'TIMESTAMP')} "
                             "from raw").fetchall()
    assert timestamps == [(None,)] * 4


def test_one_line_error_names_the_failing_node() -> None:
    log = ("12:00:01  1 of 3 START sql table model staging.stg_shop__orders\n"
           "12:00:02  Runtime Error in model stg_shop__orders (models/x.sql)\n"
           "  Invalid Input Error: No magic bytes found at end of file 'orders.parquet'\n"
           "12:00:02  Done. PASS=0 ERROR=1\n")
    assert one_line_error(log, []) == ("Runtime Error in model stg_shop__orders "
                                       "(models/x.sql): Invalid Input Error: No magic bytes "
                                       "found at end of file 'orders.parquet'")
    hook = ("Compilation Error in operation on-run-start-4 (./dbt_project.yml)\n"
            "  The raw data cannot be read; nothing was built:\n"
            "  Raw file missing: neither orders.parquet nor orders.csv exists.\n"
            "  Raw file missing: neither carts.parquet nor carts.csv exists.\n")
    assert one_line_error(hook, []) == (
        "Compilation Error in operation on-run-start-4 (./dbt_project.yml): The raw data "
        "cannot be read; nothing was built: Raw file missing: neither orders.parquet nor "
        "orders.csv exists.")
    failed = [{"unique_id": "model.p.a", "status": "success", "message": None},
              {"unique_id": "test.p.recon", "status": "fail", "message": "Got 1\nresult"}]
    assert one_line_error("", failed) == "recon: Got 1 result"


# --- the next day and the deletion day, on both layouts of one small shop ---------------
@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("shop")
    manifest = generate(150, 4, root / "export", "parquet")
    generate(150, 4, root / "deliveries", "parquet", layout="deliveries", erasures=3)
    return {"root": root, "manifest": manifest,
            "export": ensure_next_day(root / "export", manifest),
            "deliveries": ensure_next_day(root / "deliveries", manifest)}


def test_the_next_day_comes_as_new_files_or_as_a_re_export(shop) -> None:
    root, day = shop["root"], next_day_name(shop["manifest"]["as_of"])
    con = duckdb.connect()
    for table in EVENT_TABLES:
        old, new = root / "deliveries" / table, shop["deliveries"] / table
        added = sorted({p.name for p in new.iterdir()} - {p.name for p in old.iterdir()})
        assert added == [f"{day}.parquet"], table  # one new file, the old ones untouched:
        for path in old.iterdir():
            assert os.stat(path).st_ino == os.stat(new / path.name).st_ino, path
        # the new file holds what the re-export adds to the export
        reexported = (f"select * from {raw_source(shop['export'], table)} except all "
                      f"select * from {raw_source(root / 'export', table)}")
        delivered = f"select * from read_parquet('{new / added[0]}')"
        assert con.execute(f"select count(*) from ({delivered})").fetchone()[0] > 0, table
        for a, b in ((reexported, delivered), (delivered, reexported)):
            assert con.execute(f"select count(*) from ({a} except all {b})").fetchone() \
                == (0,), table
    for table in ("customers", "products"):
        assert (shop["deliveries"] / f"{table}.parquet").read_bytes() == \
            (root / "deliveries" / f"{table}.parquet").read_bytes()


def test_the_deletion_day_deletes_tombstones_and_erases(shop) -> None:
    before = shop["deliveries"]
    day, picks = ensure_deletion_day(before, shop["manifest"]["as_of"])
    con = duckdb.connect()

    def ids(raw: Path, table: str, column: str = "customer_id") -> set[str]:
        return {r[0] for r in con.execute(
            f"select distinct trim({column}) from {raw_source(raw, table)}").fetchall()}

    assert picks["deleted_customer"] in ids(before, "customers")
    assert ids(day, "customers") == ids(before, "customers") - {picks["deleted_customer"]}
    assert ids(day, "erasures") == ids(before, "erasures") | {picks["erased_customer"]}
    # customers the shop had erased already are not picked again (erasure wins)
    assert not {picks["erased_customer"], picks["deleted_customer"]} & ids(before, "erasures")
    assert len(ids(before, "erasures")) == 3
    assert picks["erased_orders"] and set(picks["erased_orders"]) <= ids(before, "orders",
                                                                           "order_id")
    tomb = con.execute(f"""
        select updated_at, _deleted, count(*) over () from {raw_source(day, 'orders')}
        where trim(order_id) = ? and _deleted is not null""",
                       [picks["tombstoned_order"]]).fetchall()
    assert len(tomb) == 1 and tomb[0][1] == "true"
    latest = con.execute(f"""select max(greatest(try_cast(updated_at as timestamp),
                                                 try_cast(ordered_at as timestamp)))
                             from {raw_source(before, 'orders')} where trim(order_id) = ?""",
                         [picks["tombstoned_order"]]).fetchone()[0]
    assert str(latest) < tomb[0][0]


def _warehouse(path: Path, erased: str, reconciliation: str) -> None:
    """A built file in miniature: a clean table, a mart, the reconciliation."""
    with duckdb.connect(str(path)) as con:
        for schema in ("staging", "marts", "quarantine"):
            con.execute(f"create schema {schema}")
        con.execute("create table staging.stg_shop__customers as select 'C1' as customer_id")
        con.execute("create table staging.stg_shop__orders as select 'O1' as order_id")
        con.execute(f"create table marts.customer_profile as select '{erased}' as customer_id")
        con.execute(f"create table quarantine.quarantine_reconciliation as {reconciliation}")


def test_check_deletions_finds_what_was_left_behind(tmp_path) -> None:
    picks = {"erased_customer": "C9", "erased_orders": ["O9"], "deleted_customer": "C8",
             "tombstoned_order": "O1"}
    target = tmp_path / "target"
    target.mkdir()
    (target / "run_results.json").write_text(json.dumps({"results": [
        {"unique_id": "test.p.quarantine_reconciliation_balances", "status": "pass"}]}))
    counts = ("select * from (values ('orders', 1, 1), ('customers', 0, 1)) "
              "as t(source_table, deleted_rows, erased_rows)")
    _warehouse(tmp_path / "left.duckdb", "C9", counts)
    found = check_deletions(tmp_path / "left.duckdb", picks, target)
    assert not found["ok"]
    assert "erased customer in marts.customer_profile.customer_id: 1" in found["problems"]
    assert "tombstoned order O1 has a clean row: 1" in found["problems"]
    _warehouse(tmp_path / "clean.duckdb", "C1", counts)
    picks["tombstoned_order"] = "O2"
    assert check_deletions(tmp_path / "clean.duckdb", picks, target) == \
        {"checks": picks, "problems": [], "ok": True}
    _warehouse(tmp_path / "old.duckdb", "C1", "select 'orders' as source_table, 1 as raw_rows")
    assert check_deletions(tmp_path / "old.duckdb", picks, target)["problems"] == [
        "quarantine_reconciliation has no deleted_rows, erased_rows column"]


# --- targets and the published report ---------------------------------------------------
def _report(customers: int, **steps: dict) -> dict:
    return {"customers": customers, "steps": steps, "settings": {"memory_limit": "4GB",
            "threads": 1}, "machine": {"cpus": 2, "cpu": "X"}, "measured_at": "T",
            "load_average_at_start": [1.0], "raw_rows": {}}


def test_targets_say_met_missed_failed_or_not_measured() -> None:
    by_name = {t.what: t for t in TARGETS}
    run = by_name["dbt run <= 90 s"]
    assert verdict(run, _report(1_000_000, run={"seconds": 80, "exit": 0})) == (80, "met")
    assert verdict(run, _report(1_000_000, run={"seconds": 95, "exit": 0})) == (95, "missed")
    assert verdict(run, _report(100_000, run={"seconds": 20, "exit": 0})) == \
        (20, "met (target set for 1,000,000)")
    assert verdict(run, _report(1_000_000, run={"exit": 1, "error": "x"}))[1] == \
        "missed: run failed"
    assert verdict(run, _report(1_000_000)) == (None, "not measured")
    assert verdict(run, _report(1_000_000, run={"skipped": "needs x"}))[1] == \
        "not measured: run skipped (needs x)"
    share = by_name["refresh, new files / full build <= 0.10"]
    report = _report(1_000_000, build={"seconds": 100, "exit": 0},
                     new_files={"seconds": 12, "exit": 0})
    assert verdict(share, report) == (0.12, "missed")
    assert verdict(by_name["peak RSS of the dbt steps <= 4 GB (MB)"], _report(
        1_000_000, build={"peak_rss_mb": 3000}, new_files={"peak_rss_mb": 4200})) == \
        (4200, "missed")
    ten = by_name["10M customers complete under memory_limit 4GB"]
    assert verdict(ten, _report(1_000_000, build={"seconds": 1, "exit": 0}))[1].startswith(
        "not measured")
    assert verdict(ten, _report(10_000_000, build={"seconds": 9, "exit": 0})) == (True, "met")
    correct = by_name["refresh after a deletion, a tombstone, an erasure: correct"]
    assert verdict(correct, _report(1_000_000, deletions={"ok": False, "exit": 0})) == \
        (False, "missed")


def test_publish_keeps_the_latest_report_per_size_and_the_readme_table(tmp_path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nbefore\n{TABLE_START}\nold table\n{TABLE_END}\nafter\n")
    docs = tmp_path / "bench"
    for customers, build in ((100_000, 50), (100_000, 40), (1_000_000, 300)):
        publish(_report(customers, build={"seconds": build, "exit": 0, "peak_rss_mb": 4142},
                        planted={"checked": 10, "wrong": [], "ok": True},
                        deletions={"ok": True, "exit": 0, "seconds": 5}), docs, readme)
    assert sorted(p.name for p in docs.iterdir()) == ["100k.json", "1m.json"]
    text = readme.read_text()
    assert text.startswith("# Title\n\nbefore\n") and text.endswith(f"{TABLE_END}\nafter\n")
    assert "old table" not in text
    rows = [line for line in text.splitlines() if line.startswith(("| 100k", "| 1M"))]
    assert rows[0].split(" | ")[:2] == ["| 100k", "40 s"]  # the latest 100k report
    assert rows[1].split(" | ")[:2] == ["| 1M", "300 s"] and "| yes |" in rows[1]
    # the peak as the target reads it: 4,142 MB is over 4 GB, which "4.0 GB" would hide
    assert "| 4,142 MB |" in rows[1]
    assert "Machine: 2 vCPU X" in text


def test_a_spark_run_is_published_beside_the_duckdb_one_and_compared(tmp_path) -> None:
    """`--engine spark --publish` keeps its own report (100k-spark.json): it neither
    replaces the size's DuckDB report nor enters the DuckDB table; the README compares the
    two builds of the same size in a table of its own."""
    readme = tmp_path / "README.md"
    readme.write_text(f"{TABLE_START}\n{TABLE_END}\n")
    docs = tmp_path / "bench"
    publish(_report(100_000, build={"seconds": 60, "exit": 0, "tests": 400}), docs, readme)
    spark = _report(100_000, build={"seconds": 900, "exit": 0, "tests": 380})
    spark.update(engine="spark", spark_conf={"spark.driver.memory": "2g",
                                             "spark.executor.memory": "2g"})
    publish(spark, docs, readme)
    assert sorted(p.name for p in docs.iterdir()) == ["100k-spark.json", "100k.json"]
    lines = readme.read_text().splitlines()
    duckdb_rows = [line for line in lines if line.startswith("| 100k | 60 s")]
    spark_rows = [line for line in lines if line.startswith("| 100k | 60 s | 900 s")]
    assert len(duckdb_rows) == 2 and len(spark_rows) == 1  # one row per table
    assert "| 15.0 | 380 | driver 2g, executor 2g" in spark_rows[0]


def test_spark_conf_reads_the_clusters_settings(tmp_path) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "spark-defaults.conf").write_text(
        "# Written by segwh.spark\nspark.driver.memory 2g\nspark.sql.shuffle.partitions 4\n"
        "spark.driver.host 127.0.0.1\n")
    assert spark_conf(tmp_path) == {"spark.driver.memory": "2g",
                                    "spark.sql.shuffle.partitions": "4"}
    assert spark_conf(tmp_path / "missing") == {}
