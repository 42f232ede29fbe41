"""Semantic layer: MetricFlow's `mf query` on DuckDB gives the numbers of the marts.

`mf` reads `<project root>/target/semantic_manifest.json`, so the test lays out a project
root of its own (links to the repository's files, its own target/ from `dbt parse`) and
runs `mf query --csv` against a copy of the acceptance warehouse.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import REPO_ROOT, output_tail, run_dbt

PROJECT_ENTRIES = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "snapshots",
    "tests",
    "analyses",
)


@pytest.fixture(scope="module")
def mf_project(acceptance_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A project root with a parsed semantic manifest and its own warehouse copy."""
    tmp_dir = tmp_path_factory.mktemp("metricflow")
    root = tmp_dir / "project"
    root.mkdir()
    for entry in PROJECT_ENTRIES:
        (root / entry).symlink_to(REPO_ROOT / entry)
    warehouse = tmp_dir / "warehouse.duckdb"
    shutil.copyfile(acceptance_db, warehouse)
    run_dbt(["parse", "--project-dir", str(root)], warehouse, tmp_dir)
    shutil.copytree(tmp_dir / "target", root / "target")
    assert (root / "target" / "semantic_manifest.json").exists()
    return {"root": root, "warehouse": warehouse, "tmp": tmp_dir}


