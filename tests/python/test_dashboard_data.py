"""The dashboard's read-only queries (segwh/dashboard/) without a browser."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from segwh.dashboard import figures, warehouse
from segwh.segments import SEGMENTS


def test_versions_lists_the_published_file_then_kept_ones(
    acceptance_db: Path, tmp_path: Path
) -> None:
    published = tmp_path / "warehouse.duckdb"
    shutil.copyfile(acceptance_db, published)
    labels = [v.label.split(" (")[1] for v in warehouse.warehouse_versions(published)]
    assert labels == ["published)"]
    (tmp_path / "versions").mkdir()
    shutil.copyfile(acceptance_db, tmp_path / "versions" / "warehouse-20250101T000000Z.duckdb")
    (tmp_path / "versions" / "unrelated.duckdb").write_bytes(b"")
    versions = warehouse.warehouse_versions(published)
    assert [v.path.name for v in versions] == [
        "warehouse.duckdb",
        "warehouse-20250101T000000Z.duckdb",
    ]
    assert all(v.as_of.startswith("2025-07-01") for v in versions)
    assert warehouse.warehouse_versions(tmp_path / "missing.duckdb") == []


def test_segments_offered_are_the_warehouse_s(acceptance_db: Path, tmp_path: Path) -> None:
    assert sorted(warehouse.segment_names(acceptance_db)) == sorted(SEGMENTS)
    older = tmp_path / "warehouse.duckdb"  # built before at_risk_high_value existed
    shutil.copyfile(acceptance_db, older)
    with duckdb.connect(str(older)) as con:
        con.execute("delete from marts.segment_summary where segment = 'at_risk_high_value'")
        con.execute("drop table segments.at_risk_high_value")
    assert "at_risk_high_value" not in warehouse.segment_names(older)
    with pytest.raises(ValueError):
        warehouse.segment_filter("vip; drop table x")


@pytest.mark.parametrize("segment", [warehouse.ALL_CUSTOMERS, *SEGMENTS])
def test_headline_and_places_match_the_marts(acceptance_db: Path, segment: str) -> None:
    totals = figures.headline(acceptance_db, segment)
    places = figures.by_country_city(acceptance_db, segment)
    with duckdb.connect(str(acceptance_db), read_only=True) as con:
        if segment == warehouse.ALL_CUSTOMERS:
            expected = con.execute("select count(*) from marts.customer_profile").fetchone()[0]
        else:
            expected = con.execute(
                "select member_count from marts.segment_summary where segment = ?", [segment]
            ).fetchone()[0]
    assert totals["customers"] == expected
    assert places["customers"].sum() == expected


def test_missing_columns_are_not_available(acceptance_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(acceptance_db, copy)
    with duckdb.connect(str(copy)) as con:
        # an older warehouse: no semantic schema, a profile without RFM and channel columns
        con.execute("drop schema semantic cascade")
        con.execute("alter table marts.customer_profile drop column rfm_group")
        con.execute("alter table marts.customer_profile drop column acquisition_channel")
    assert figures.distribution(copy, warehouse.ALL_CUSTOMERS, ["rfm_group"]) is None
    assert figures.channel_pareto(copy, warehouse.ALL_CUSTOMERS) is None
    assert figures.distribution(copy, warehouse.ALL_CUSTOMERS, ["country_code"]) is not None


def test_channel_pareto_is_ranked_and_reaches_one(acceptance_db: Path) -> None:
    pareto = figures.channel_pareto(acceptance_db, warehouse.ALL_CUSTOMERS)
    assert pareto is not None
    assert list(pareto["customers"]) == sorted(pareto["customers"], reverse=True)
    assert pareto["cumulative_share"].iloc[-1] == pytest.approx(1.0)
    assert pareto["is_pareto_core"].iloc[0]
    core_share = pareto[pareto["is_pareto_core"]]["customers"].sum() / pareto["customers"].sum()
    assert core_share >= 0.8


def test_segments_offered_follow_the_registry(acceptance_db: Path) -> None:
    assert warehouse.segment_names(acceptance_db) == list(SEGMENTS)


def test_channel_pareto_core_comes_from_the_var(acceptance_db: Path) -> None:
    """The default core is the warehouse's own (marts.channel_performance, built with the
    var pareto_core_share); another share moves it: no share is hard-coded."""
    with duckdb.connect(str(acceptance_db), read_only=True) as con:
        built_core = {row[0] for row in con.execute(
            "select acquisition_channel from marts.channel_performance where is_pareto_core"
        ).fetchall()}
    default = figures.channel_pareto(acceptance_db, warehouse.ALL_CUSTOMERS)
    assert set(default[default["is_pareto_core"]]["acquisition_channel"]) == built_core
    for share in (0.3, 0.95):
        pareto = figures.channel_pareto(acceptance_db, warehouse.ALL_CUSTOMERS, share=share)
        before = pareto["cumulative_share"].shift(fill_value=0.0)
        assert list(pareto["is_pareto_core"]) == list(before < share)


def test_pareto_share_is_the_one_the_warehouse_was_built_with(
        acceptance_db: Path, tmp_path: Path) -> None:
    """A build with --vars '{pareto_core_share: 0.5}' records 0.5 in
    marts.reporting_context: the dashboard's core and its label follow the warehouse shown,
    not dbt_project.yml's default; a warehouse without the column falls back to it."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(acceptance_db, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("update marts.reporting_context set pareto_core_share = 0.5")
    assert figures.pareto_core_share(copy) == 0.5
    pareto = figures.channel_pareto(copy, warehouse.ALL_CUSTOMERS)
    before = pareto["cumulative_share"].shift(fill_value=0.0)
    assert list(pareto["is_pareto_core"]) == list(before < 0.5)
    with duckdb.connect(str(copy)) as con:
        con.execute("alter table marts.reporting_context drop column pareto_core_share")
    assert figures.pareto_core_share(copy) == figures.declared_pareto_core_share()


