"""The DuckDB settings of profiles.yml come from the environment (docs/bench.md)."""

from __future__ import annotations

import json

import duckdb
import pytest
from conftest import output_of, run_dbt

from segwh.bench.cli import default_memory_limit


def test_duckdb_settings_come_from_the_environment(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DUCKDB_MEMORY_LIMIT", "1234MB")
    monkeypatch.setenv("DUCKDB_FORCE_COMPRESSION", "fsst")
    query = ("select current_setting('memory_limit') as memory_limit, "
             "current_setting('force_compression') as force_compression, "
             "current_setting('temp_directory') as temp_directory, "
             "current_setting('preserve_insertion_order') as preserve_insertion_order")
    result = run_dbt(["show", "--inline", query, "--output", "json", "--log-format", "json"],
                     tmp_path / "warehouse.duckdb", tmp_path)
    shown = None
    for line in output_of(result).splitlines():
        data = json.loads(line).get("data", {}) if line.startswith("{") else {}
        if "preview" in data:
            shown = json.loads(data["preview"])[0]
    assert shown is not None, output_of(result)[-2000:]
    # DuckDB reports the limit in its own units (1234MB = 1.1 GiB)
    assert shown["memory_limit"].startswith("1.1"), shown
    assert shown["force_compression"] == "fsst"
    assert shown["temp_directory"] == str(tmp_path / "duckdb_tmp")
    assert shown["preserve_insertion_order"] is False


def test_the_bench_reads_the_profiles_default_memory_limit(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default memory_limit is declared once, in profiles.yml: dbt without
    DUCKDB_MEMORY_LIMIT runs with the limit `make bench` reports by default."""
    monkeypatch.delenv("DUCKDB_MEMORY_LIMIT", raising=False)
    result = run_dbt(["show", "--inline", "select current_setting('memory_limit') as limit_set",
                      "--output", "json", "--log-format", "json"],
                     tmp_path / "warehouse.duckdb", tmp_path)
    shown = [json.loads(json.loads(line)["data"]["preview"])[0]["limit_set"]
             for line in output_of(result).splitlines()
             if line.startswith("{") and "preview" in json.loads(line).get("data", {})]
    with duckdb.connect() as con:
        con.execute(f"set memory_limit = '{default_memory_limit()}'")
        expected = con.execute("select current_setting('memory_limit')").fetchone()[0]
    assert shown == [expected], (shown, expected, default_memory_limit())
