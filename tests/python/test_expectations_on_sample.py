"""Every Great Expectations suite the refresh checks before a publish holds on the bundled
sample: `make build` then `make refresh` on it must publish (a suite that disagrees with a
model's grain stops every refresh of every shop that has two cities of one name)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO_ROOT, run_dbt

from segwh.refresh.expectations import CHANGE_BAND_CHECK, load_suites, validate


def test_every_suite_holds_on_the_bundled_sample(tmp_path: Path) -> None:
    database = tmp_path / "warehouse.duckdb"
    run_dbt(["build", "--exclude-resource-type", "test", "unit_test"], database, tmp_path)
    outcomes = validate(database, load_suites(REPO_ROOT / "gx" / "expectations"), {}, 0.5)
    failed = [o.describe() for o in outcomes if not o.success and o.check != CHANGE_BAND_CHECK]
    assert outcomes and not failed, failed


def test_validation_imports_great_expectations_from_a_python_c_process() -> None:
    # `python -c` has a main module without a file: pyspark's Spark Connect package, which
    # Great Expectations imports, ends such a process with exit code 0 and no output
    code = (
        "from segwh.refresh.expectations import keep_pyspark_connect_out\n"
        "keep_pyspark_connect_out()\n"
        "import great_expectations\n"
        "print('imported', great_expectations.__version__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "imported" in result.stdout, result.stderr[-2000:]