def test_lookup_returns_one_profile_row(acceptance_db: Path) -> None:
    with duckdb.connect(str(acceptance_db), read_only=True) as con:
        customer_id = con.execute("select min(customer_id) from marts.customer_profile").fetchone()[
            0
        ]
    row = figures.customer(acceptance_db, f"  {customer_id} ")
    assert list(row["customer_id"]) == [customer_id]
    assert figures.customer(acceptance_db, "no-such-customer").empty


def test_lifetime_value_charts_match_the_profile(acceptance_db: Path) -> None:
    assert figures.clv_available(acceptance_db)
    with duckdb.connect(str(acceptance_db), read_only=True) as con:
        with_prediction, with_probability = con.execute(
            "select count(predicted_clv), count(probability_alive) from marts.customer_profile"
        ).fetchone()
    points = figures.predicted_vs_historical(acceptance_db, warehouse.ALL_CUSTOMERS)
    assert len(points) == min(with_prediction, figures.SCATTER_POINTS) and len(points) > 0
    risk = figures.churn_risk(acceptance_db, warehouse.ALL_CUSTOMERS)
    assert risk["customers"].sum() == with_probability
    assert list(risk["band_start"]) == sorted(risk["band_start"])
    assert set(risk["band"]) <= {f"{k / 10:.1f}-{(k + 1) / 10:.1f}" for k in range(10)}
    fit = figures.clv_fit(acceptance_db)
    assert fit is not None and fit["status"] in ("fitted", "fitted_without_spend")


def test_at_risk_list_is_the_segment_by_value_lost(acceptance_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(acceptance_db, copy)
    with duckdb.connect(str(copy)) as con:
        # three buyers marked at risk in a copy (the fixture has none at the default threshold)
        chosen = [row[0] for row in con.execute(
            "select customer_id from marts.customer_profile where predicted_value_lost > 0 "
            "order by customer_id limit 3").fetchall()]
        con.execute("update marts.customer_profile set is_at_risk_high_value = "
                    "customer_id in (select unnest(?))", [chosen])
        expected = [row[0] for row in con.execute(
            "select customer_id from marts.customer_profile where is_at_risk_high_value "
            "order by predicted_value_lost desc, customer_id").fetchall()]
    listed = figures.at_risk_list(copy, warehouse.ALL_CUSTOMERS)
    assert len(chosen) == 3 and list(listed["customer_id"]) == expected
    assert list(listed["predicted_value_lost"]) == sorted(listed["predicted_value_lost"],
                                                          reverse=True)
    assert figures.at_risk_list(acceptance_db, warehouse.ALL_CUSTOMERS).empty
