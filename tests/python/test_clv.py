"""Lifetime value (segwh.clv): the published CDNOW fits and the per-customer formulas.

* The CDNOW sample (tests/fixtures/cdnow, from the lifetimes package; see its README) goes
  through ``segwh.clv.warehouse.fit_table``, the function the dbt model
  int_clv_models_fitted calls, on an Arrow table shaped like int_customers_clv_prepared:
  r, α, a, b, p, q, γ within 0.5 % of the published values, the BG/NBD log-likelihood within
  0.1 of −9582.4.
* The closed forms (hypergeometric E[Y(t)], P(alive), E(M)) are checked against values
  computed independently: the paper's E[Y(39)] = 1.226, and numerical integration of the
  models' definitions (the purchase rate integrated out with elementary Gamma integrals,
  the dropout probability and the spend rate by quadrature).
* Degenerate shops give null predictions with a reason; a fit that does not converge or
  gives non-finite values is refused.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from clv_reference import bgnbd_by_integration, spend_by_integration
from scipy import optimize

from segwh.clv import bgnbd, gamma_gamma, model, warehouse
from segwh.clv.bgnbd import BgNbdParams
from segwh.clv.distinct import distinct_rows
from segwh.clv.gamma_gamma import GammaGammaParams

CDNOW = Path(__file__).resolve().parents[1] / "fixtures" / "cdnow" / (
    "cdnow_customers_summary_with_transactions.csv")
PUBLISHED_BGNBD = {"bgnbd_r": 0.243, "bgnbd_alpha": 4.414, "bgnbd_a": 0.793, "bgnbd_b": 2.426}
PUBLISHED_GG = {"gg_p": 6.25, "gg_q": 3.74, "gg_gamma": 15.44}
PUBLISHED_LL = -9582.4
PAPER = BgNbdParams(0.243, 4.414, 0.793, 2.426)
SPEND = GammaGammaParams(6.25, 3.74, 15.44)


def cdnow_table() -> pa.Table:
    """The CDNOW sample as int_customers_clv_prepared would hold it (times in weeks)."""
    with open(CDNOW, newline="") as handle:
        rows = list(csv.DictReader(handle))
    x = [int(row["x"]) for row in rows]
    return pa.table({
        "customer_id": [row["ID"] for row in rows],
        warehouse.X: x,
        warehouse.T_X: [float(row["t_x"]) for row in rows],
        warehouse.T_AGE: [float(row["T"]) for row in rows],
        warehouse.M_X: [float(row["zbar"]) if n > 0 else None
                        for row, n in zip(rows, x, strict=True)],
    })


@pytest.fixture(scope="module")
def cdnow_fit() -> dict:
    return warehouse.fit_table(cdnow_table(), max_iterations=1000).to_pylist()[0]


# --- the acceptance test: the published fits -----------------------------------------


@pytest.mark.parametrize("name", [*PUBLISHED_BGNBD, *PUBLISHED_GG])
def test_cdnow_parameters_within_half_a_percent(cdnow_fit: dict, name: str) -> None:
    published = {**PUBLISHED_BGNBD, **PUBLISHED_GG}[name]
    assert cdnow_fit[name] == pytest.approx(published, rel=0.005), (name, cdnow_fit[name])


def test_cdnow_log_likelihood_and_counts(cdnow_fit: dict) -> None:
    assert abs(cdnow_fit["bgnbd_log_likelihood"] - PUBLISHED_LL) <= 0.1
    assert cdnow_fit["status"] == "fitted" and cdnow_fit["failure"] is None
    assert cdnow_fit["bgnbd_converged"] and cdnow_fit["gg_converged"]
    assert (cdnow_fit["buyer_count"], cdnow_fit["repeat_buyer_count"],
            cdnow_fit["gg_customer_count"]) == (2357, 946, 946)
    # identical (x, t_x, T) are evaluated once, weighted
    assert cdnow_fit["bgnbd_distinct_profiles"] < 2357


def test_cdnow_predictions_through_the_warehouse_path(cdnow_fit: dict) -> None:
    table = cdnow_table()
    predicted = warehouse.predict_table(table, cdnow_fit, horizon_days=39,
                                        monthly_discount_rate=0.0)
    assert predicted.column_names == ["customer_id", *warehouse.PREDICTION_COLUMNS,
                                      "clv_null_reason"]
    first = predicted.slice(0, 1).to_pylist()[0]  # customer 1: x = 2, t_x = 30.43, T = 38.86
    # "horizon 39" in the table's unit (weeks here); the paper's 1.226 at its own parameters
    assert first["expected_orders_next_horizon"] == pytest.approx(1.226, abs=0.002)
    assert first["clv_null_reason"] is None
    assert predicted.column("probability_alive").null_count == 0


# --- per-customer formulas against independent values ----------------------------------


def test_expected_purchases_matches_the_paper() -> None:
    value = bgnbd.expected_purchases(PAPER, 39, 2, 30.43, 38.86)
    assert float(value) == pytest.approx(1.226, abs=5e-4)


CUSTOMERS = [  # (x, t_x, T): the paper's example, a lapsed heavy buyer, a one-off, a fresh one
    (2, 30.43, 38.86),
    (15, 10.0, 38.0),
    (0, 0.0, 35.0),
    (7, 29.43, 30.0),
    (1, 0.5, 2.0),
]


@pytest.mark.parametrize(("x", "t_x", "T"), CUSTOMERS)
def test_probability_alive_and_expected_purchases_by_integration(x, t_x, T) -> None:
    alive, expected = bgnbd_by_integration(PAPER, 52.0, x, t_x, T)
    assert float(bgnbd.probability_alive(PAPER, x, t_x, T)) == pytest.approx(alive, rel=1e-7)
    assert float(bgnbd.expected_purchases(PAPER, 52.0, x, t_x, T)) == pytest.approx(
        expected, rel=1e-6)
    if x == 0:
        assert alive == pytest.approx(1.0)


@pytest.mark.parametrize(("x", "m_x"), [(1, 35.0), (2, 22.35), (10, 24.24), (0, 0.0)])
def test_expected_value_by_integration(x: int, m_x: float) -> None:
    expected = spend_by_integration(SPEND, x, m_x)
    got = float(gamma_gamma.conditional_expected_value(SPEND, x, m_x))
    assert got == pytest.approx(expected, rel=1e-8)
    if x == 0:
        assert got == pytest.approx(6.25 * 15.44 / 2.74)


def test_clv_discounts_each_month_and_splits_into_kept_and_lost() -> None:
    fit = model.ClvFit(
        3, 2,
        model.ModelFit(PAPER.as_tuple(), 0.0, True, 1, "", 3, 3),
        model.ModelFit(SPEND.as_tuple(), 0.0, True, 1, "", 2, 2))
    x, t_x, T, m_x = (np.array(v, dtype=float) for v in ([2, 7, 0], [30.43, 29.43, 0],
                                                          [38.86, 30.0, 20.0], [22.35, 73.74, 0]))
    horizon = 100.0
    steps = model.horizon_steps(horizon)
    assert steps[-1] == horizon and np.all(np.diff(steps) > 0)
    assert len(steps) == math.ceil(horizon / model.DAYS_PER_MONTH)
    undiscounted = model.predict(fit, x, t_x, T, m_x, horizon, 0.0)
    discounted = model.predict(fit, x, t_x, T, m_x, horizon, 0.05)
    value = gamma_gamma.conditional_expected_value(SPEND, x, m_x)
    for i in range(3):
        # no discount: CLV = E[Y(horizon)] * E(M)
        assert undiscounted.clv[i] == pytest.approx(
            undiscounted.expected_purchases[i] * value[i], rel=1e-12)
        # 5 % a month: each month's expected purchases (by integration) at its own discount
        ends = [0.0, *steps]
        months = [
            bgnbd_by_integration(PAPER, end, int(x[i]), t_x[i], T[i])[1]
            - bgnbd_by_integration(PAPER, start, int(x[i]), t_x[i], T[i])[1]
            for start, end in zip(ends, ends[1:], strict=False)
        ]
        expected = sum(month * value[i] / 1.05 ** (end / model.DAYS_PER_MONTH)
                       for month, end in zip(months, steps, strict=True))
        assert discounted.clv[i] == pytest.approx(expected, rel=1e-6)
        alive = discounted.probability_alive[i]
        # what is lost is the CLV had the customer been alive, times P(dead)
        assert discounted.clv[i] + discounted.value_lost[i] == pytest.approx(
            discounted.clv[i] / alive, rel=1e-10)
    assert discounted.value_lost[2] == 0.0  # no repeat purchase: alive for sure
    assert discounted.null_reason == [None, None, None]


# --- the likelihoods the optimiser climbs ----------------------------------------------


def test_weighted_likelihoods_and_gradients() -> None:
    """The optimiser's sums (x-only terms once per distinct x, weights) equal the plain
    per-customer log-likelihood written out row by row, and the analytic gradients equal
    numerical ones."""
    rng = np.random.default_rng(3)
    x = rng.integers(0, 6, 40).astype(float)
    T = rng.uniform(5, 40, 40)
    t_x = np.where(x > 0, T * rng.uniform(0.1, 1, 40), 0.0)
    weights = rng.integers(1, 4, 40).astype(float)
    counts = weights.astype(int)  # the weighted rows written out one by one
    data = bgnbd.Profiles.of(x, t_x, T, weights)
    point = np.log([0.5, 3.0, 0.8, 2.5])
    value, gradient = bgnbd.negative_log_likelihood(point, data)
    expanded = bgnbd.log_likelihood_terms(BgNbdParams(*np.exp(point)), np.repeat(x, counts),
                                          np.repeat(t_x, counts), np.repeat(T, counts))
    assert value == pytest.approx(-float(expanded.sum()), rel=1e-12)
    numeric = optimize.approx_fprime(
        point, lambda v: bgnbd.negative_log_likelihood(v, data)[0], 1e-7)
    np.testing.assert_allclose(gradient, numeric, rtol=1e-4, atol=1e-5)

    m = rng.uniform(5, 50, 40)
    repeat = x > 0
    spends = gamma_gamma.Spends.of(x[repeat], m[repeat], weights[repeat])
    point = np.log([4.0, 3.0, 12.0])
    value, gradient = gamma_gamma.negative_log_likelihood(point, spends)
    expanded = gamma_gamma.log_likelihood_terms(
        GammaGammaParams(*np.exp(point)), np.repeat(x[repeat], counts[repeat]),
        np.repeat(m[repeat], counts[repeat]))
    assert value == pytest.approx(-float(expanded.sum()), rel=1e-12)
    numeric = optimize.approx_fprime(
        point, lambda v: gamma_gamma.negative_log_likelihood(v, spends)[0], 1e-7)
    np.testing.assert_allclose(gradient, numeric, rtol=1e-4, atol=1e-5)
    # values in another unit (x10, gamma x10): each customer's density of m_x is divided by 10
    scaled = gamma_gamma.negative_log_likelihood(point + np.log([1, 1, 10]), spends.scaled(10))
    assert scaled[0] == pytest.approx(value + counts[repeat].sum() * np.log(10), rel=1e-9)


def test_distinct_rows_packs_whole_numbers_and_falls_back_otherwise() -> None:
    x = np.array([3, 0, 3, 1, 0, 3], dtype=float)
    t = np.array([40, 0, 40, 7, 0, 41], dtype=float)
    (ux, ut), counts, inverse = distinct_rows(x, t)
    assert list(zip(ux, ut, counts, strict=True)) == [(0, 0, 2), (1, 7, 1), (3, 40, 2),
                                                      (3, 41, 1)]
    np.testing.assert_array_equal(ux[inverse], x)
    np.testing.assert_array_equal(ut[inverse], t)
    fractional = t + 0.5  # not whole numbers: the general path, same grouping
    (fx, ft), fcounts, finverse = distinct_rows(x, fractional)
    np.testing.assert_array_equal(fcounts, counts)
    np.testing.assert_array_equal(ft[finverse], fractional)
    assert distinct_rows(np.zeros(0), np.zeros(0))[1].size == 0


def test_duplicated_customers_fit_once_with_weights() -> None:
    table = cdnow_table()
    x, t_x, T, m_x = warehouse.inputs(table)
    single = model.fit_bgnbd(x[:600], t_x[:600], T[:600])
    doubled = model.fit_bgnbd(np.tile(x[:600], 2), np.tile(t_x[:600], 2), np.tile(T[:600], 2))
    assert doubled.customers == 1200 and doubled.distinct_profiles == single.distinct_profiles
    np.testing.assert_allclose(doubled.params, single.params, rtol=1e-4)
    assert doubled.log_likelihood == pytest.approx(2 * single.log_likelihood, rel=1e-6)


# --- shops the models cannot describe, fits that fail -----------------------------------


def _prepared(x, t_x, T, m_x) -> pa.Table:
    return pa.table({
        "customer_id": [f"c{i}" for i in range(len(x))],
        warehouse.X: pa.array(x, pa.int64()),
        warehouse.T_X: pa.array(t_x, pa.int64()),
        warehouse.T_AGE: pa.array(T, pa.int64()),
        warehouse.M_X: pa.array(m_x, pa.float64()),
    })


@pytest.mark.parametrize(("rows", "reason"), [
    (([], [], [], []), model.NO_BUYERS),
    (([3], [40], [90], [25.0]), model.SINGLE_BUYER),
    (([0, 0, 0], [0, 0, 0], [10, 50, 90], [None, None, None]), model.NO_REPEAT_BUYERS),
])
def test_degenerate_shops_give_null_predictions_with_a_reason(rows, reason: str) -> None:
    table = _prepared(*rows)
    fit = warehouse.fit_table(table, max_iterations=1000).to_pylist()[0]
    assert fit["status"] == "not_fitted" and fit["failure"] is None
    assert fit["bgnbd_null_reason"] == reason and fit["bgnbd_r"] is None
    predicted = warehouse.predict_table(table, fit, 365, 0.01).to_pylist()
    assert len(predicted) == len(rows[0])
    for row in predicted:
        assert row["clv_null_reason"] == reason
        assert all(row[column] is None for column in warehouse.PREDICTION_COLUMNS)


def test_spend_model_missing_keeps_the_purchase_predictions() -> None:
    cdnow = cdnow_table()  # every repeat buyer spends 20.00 on average: nothing to fit
    same = cdnow.set_column(4, warehouse.M_X, pa.array(
        [None if n == 0 else 20.0 for n in cdnow.column(warehouse.X).to_pylist()]))
    fit = warehouse.fit_table(same, max_iterations=1000).to_pylist()[0]
    assert fit["status"] == "fitted_without_spend"
    assert fit["gg_null_reason"] == model.SPEND_WITHOUT_VARIATION
    row = warehouse.predict_table(same, fit, 365, 0.01).to_pylist()[1]
    assert row["probability_alive"] is not None and row["expected_orders_next_horizon"] is not None
    assert row["expected_order_value"] is None and row["predicted_clv"] is None
    assert row["clv_null_reason"] == model.SPEND_WITHOUT_VARIATION


def test_a_equal_to_one_leaves_expected_purchases_null() -> None:
    fit = model.ClvFit(2, 1, model.ModelFit((0.5, 3.0, 1.0, 2.0), 0.0, True, 1, "", 2, 2),
                       model.ModelFit(SPEND.as_tuple(), 0.0, True, 1, "", 1, 1))
    predictions = model.predict(fit, [2, 0], [10, 0], [30, 30], [20.0, 0.0], 365, 0.01)
    assert np.isnan(predictions.expected_purchases).all() and np.isnan(predictions.clv).all()
    assert np.isfinite(predictions.probability_alive).all()
    assert predictions.null_reason == [model.A_EQUALS_ONE, model.A_EQUALS_ONE]


def test_q_at_most_one_leaves_the_value_of_one_off_buyers_null() -> None:
    fit = model.ClvFit(2, 1, model.ModelFit(PAPER.as_tuple(), 0.0, True, 1, "", 2, 2),
                       model.ModelFit((2.0, 0.9, 10.0), 0.0, True, 1, "", 1, 1))
    predictions = model.predict(fit, [2, 0], [10, 0], [30, 30], [20.0, 0.0], 365, 0.01)
    assert np.isfinite(predictions.clv[0]) and np.isnan(predictions.clv[1])
    assert predictions.null_reason == [None, model.Q_AT_MOST_ONE]


def test_a_fit_that_does_not_converge_is_refused() -> None:
    table = cdnow_table()
    fit = warehouse.fit_table(table, max_iterations=1).to_pylist()[0]
    assert fit["bgnbd_converged"] is False
    assert "BG/NBD did not converge after 1 iterations" in fit["failure"]
    with pytest.raises(model.ClvFitError, match="did not converge"):
        model.check(model.fit(*warehouse.inputs(table), max_iterations=1))
    predicted = warehouse.predict_table(table, fit, 365, 0.01)
    assert set(predicted.column("clv_null_reason").to_pylist()) == {model.FIT_FAILED}
    assert predicted.column("probability_alive").null_count == predicted.num_rows


def test_non_finite_values_are_refused() -> None:
    fitted = model.ModelFit(PAPER.as_tuple(), -100.0, True, 10, "", 3, 3)
    broken = model.ModelFit((6.25, float("nan"), 15.44), float("nan"), True, 10, "", 2, 2)
    fit = model.ClvFit(3, 2, fitted, broken)
    assert "Gamma-Gamma gave non-finite values" in fit.failure
    with pytest.raises(model.ClvFitError, match="non-finite"):
        model.check(fit)
    # an impossible input (an infinite age) is refused too, whatever the optimiser says
    x, t_x, T, m_x = (np.array(v, dtype=float)
                      for v in ([1, 2, 0], [5, 9, 0], [20, np.inf, 30], [10, 12, 0]))
    assert model.fit(x, t_x, T, m_x).failure


def test_parameters_running_off_stop_the_build_instead_of_silent_nulls() -> None:
    """Four buyers cannot pin the BG/NBD down: its parameters run off towards infinity.
    Either the fit is refused or, where the closed forms overflow, the buyers are marked
    non_finite_prediction (the build stops on both) - never a silent null."""
    tiny = _prepared([0, 2, 3, 1], [0, 20, 60, 5], [30, 80, 90, 40], [None, 20.0, 35.0, 20.0])
    fit = warehouse.fit_table(tiny, max_iterations=1000).to_pylist()[0]
    predicted = warehouse.predict_table(tiny, fit, 365, 0.01).to_pylist()
    for row in predicted:
        missing = [c for c in warehouse.PREDICTION_COLUMNS if row[c] is None]
        assert not missing or row["clv_null_reason"] in (model.FIT_FAILED, model.NON_FINITE), row
    assert fit["failure"] or any(r["clv_null_reason"] == model.NON_FINITE for r in predicted)


@pytest.mark.parametrize("spends", ["gamma_gamma_runs_off.csv",
                                    "gamma_gamma_stops_on_the_edge.csv"])
def test_a_fit_on_the_edge_of_the_search_is_kept_with_a_note(spends: str) -> None:
    """Gamma-Gamma on the small fixture at 2025-06-01 and on the layouts fixture's day 1: the
    likelihood rises towards p → ∞, gamma → 0 (p·gamma fixed), flat to floating-point
    precision. Where L-BFGS-B stops on that ridge depends on the machine's floating-point
    path: on the edge of its box, or before it with its line search failing ("ABNORMAL").
    Neither is a failure: the limit is a model too (each buyer's value is their own mean),
    the values are finite, and the fit says so."""
    with open(CDNOW.parent.parent / "clv" / spends, newline="") as handle:
        rows = list(csv.DictReader(handle))
    x = np.array([float(row["x"]) for row in rows])
    m_x = np.array([float(row["m_x"]) for row in rows])
    spend = model.fit_gamma_gamma(x, m_x)
    assert spend.converged and spend.finite
    assert spend.note.startswith(("gamma at the edge of the search",
                                  "stopped where the likelihood no longer rises"))
    assert spend.params[0] > 1e6
    value = gamma_gamma.conditional_expected_value(GammaGammaParams(*spend.params), x, m_x)
    np.testing.assert_allclose(value, m_x, rtol=1e-3)
    fit = model.ClvFit(len(x), len(x), model.ModelFit(PAPER.as_tuple(), 0.0, True, 1, "", 9, 9),
                       spend)
    assert fit.failure is None
    assert warehouse.fit_row(fit)["notes"].startswith("Gamma-Gamma: " + spend.note[:20])


def test_a_line_search_that_stops_with_a_rise_left_is_refused() -> None:
    """The flat-limit rule keeps only a fit with no rise left: a line search stopped one
    step away from a better likelihood is still refused (here: the CDNOW BG/NBD fit, one
    parameter moved off its optimum)."""
    table = cdnow_table()
    x, t_x, T, _ = warehouse.inputs(table)
    (ux, ut, uT), weights, _ = distinct_rows(x, t_x, T)
    data = bgnbd.Profiles.of(ux, ut, uT, weights)

    def objective(log_params):
        value, gradient = bgnbd.negative_log_likelihood(log_params, data)
        return value / weights.sum(), gradient / weights.sum()

    optimum = optimize.minimize(objective, np.zeros(4), jac=True, method="L-BFGS-B").x
    tolerance = model.FLAT_LOG_LIKELIHOOD / weights.sum()
    assert model._no_rise_left(objective, optimum, tolerance)
    assert not model._no_rise_left(objective, optimum + np.array([0.5, 0, 0, 0]), tolerance)


def test_fit_row_round_trip(cdnow_fit: dict) -> None:
    again = warehouse.fit_from_row(cdnow_fit)
    assert again.bgnbd_params.as_tuple() == tuple(cdnow_fit[k] for k in PUBLISHED_BGNBD)
    assert again.gamma_gamma_params.as_tuple() == tuple(cdnow_fit[k] for k in PUBLISHED_GG)
    assert again.failure is None and again.status == "fitted"
