"""Lifetime value in the built warehouse: the acceptance build of the small-dirty fixture.

* marts.clv_model_fit and the profile's predictions are what segwh.clv gives for the
  buyers of intermediate.int_customers_clv_prepared (the dbt Python models add nothing);
* every VIP's probability_alive equals an independent numerical integration from the
  fitted parameters, and segments.at_risk_high_value is exactly the VIPs below the
  threshold;
* a fit that does not converge stops the build with one clear line, no stack trace.
"""

from __future__ import annotations

import math
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml
from clv_reference import bgnbd_by_integration
from conftest import FIXTURE_AS_OF, FIXTURE_RAW_DIR, REPO_ROOT, output_of, run_dbt

from segwh.clv import warehouse
from segwh.clv.bgnbd import BgNbdParams

VARS = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())["vars"]
CENT = Decimal("0.01")


def _prepared(con: duckdb.DuckDBPyConnection):
    return con.execute("select * from intermediate.int_customers_clv_prepared").to_arrow_table()


def _fit(con: duckdb.DuckDBPyConnection) -> dict:
    cursor = con.execute("select * from marts.clv_model_fit")
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1
    return dict(zip(names, rows[0], strict=True))


def test_model_fit_is_segwh_clv_on_the_prepared_buyers(acceptance_con) -> None:
    stored = _fit(acceptance_con)
    again = warehouse.fit_table(_prepared(acceptance_con), int(VARS["clv_max_iterations"]))
    for name, value in again.to_pylist()[0].items():
        if isinstance(value, float):
            assert stored[name] == pytest.approx(value, rel=1e-9), name
        else:
            assert stored[name] == value, name
    customers, buyers = acceptance_con.execute(
        "select count(*), count(*) filter (where order_count >= 1) from marts.customer_profile"
    ).fetchone()
    assert (stored["customer_count"], stored["buyer_count"]) == (customers, buyers)
    assert stored["status"] == "fitted" and stored["failure"] is None
    assert stored["bgnbd_converged"] and stored["gg_converged"]
    assert stored["clv_horizon_days"] == VARS["clv_horizon_days"]


def test_profile_predictions_are_segwh_clv_rounded_to_cents(acceptance_con) -> None:
    predicted = warehouse.predict_table(
        _prepared(acceptance_con), _fit(acceptance_con),
        horizon_days=int(VARS["clv_horizon_days"]),
        monthly_discount_rate=float(VARS["clv_monthly_discount_rate"]),
    ).to_pylist()
    expected = {row["customer_id"]: row for row in predicted}
    cursor = acceptance_con.execute(
        "select customer_id, order_count, expected_orders_next_horizon, probability_alive, "
        "expected_order_value, predicted_clv, predicted_value_lost, clv_null_reason, "
        "clv_horizon_days, predicted_spend_tier from marts.customer_profile"
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    assert {r["customer_id"] for r in rows if r["order_count"] >= 1} == set(expected)
    for row in rows:
        assert row["clv_horizon_days"] == VARS["clv_horizon_days"]
        if row["order_count"] == 0:
            assert row["clv_null_reason"] == "no_counted_order"
            assert row["probability_alive"] is None and row["predicted_spend_tier"] is None
            continue
        want = expected[row["customer_id"]]
        assert row["clv_null_reason"] == want["clv_null_reason"]
        for column in ("expected_orders_next_horizon", "probability_alive"):
            assert row[column] == pytest.approx(want[column], rel=1e-12, abs=0), column
        for column in ("expected_order_value", "predicted_clv", "predicted_value_lost"):
            if want[column] is None:
                assert row[column] is None, column
            else:
                assert abs(row[column] - Decimal(str(want[column]))) <= CENT / 2, column
        assert (row["predicted_spend_tier"] is None) == (row["predicted_clv"] is None)


def test_at_risk_members_are_vips_below_the_threshold_by_integration(acceptance_con) -> None:
    fit = _fit(acceptance_con)
    params = BgNbdParams(fit["bgnbd_r"], fit["bgnbd_alpha"], fit["bgnbd_a"], fit["bgnbd_b"])
    threshold = float(VARS["at_risk_max_probability_alive"])
    vips = acceptance_con.execute(
        "select customer_id, repeat_purchase_days, repeat_recency_days, "
        "days_since_first_purchase, probability_alive from marts.customer_profile where is_vip"
    ).fetchall()
    assert vips
    below = set()
    for customer_id, x, t_x, age, probability in vips:
        independent, _ = bgnbd_by_integration(params, 1.0, x, float(t_x), float(age))
        assert probability == pytest.approx(independent, rel=1e-6), customer_id
        if independent < threshold:
            below.add(customer_id)
    members = {row[0] for row in acceptance_con.execute(
        "select customer_id from segments.at_risk_high_value").fetchall()}
    flagged = {row[0] for row in acceptance_con.execute(
        "select customer_id from marts.customer_profile where is_at_risk_high_value").fetchall()}
    assert members == flagged == below


def test_fit_that_does_not_converge_stops_the_build(acceptance_db: Path, tmp_path: Path) -> None:
    warehouse_copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(acceptance_db, warehouse_copy)
    result = run_dbt(
        ["run", "--select", "int_clv_models_fitted", "int_customers_clv_predicted",
         "clv_model_fit"],
        warehouse_copy, tmp_path,
        vars={"raw_path": str(FIXTURE_RAW_DIR), "as_of": FIXTURE_AS_OF, "clv_max_iterations": 1},
        check=False,
    )
    output = output_of(result)
    assert result.returncode != 0, output[-2000:]
    lines = [line for line in output.splitlines() if "CLV model fit failed:" in line]
    assert lines, output[-3000:]
    assert "BG/NBD did not converge after 1 iterations" in lines[0]
    assert "var clv_max_iterations (now 1)" in lines[0]
    assert "Traceback" not in output
    with duckdb.connect(str(warehouse_copy), read_only=True) as con:
        recorded = _fit(con)
    assert recorded["bgnbd_converged"] is False and recorded["failure"]
    assert not math.isnan(recorded["bgnbd_r"])
