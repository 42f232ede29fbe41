"""Smoke test of the benchmark script (the benchmark itself is `make bench`, not a test).

Runs `python -m segwh.bench` on a tiny generated shop with the cheap steps only (the
scan floor), checks the table is printed, the JSON written and the data cached.
"""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO_ROOT


def test_bench_help() -> None:
    result = subprocess.run([sys.executable, "-m", "segwh.bench", "--help"], cwd=REPO_ROOT,
                            capture_output=True, text=True, check=True)
    assert "--customers" in result.stdout and "--steps" in result.stdout


def test_bench_scan_step_writes_report(tmp_path) -> None:
    command = [sys.executable, "-m", "segwh.bench", "--customers", "300", "--steps", "scan",
               "--data-root", str(tmp_path / "data"), "--work", str(tmp_path / "work"),
               "--out", str(tmp_path / "out")]
    first = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "scan" in first.stdout and "build / scan" in first.stdout
    reports = list((tmp_path / "out").glob("*.json"))
    assert len(reports) == 1
    report = json.loads(reports[0].read_text())
    assert report["steps"]["scan"]["rows"]["orders"] > 0
    assert report["generated_seconds"] is not None
    second = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stdout + second.stderr
    reports = sorted((tmp_path / "out").glob("*.json"))
    assert json.loads(reports[-1].read_text())["generated_seconds"] is None  # cached
