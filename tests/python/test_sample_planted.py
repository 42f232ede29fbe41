"""The bundled sample's planted customers land in exactly the segments the generator wrote.

The generator plants customers whose membership is certain whatever the random data is and
writes those expectations to tests/fixtures/sample_expected/expected_segments.csv. This
builds the sample as a raw_path directory with the default as_of (the latest clean event
time, which the generator puts at its own as_of) and compares.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest
from conftest import REPO_ROOT, run_dbt

from segwh.bench import FLAGS  # segment relation -> profile flag

SAMPLE_DIR = REPO_ROOT / "seeds" / "sample"
EXPECTED_DIR = REPO_ROOT / "tests" / "fixtures" / "sample_expected"


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("sample")
    duckdb_path = tmp / "warehouse.duckdb"
    run_dbt(["build", "--exclude-resource-type", "unit_test"], duckdb_path, tmp,
            vars={"raw_path": str(SAMPLE_DIR)})
    return duckdb_path


def test_default_as_of_is_the_generators(sample_warehouse: Path) -> None:
    manifest = json.loads((EXPECTED_DIR / "generator_manifest.json").read_text())
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        as_of = con.execute("select as_of from intermediate.int_as_of_resolved").fetchone()[0]
    assert as_of.strftime("%Y-%m-%d %H:%M:%S") == manifest["as_of"]


def test_planted_customers_are_in_their_segments(sample_warehouse: Path) -> None:
    with open(EXPECTED_DIR / "expected_segments.csv", newline="") as handle:
        expectations = list(csv.DictReader(handle))
    assert len(expectations) > 50
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        profile = {
            row[0]: dict(zip(FLAGS, row[1:], strict=True))
            for row in con.execute(
                f"select customer_id, {', '.join(FLAGS.values())} from marts.customer_profile"
            ).fetchall()
        }
        tables = {
            segment: {row[0] for row in con.execute(
                f"select customer_id from segments.{segment}").fetchall()}
            for segment in FLAGS
        }
    wrong = []
    for expectation in expectations:
        customer, segment = expectation["customer_id"], expectation["segment"]
        want = expectation["is_member"] == "true"
        assert customer in profile, f"planted customer {customer} missing from the profile"
        if profile[customer][segment] != want or (customer in tables[segment]) != want:
            wrong.append(f"{customer} {segment}: expected {want}")
    assert not wrong, "planted customers in the wrong segments:\n" + "\n".join(wrong)
