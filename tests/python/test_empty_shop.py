"""An empty shop builds: every model and data test, empty segments, 0 or null in the summaries.

Two builds of the small-dirty fixture (raw_path, CSV), each once per module:
- "no orders yet": orders.csv, order_items.csv, sessions.csv and carts.csv hold their
  header row only; the customers are there;
- "nobody yet": the whole fixture at an as_of before the first registration (population 0).
Counts and revenue are 0, shares whose denominator is 0 are null, as_of is the build's.
The semantic layer (`mf query`, on the build's own semantic manifest) says 0 for the
sums and counts of an empty population and null for the average order value.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from conftest import (
    FIXTURE_AS_OF,
    FIXTURE_RAW_DIR,
    REPO_ROOT,
    SEGMENTS,
    build_on_raw_path,
    output_tail,
    read_csv_file,
    write_csv_file,
)

EMPTY_TABLES = ("orders", "order_items", "sessions", "carts")
BEFORE_ANY_REGISTRATION = "2001-01-01 00:00:00"
SUMMARY_SEGMENTS = len(SEGMENTS)  # segment_summary: one row per segment (the registry)
RFM_GROUPS = 12
# links that make a project root whose target/ is a build's own (mf reads the manifest there)
PROJECT_ENTRIES = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds",
                   "snapshots", "tests", "analyses")


@dataclass(frozen=True)
class Build:
    duckdb_path: Path
    tmp_dir: Path
    as_of: str
    result: subprocess.CompletedProcess[str]


def _build(tmp_dir: Path, raw_dir: Path, as_of: str) -> Build:
    duckdb_path, result = build_on_raw_path(raw_dir, tmp_dir, check=False, as_of=as_of)
    return Build(duckdb_path, tmp_dir, as_of, result)


@pytest.fixture(scope="module")
def no_orders(tmp_path_factory: pytest.TempPathFactory) -> Build:
    tmp_dir = tmp_path_factory.mktemp("no-orders")
    raw_dir = tmp_dir / "raw"
    shutil.copytree(FIXTURE_RAW_DIR, raw_dir)
    for table in EMPTY_TABLES:
        path = raw_dir / f"{table}.csv"
        header, _ = read_csv_file(path)
        write_csv_file(path, header, [])
    return _build(tmp_dir, raw_dir, FIXTURE_AS_OF)


@pytest.fixture(scope="module")
def nobody(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return _build(tmp_path_factory.mktemp("nobody"), FIXTURE_RAW_DIR, BEFORE_ANY_REGISTRATION)


@pytest.fixture(params=["no_orders", "nobody"])
def build(request: pytest.FixtureRequest) -> Build:
    return request.getfixturevalue(request.param)


def _rows(build: Build, sql: str) -> list[tuple]:
    with duckdb.connect(str(build.duckdb_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _population(build: Build) -> int:
    return _rows(build, "select count(*) from marts.customer_profile")[0][0]


def test_every_model_and_test_builds(build: Build) -> None:
    results = json.loads((build.tmp_dir / "target" / "run_results.json").read_text())["results"]
    failed = [(r["unique_id"], r["status"]) for r in results
              if r["status"] not in ("success", "pass", "no-op")]
    assert build.result.returncode == 0 and not failed, (failed, output_tail(build.result))
    kinds = {r["unique_id"].split(".")[0] for r in results}
    assert {"model", "test"} <= kinds


def test_the_raw_files_are_really_empty(no_orders: Build, nobody: Build) -> None:
    """No event row was read in the first build; the second has data, all after as_of."""
    for table in EMPTY_TABLES:  # the base tables hold every raw row read, clean or not
        assert _rows(no_orders, f"select count(*) from staging.base_shop__{table}") \
            == [(0,)], table
    assert _population(no_orders) > 0
    first_registration = _rows(nobody, "select min(registered_at) from staging.stg_shop__customers")
    assert first_registration[0][0] > datetime.fromisoformat(BEFORE_ANY_REGISTRATION)
    assert _population(nobody) == 0


def test_segments_are_empty(build: Build) -> None:
    """Every segment is empty, but geographic, which lists the whole population."""
    population = _population(build)
    with duckdb.connect(str(build.duckdb_path), read_only=True) as con:
        sizes = {segment: con.execute(f"select count(*) from segments.{segment}").fetchone()[0]
                 for segment in SEGMENTS}
    assert sizes == {segment: population if segment == "geographic" else 0
                     for segment in SEGMENTS}


def test_segment_summary_says_zero_and_null(build: Build) -> None:
    population = _population(build)
    rows = _rows(build, "select segment, member_count, share_of_customers, revenue, "
                 "share_of_revenue, as_of from marts.segment_summary")
    assert len(rows) == SUMMARY_SEGMENTS
    for segment, members, share_of_customers, revenue, share_of_revenue, as_of in rows:
        expected_members = population if segment == "geographic" else 0
        assert members == expected_members and revenue == 0, segment
        # share of customers: defined with a population, null without; revenue share: null
        expected_share = expected_members / population if population else None
        assert share_of_customers == expected_share, segment
        assert share_of_revenue is None, segment
        assert as_of == datetime.fromisoformat(build.as_of), segment


def test_rfm_and_demographic_summaries_say_zero_and_null(build: Build) -> None:
    population = _population(build)
    rfm = _rows(build, "select rfm_group, customer_count, share_of_customers, revenue, "
                "share_of_revenue, as_of from marts.rfm_summary")
    assert len(rfm) == RFM_GROUPS
    for group, customers, share_of_customers, revenue, share_of_revenue, as_of in rfm:
        expected = population if group == "prospects" else 0
        assert customers == expected and revenue == 0 and share_of_revenue is None, group
        assert share_of_customers == (expected / population if population else None), group
        assert as_of == datetime.fromisoformat(build.as_of), group
    breakdowns = _rows(build, "select breakdown, sum(customer_count), sum(revenue), "
                       "count(share_of_customers), count(*), count(as_of) "
                       "from marts.demographic_summary group by breakdown")
    assert {row[0] for row in breakdowns} >= {"age_band_x_gender", "income_band"}
    for breakdown, customers, revenue, shares, cells, as_ofs in breakdowns:
        assert customers == population and revenue == 0 and as_ofs == cells, breakdown
        assert shares == (cells if population else 0), breakdown


def test_channel_performance_has_no_revenue_share(build: Build) -> None:
    rows = _rows(build, "select sum(customer_count), count(*), count(share_of_revenue), "
                 "coalesce(max(conversion_rate), 0), coalesce(sum(revenue), 0) "
                 "from marts.channel_performance")
    customers, channels, revenue_shares, conversion, revenue = rows[0]
    assert (customers or 0) == _population(build)
    assert revenue_shares == 0 and conversion == 0 and revenue == 0
    assert channels > 0 if _population(build) else channels == 0


def test_segment_history_is_empty_without_members(nobody: Build) -> None:
    counts = _rows(nobody, "select (select count(*) from history.segment_membership_changes), "
                   "(select count(*) from marts.segment_membership_history), "
                   "(select count(*) from marts.segment_transitions)")
    assert counts == [(0, 0, 0)]


def _mf_query(build: Build, metrics: str) -> dict[str, str]:
    """`mf query --metrics <metrics>` (no group-by) on the build's own semantic manifest."""
    root = build.tmp_dir / "mf-project"
    if not root.exists():
        root.mkdir()
        for entry in PROJECT_ENTRIES:
            (root / entry).symlink_to(REPO_ROOT / entry)
        (root / "target").symlink_to(build.tmp_dir / "target")
    out = build.tmp_dir / "mf.csv"
    env = dict(os.environ, DBT_PROFILES_DIR=str(REPO_ROOT), DBT_PROJECT_DIR=str(root),
               DUCKDB_PATH=str(build.duckdb_path),
               DUCKDB_TEMP_DIR=str(build.tmp_dir / "duckdb_tmp"))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mf"), "query", "--metrics", metrics,
         "--csv", str(out), "--quiet"],
        cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0 and out.exists(), output_tail(result)
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1, rows
    return rows[0]


def test_metrics_say_zero_and_null(nobody: Build) -> None:
    """Nobody in the population: every count and sum is 0 (not null), the average order
    value null (0 orders). With customers but no orders the sums are sums of zeros."""
    row = _mf_query(nobody, "customers,buyers,revenue,orders,average_order_value,"
                            "segment_members,segment_revenue")
    counts = ("customers", "segment_members", "buyers", "revenue", "orders", "segment_revenue")
    assert all(row[name] != "" and float(row[name]) == 0 for name in counts), row
    assert row["average_order_value"] == "", row  # revenue / 0 orders: undefined, not 0
