"""The customer picture on data the project has never seen.

A fresh dataset is generated with `segwh.generate` (its own seed), the models up to the
customer-picture marts are built on it into a warehouse of their own, and then:
- every new column of marts.customer_profile and every new mart is populated where the
  definitions say it must be;
- lifecycle_stage, spend_tier and the RFM scores and groups are recomputed here in Python,
  independently, from the profile's metric columns (order_count, lifetime_value,
  first_order_at, last_order_at, days_since_last_order, as_of) and compared row by row.

The definitions recomputed are docs/segments.md's ("The customer picture").
"""

from __future__ import annotations

import subprocess
import sys
from bisect import bisect_left, bisect_right
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import REPO_ROOT, run_dbt

GENERATED_CUSTOMERS = 3000
GENERATED_SEED = 7
NEW_CUSTOMER_DAYS = 90
ACTIVE_DAYS = 180

NEW_MARTS = (
    "customer_category_affinity",
    "channel_performance",
    "demographic_summary",
    "rfm_summary",
)
# new profile columns that must be non-null for every customer
ALWAYS_SET = (
    "lifecycle_stage",
    "age_band",
    "gender",
    "education",
    "occupation",
    "marital_status",
    "income_band",
    "customer_type",
    "acquisition_channel",
    "is_due_for_next_order",
    "rfm_group",
)
# new profile columns that must be set for some customers of a realistic dataset
SOMETIMES_SET = (
    "age",
    "company_type",
    "top_category",
    "primary_device",
    "median_days_between_orders",
    "expected_next_order_at",
    "peak_order_month",
    "email_sha256",
)

# R x FM -> group (docs/segments.md, "RFM groups")
RFM_GRID = {
    5: ["new", "potential_loyalists", "potential_loyalists", "champions", "champions"],
    4: ["promising", "potential_loyalists", "potential_loyalists", "loyal", "loyal"],
    3: ["about_to_sleep", "about_to_sleep", "needs_attention", "loyal", "loyal"],
    2: ["hibernating", "hibernating", "at_risk", "at_risk", "cannot_lose"],
    1: ["lost", "hibernating", "at_risk", "at_risk", "cannot_lose"],
}