def mf_query(project: dict, metrics: str, group_by: str) -> list[dict[str, str]]:
    out = project["tmp"] / f"{metrics.replace(',', '-')}-{group_by}.csv"
    env = dict(
        os.environ,
        DBT_PROFILES_DIR=str(REPO_ROOT),
        # mf finds the project (and its target/semantic_manifest.json) here, before the cwd
        DBT_PROJECT_DIR=str(project["root"]),
        DUCKDB_PATH=str(project["warehouse"]),
        DUCKDB_TEMP_DIR=str(project["tmp"]),
    )
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "mf"),
            "query",
            "--metrics",
            metrics,
            "--group-by",
            group_by,
            "--csv",
            str(out),
            "--quiet",
        ],
        cwd=project["root"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0 and out.exists(), output_tail(result)
    with open(out, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def money(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value).quantize(Decimal("0.01"))


def test_customer_metrics_by_country_equal_the_profile(mf_project: dict) -> None:
    rows = mf_query(
        mf_project,
        "customers,buyers,revenue,orders,average_order_value",
        "customer__country_code",
    )
    shown = {
        row["customer__country_code"]: (
            int(row["customers"]),
            int(row["buyers"]),
            money(row["revenue"]),
            int(row["orders"]),
            money(row["average_order_value"]),
        )
        for row in rows
    }
    with duckdb.connect(str(mf_project["warehouse"]), read_only=True) as con:
        expected_rows = con.execute(
            "select coalesce(country_code, 'unknown'), count(*), "
            "count(*) filter (where order_count >= 1), sum(lifetime_value), sum(order_count), "
            "sum(lifetime_value) / nullif(sum(order_count), 0) "
            "from marts.customer_profile group by 1"
        ).fetchall()
    expected = {
        row[0]: (row[1], row[2], money(str(row[3])), int(row[4]), money(str(row[5])))
        for row in expected_rows
    }
    assert set(shown) == set(expected)
    for country, values in expected.items():
        got = shown[country]
        assert got[:4] == values[:4], country
        if values[4] is None:
            assert got[4] is None
        else:
            assert abs(got[4] - values[4]) <= Decimal("0.01"), country


def test_segment_metrics_equal_the_segment_summary(mf_project: dict) -> None:
    rows = mf_query(mf_project, "segment_members,segment_revenue", "segment_membership__segment")
    shown = {
        row["segment_membership__segment"]: (
            int(row["segment_members"]),
            money(row["segment_revenue"]),
        )
        for row in rows
    }
    with duckdb.connect(str(mf_project["warehouse"]), read_only=True) as con:
        expected = {
            segment: (members, money(str(revenue)))
            for segment, members, revenue in con.execute(
                "select segment, member_count, revenue from marts.segment_summary "
                "where member_count > 0"
            ).fetchall()
        }
    assert shown == expected


def test_metrics_by_channel_add_up(mf_project: dict) -> None:
    rows = mf_query(mf_project, "customers,segment_members", "customer__acquisition_channel")
    with duckdb.connect(str(mf_project["warehouse"]), read_only=True) as con:
        customers = con.execute("select count(*) from marts.customer_profile").fetchone()[0]
        vip = con.execute("select count(*) from segments.vip").fetchone()[0]
    assert sum(int(row["customers"]) for row in rows) == customers
    assert len(rows) > 1
    vip_rows = mf_query(
        mf_project, "segment_members", "segment_membership__segment,customer__acquisition_channel"
    )
    assert (
        sum(
            int(row["segment_members"])
            for row in vip_rows
            if row["segment_membership__segment"] == "vip"
        )
        == vip
    )


def semantic_dimensions(project: dict, semantic_model: str) -> list[dict]:
    """The dimensions of `semantic_model` as the parsed semantic manifest declares them."""
    manifest = json.loads(
        (project["root"] / "target" / "semantic_manifest.json").read_text(encoding="utf-8")
    )
    model = next(m for m in manifest["semantic_models"] if m["name"] == semantic_model)
    return model["dimensions"]


def test_every_customer_dimension_equals_the_profile(mf_project: dict) -> None:
    """One truth per number: MetricFlow cut by *every* dimension of the customers model at
    once (the joint distribution, so every single dimension too) equals
    marts.customer_profile grouped by the same normalized columns, and the time dimension
    is the as_of date of marts.reporting_context. A dimension added to the semantic model
    is compared here without touching the test."""
    # no semantic table reads staging: its dimensions are the marts' normalized columns
    manifest = json.loads((mf_project["root"] / "target" / "manifest.json").read_text("utf-8"))
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["name"].startswith("semantic_"):
            parents = [parent.split(".")[-1] for parent in node["depends_on"]["nodes"]]
            assert not [p for p in parents if p.startswith(("stg_", "base_"))], (
                node["name"],
                parents,
            )
    dimensions = semantic_dimensions(mf_project, "customers")
    categorical = [d["name"] for d in dimensions if d["type"] == "categorical"]
    times = [f"{d['name']}__day" for d in dimensions if d["type"] == "time"]
    assert len(categorical) >= 4 and times, dimensions
    names = categorical + times
    rows = mf_query(
        mf_project, "customers,buyers,revenue,orders", ",".join(f"customer__{n}" for n in names)
    )
    shown = {
        (
            *(row[f"customer__{name}"] for name in categorical),
            *(row[f"customer__{name}"][:10] for name in times),  # a date, maybe with a time
        ): (
            int(row["customers"]),
            int(row["buyers"]),
            money(row["revenue"]),
            int(row["orders"]),
        )
        for row in rows
    }
    columns = ", ".join(f"coalesce(cast({name} as varchar), 'unknown')" for name in categorical)
    with duckdb.connect(str(mf_project["warehouse"]), read_only=True) as con:
        # the time dimension is the as_of date on the shop's clock
        as_of_date = con.execute("select as_of_date from marts.reporting_context").fetchone()[0]
        expected_rows = con.execute(
            f"select {columns}, count(*), count(*) filter (where order_count >= 1), "
            f"sum(lifetime_value), sum(order_count) from marts.customer_profile "
            f"group by all"
        ).fetchall()
    n = len(categorical)
    expected = {
        (*row[:n], *([str(as_of_date)] * len(times))): (
            row[n],
            row[n + 1],
            money(str(row[n + 2])),
            int(row[n + 3]),
        )
        for row in expected_rows
    }
    assert shown == expected
