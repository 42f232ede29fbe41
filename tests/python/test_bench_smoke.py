"""Smoke test of the benchmark script (the benchmark itself is `make bench`, not a test).

Runs `python -m segwh.bench` on a tiny generated shop with the cheap steps only (the
scan floor; the write floor and the CLV step after a dbt run), checks the table is printed,
the JSON written and the data cached.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import duckdb
from conftest import REPO_ROOT

from segwh.bench.clv_step import CLV_MODELS
from segwh.bench.data import RAW_TABLES
from segwh.bench.floors import write_expression


def test_bench_help() -> None:
    result = subprocess.run([sys.executable, "-m", "segwh.bench", "--help"], cwd=REPO_ROOT,
                            capture_output=True, text=True, check=True)
    assert "--customers" in result.stdout and "--steps" in result.stdout


def run_bench(tmp_path, steps: str, timeout: int = 120) -> subprocess.CompletedProcess:
    """`python -m segwh.bench` on 300 customers, everything under tmp_path; must exit 0."""
    command = [sys.executable, "-m", "segwh.bench", "--customers", "300", "--steps", steps,
               "--data-root", str(tmp_path / "data"), "--work", str(tmp_path / "work"),
               "--out", str(tmp_path / "out")]
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_bench_scan_step_writes_report(tmp_path) -> None:
    first = run_bench(tmp_path, "scan")
    assert "scan" in first.stdout and "build / scan" in first.stdout
    reports = list((tmp_path / "out").glob("*.json"))
    assert len(reports) == 1
    report = json.loads(reports[0].read_text())
    assert report["steps"]["scan"]["rows"]["orders"] > 0
    assert report["generated_seconds"] is not None
    run_bench(tmp_path, "scan")
    reports = sorted((tmp_path / "out").glob("*.json"))
    assert json.loads(reports[-1].read_text())["generated_seconds"] is None  # cached


def test_bench_write_floor_and_clv_step(tmp_path) -> None:
    result = run_bench(tmp_path, "run,write,clv", timeout=300)
    assert "run / write" in result.stdout and "dbt run <= 45 s" in result.stdout
    report = json.loads(next((tmp_path / "out").glob("*.json")).read_text())
    assert set(report["steps"]["write"]["tables"]) == set(RAW_TABLES)
    assert report["ratios"]["run_over_write_floor"] > 0
    # the CLV step: both Python models timed inside the dbt run, and alone with its memory
    clv = report["steps"]["clv"]
    assert set(clv["models"]) == set(CLV_MODELS) and clv["models_seconds"] > 0
    assert clv["exit"] == 0 and clv["buyers"] > 0 and clv["peak_rss_mb"] > 0
    assert clv["fit_seconds"] >= 0 and clv["predict_seconds"] >= 0
    assert "clv (alone)" in result.stdout and "CLV alone peak RSS <= 1 GB" in result.stdout


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