@pytest.fixture(scope="module")
def picture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built on a freshly generated dataset: the new marts, their parents and
    their data tests (the unit tests do not depend on the data and run in `make dbt-build`)."""
    tmp_dir = tmp_path_factory.mktemp("picture")
    raw_dir = tmp_dir / "raw"
    generated = subprocess.run(
        [
            sys.executable,
            "-m",
            "segwh.generate",
            "--customers",
            str(GENERATED_CUSTOMERS),
            "--seed",
            str(GENERATED_SEED),
            "--out",
            str(raw_dir),
            "--expectations-out",
            str(tmp_dir / "expected"),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if generated.returncode != 0:
        pytest.fail(f"segwh.generate failed:\n{generated.stdout}{generated.stderr}")
    duckdb_path = tmp_dir / "warehouse.duckdb"
    run_dbt(
        [
            "build",
            "--select",
            "+customer_profile",
            "+customer_category_affinity",
            "channel_performance",
            "demographic_summary",
            "rfm_summary",
            "--exclude-resource-type",
            "unit_test",
            "--indirect-selection",
            "cautious",
        ],
        duckdb_path,
        tmp_dir,
        vars={"raw_path": str(raw_dir)},
    )
    return duckdb_path


@pytest.fixture(scope="module")
def profile(picture_db: Path) -> list[dict]:
    with duckdb.connect(str(picture_db), read_only=True) as con:
        cursor = con.execute("select * from marts.customer_profile")
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _below(sorted_values: list, value) -> int:
    """How many values are strictly lower."""
    return bisect_left(sorted_values, value)


def _above(sorted_values: list, value) -> int:
    """How many values are strictly higher."""
    return len(sorted_values) - bisect_right(sorted_values, value)


def _bucket(strictly_worse: int, total: int, buckets: int) -> int:
    return buckets * strictly_worse // total + 1


def test_new_marts_are_populated(picture_db: Path):
    with duckdb.connect(str(picture_db), read_only=True) as con:
        for mart in NEW_MARTS:
            rows = con.execute(f"select count(*) from marts.{mart}").fetchone()[0]
            assert rows > 0, f"marts.{mart} is empty on generated data"
        core = con.execute(
            "select count(*) from marts.channel_performance where is_pareto_core"
        ).fetchone()[0]
        assert core >= 1, "no channel in the Pareto core"
        customers = con.execute("select count(*) from marts.customer_profile").fetchone()[0]
        for breakdown in ("age_band_x_gender", "education", "income_band"):
            total = con.execute(
                "select sum(customer_count) from marts.demographic_summary where breakdown = ?",
                [breakdown],
            ).fetchone()[0]
            assert total == customers, f"demographic_summary {breakdown} sums to {total}"
        rfm_total = con.execute("select sum(customer_count) from marts.rfm_summary").fetchone()[0]
        assert rfm_total == customers


def test_new_profile_columns_are_populated(profile: list[dict]):
    assert profile, "customer_profile is empty"
    for column in ALWAYS_SET:
        nulls = sum(1 for row in profile if row[column] is None)
        assert nulls == 0, f"customer_profile.{column} is null for {nulls} customers"
    for column in SOMETIMES_SET:
        assert any(row[column] is not None for row in profile), (
            f"customer_profile.{column} is null for every customer"
        )
    buyers = [row for row in profile if row["order_count"] >= 1]
    assert buyers, "no buyers in the generated data"
    for column in ("spend_tier", "recency_score", "frequency_score", "monetary_score"):
        assert all(row[column] is not None for row in buyers), f"{column} null for a buyer"
    for row in profile:
        has_cycle = row["order_count"] >= 2
        for column in ("median_days_between_orders", "expected_next_order_at", "peak_order_month"):
            assert (row[column] is not None) == has_cycle, (
                f"{row['customer_id']}: {column} = {row[column]} with {row['order_count']} orders"
            )


def test_lifecycle_stage_follows_its_definition(profile: list[dict]):
    mismatches = []
    for row in profile:
        as_of = row["as_of"]
        if row["order_count"] == 0:
            expected = "prospect"
        elif row["first_order_at"] > as_of - timedelta(days=NEW_CUSTOMER_DAYS):
            expected = "new"
        elif row["last_order_at"] > as_of - timedelta(days=ACTIVE_DAYS):
            expected = "active"
        else:
            expected = "lapsed"
        if row["lifecycle_stage"] != expected:
            mismatches.append((row["customer_id"], row["lifecycle_stage"], expected))
    assert not mismatches, f"{len(mismatches)} lifecycle mismatches, first: {mismatches[:5]}"
    assert {row["lifecycle_stage"] for row in profile} >= {"prospect", "active", "lapsed"}


def test_spend_tier_and_rfm_follow_their_definitions(profile: list[dict]):
    buyers = [row for row in profile if row["order_count"] >= 1]
    total = len(buyers)
    values = sorted(row["lifetime_value"] for row in buyers)
    orders = sorted(row["order_count"] for row in buyers)
    days = sorted(row["days_since_last_order"] for row in buyers)
    mismatches = []
    for row in profile:
        if row["order_count"] == 0:
            expected = (None, None, None, None, "prospects")
        else:
            recency = _bucket(_above(days, row["days_since_last_order"]), total, 5)
            frequency = _bucket(_below(orders, row["order_count"]), total, 5)
            monetary = _bucket(_below(values, row["lifetime_value"]), total, 5)
            frequency_monetary = (frequency + monetary + 1) // 2
            expected = (
                _bucket(_below(values, row["lifetime_value"]), total, 4),
                recency,
                frequency,
                monetary,
                RFM_GRID[recency][frequency_monetary - 1],
            )
        actual = (
            row["spend_tier"],
            row["recency_score"],
            row["frequency_score"],
            row["monetary_score"],
            row["rfm_group"],
        )
        if actual != expected:
            mismatches.append((row["customer_id"], actual, expected))
    assert not mismatches, f"{len(mismatches)} tier/RFM mismatches, first: {mismatches[:5]}"
    # a realistic dataset spreads buyers over every tier
    assert {row["spend_tier"] for row in buyers} == {1, 2, 3, 4}
