"""The shared core: the default warehouse path and the dbt child environment."""

from __future__ import annotations

from pathlib import Path

from segwh.core.dbt import dbt_command, dbt_env
from segwh.core.paths import DEFAULT_WAREHOUSE, REPO_ROOT, warehouse_path


def test_warehouse_path_follows_duckdb_path(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DUCKDB_PATH", raising=False)
    assert warehouse_path() == DEFAULT_WAREHOUSE
    assert DEFAULT_WAREHOUSE.parent == REPO_ROOT / "build"
    monkeypatch.setenv("DUCKDB_PATH", str(tmp_path / "x.duckdb"))
    assert warehouse_path() == tmp_path / "x.duckdb"


def test_dbt_env_points_the_child_at_its_own_file(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DBT_TARGET", "spark")
    env = dbt_env(tmp_path / "w.duckdb", tmp_path / "spill", {"DBT_THREADS": "2"})
    assert env["DUCKDB_PATH"] == str(tmp_path / "w.duckdb")
    assert (tmp_path / "spill").is_dir() and env["DUCKDB_TEMP_DIR"] == str(tmp_path / "spill")
    assert "DBT_TARGET" not in env and env["DBT_THREADS"] == "2"
    assert env["PYTHONPATH"].split(":")[0] == str(REPO_ROOT)
    command = dbt_command(["build"], tmp_path / "t", tmp_path / "l")
    assert command[1:] == ["build", "--target-path", str(tmp_path / "t"), "--log-path",
                           str(tmp_path / "l")]
