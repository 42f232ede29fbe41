"""`python -m segwh.spark_cluster` (make spark-cluster) fails cleanly: one line, nothing
left running. The healthy cluster itself is tested with the Spark equivalence test, which
shares the one cluster of the test run (fixture spark_cluster)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, processes_mentioning

from segwh.spark_cluster import PORT_SETTINGS


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "segwh.spark_cluster", *args], cwd=REPO_ROOT,
                          env={**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", **env},
                          capture_output=True, text=True, timeout=300, check=False)


def auto_ports() -> dict[str, str]:
    return {variable: "auto" for _key, variable, _default in PORT_SETTINGS}


def test_help_names_the_commands_and_the_ports() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for word in ("start", "stop", "status", "SPARK_THRIFT_PORT", "SPARK_MASTER_PORT", "auto"):
        assert word in result.stdout


def test_a_port_in_use_is_refused_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("start", "--dir", str(tmp_path), **{**auto_ports(),
                                                            "SPARK_THRIFT_PORT": str(port)})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"spark-cluster: port {port} on 127.0.0.1 is in use: set SPARK_THRIFT_PORT to a free "
        "port (or 'auto')")
    assert not (tmp_path / "cluster.json").exists()


def test_stop_without_a_cluster_says_so(tmp_path: Path) -> None:
    result = run_cli("stop", "--dir", str(tmp_path))
    assert result.returncode == 0
    assert result.stdout.strip() == f"no Spark cluster running from {tmp_path}"


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17")
def test_a_failed_start_stops_what_it_started(tmp_path: Path) -> None:
    """The master starts, the worker cannot (bad memory size): the master is stopped by
    its pid and the error names the worker and shows its log."""
    result = run_cli("start", "--dir", str(tmp_path), "--worker-memory", "lots",
                     **auto_ports())
    assert result.returncode == 1
    assert result.stderr.startswith("spark-cluster: the Spark worker exited while starting")
    assert str(tmp_path / "logs" / "worker.log") in result.stderr
    assert processes_mentioning(str(tmp_path)) == []
    assert not (tmp_path / "cluster.json").exists()
