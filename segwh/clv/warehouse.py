"""What the dbt Python models call: Arrow tables in, Arrow tables out.

``int_clv_models_fitted`` = :func:`fit_table` (one row: parameters, log-likelihoods,
convergence, counts, the reasons a model is missing, and the failure that stops the build);
``int_customers_clv_predicted`` = :func:`predict_table` (one row per buyer; all null with
reason ``fit_failed`` when the fit failed, ``non_finite_prediction`` where a closed form
overflowed: its post-hook assert_clv_usable then stops the build with a clear message).
Both read ``int_customers_clv_prepared`` (x, t_x, T in days, m_x in the reporting currency).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from segwh.clv import model

# columns of int_customers_clv_prepared
X, T_X, T_AGE, M_X = (
    "repeat_purchase_days", "repeat_recency_days", "days_since_first_purchase",
    "mean_repeat_order_value",
)

FIT_SCHEMA = pa.schema([
    ("status", pa.string()),
    ("buyer_count", pa.int64()),
    ("repeat_buyer_count", pa.int64()),
    ("bgnbd_r", pa.float64()),
    ("bgnbd_alpha", pa.float64()),
    ("bgnbd_a", pa.float64()),
    ("bgnbd_b", pa.float64()),
    ("bgnbd_log_likelihood", pa.float64()),
    ("bgnbd_converged", pa.bool_()),
    ("bgnbd_iterations", pa.int64()),
    ("bgnbd_distinct_profiles", pa.int64()),
    ("bgnbd_null_reason", pa.string()),
    ("gg_p", pa.float64()),
    ("gg_q", pa.float64()),
    ("gg_gamma", pa.float64()),
    ("gg_log_likelihood", pa.float64()),
    ("gg_converged", pa.bool_()),
    ("gg_iterations", pa.int64()),
    ("gg_customer_count", pa.int64()),
    ("gg_null_reason", pa.string()),
    ("notes", pa.string()),
    ("failure", pa.string()),
])
PREDICTION_COLUMNS = (
    "expected_orders_next_horizon", "probability_alive", "expected_order_value",
    "predicted_clv", "predicted_value_lost",
)


def _column(table: pa.Table, name: str) -> np.ndarray:
    """A numeric column as float64, nulls as 0 (only m_x of x = 0 buyers is null)."""
    return table.column(name).cast(pa.float64()).fill_null(0.0).to_numpy()


def inputs(table: pa.Table) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x, t_x, T, m_x) of int_customers_clv_prepared."""
    return tuple(_column(table, name) for name in (X, T_X, T_AGE, M_X))  # type: ignore[return-value]


def fit_row(fit: model.ClvFit) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(FIT_SCHEMA.names)
    row.update(status=fit.status, buyer_count=fit.buyer_count,
               repeat_buyer_count=fit.repeat_buyer_count, bgnbd_null_reason=fit.bgnbd_reason,
               gg_null_reason=fit.gamma_gamma_reason, notes=fit.notes, failure=fit.failure)
    if fit.bgnbd is not None:
        row.update(zip(("bgnbd_r", "bgnbd_alpha", "bgnbd_a", "bgnbd_b"), fit.bgnbd.params,
                       strict=True))
        row.update(bgnbd_log_likelihood=fit.bgnbd.log_likelihood,
                   bgnbd_converged=fit.bgnbd.converged, bgnbd_iterations=fit.bgnbd.iterations,
                   bgnbd_distinct_profiles=fit.bgnbd.distinct_profiles)
    if fit.gamma_gamma is not None:
        row.update(zip(("gg_p", "gg_q", "gg_gamma"), fit.gamma_gamma.params, strict=True))
        row.update(gg_log_likelihood=fit.gamma_gamma.log_likelihood,
                   gg_converged=fit.gamma_gamma.converged,
                   gg_iterations=fit.gamma_gamma.iterations,
                   gg_customer_count=fit.gamma_gamma.customers)
    return row


def fit_table(prepared: pa.Table, max_iterations: int) -> pa.Table:
    """One row: both fits of the shop (see FIT_SCHEMA)."""
    fit = model.fit(*inputs(prepared), max_iterations=max_iterations)
    return pa.Table.from_pylist([fit_row(fit)], schema=FIT_SCHEMA)


def fit_from_row(row: dict[str, Any]) -> model.ClvFit:
    """The ClvFit a row of fit_table describes (what predictions need of it)."""
    def model_fit(prefix: str, names: tuple[str, ...], customers: int) -> model.ModelFit:
        return model.ModelFit(
            tuple(float(row[f"{prefix}_{name}"]) for name in names),
            float(row[f"{prefix}_log_likelihood"]), bool(row[f"{prefix}_converged"]),
            int(row[f"{prefix}_iterations"]), "", customers,
            int(row.get(f"{prefix}_distinct_profiles") or 0))

    bg = gg = None
    if row["bgnbd_r"] is not None:
        bg = model_fit("bgnbd", ("r", "alpha", "a", "b"), int(row["buyer_count"]))
    if row["gg_p"] is not None:
        gg = model_fit("gg", ("p", "q", "gamma"), int(row["gg_customer_count"]))
    return model.ClvFit(int(row["buyer_count"]), int(row["repeat_buyer_count"]), bg, gg,
                        bgnbd_reason=row["bgnbd_null_reason"],
                        gamma_gamma_reason=row["gg_null_reason"], recorded_failure=row["failure"])


def _nullable(values: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.float64(), mask=~np.isfinite(values))


def predict_table(
    prepared: pa.Table, fit: dict[str, Any], horizon_days: int, monthly_discount_rate: float
) -> pa.Table:
    """One row per buyer of `prepared`: the predictions and why any of them is null."""
    result = fit_from_row(fit)
    predictions = model.predict(result, *inputs(prepared), horizon_days=horizon_days,
                                monthly_discount_rate=monthly_discount_rate)
    values = (predictions.expected_purchases, predictions.probability_alive,
              predictions.expected_value, predictions.clv, predictions.value_lost)
    columns = {"customer_id": prepared.column("customer_id")}
    columns.update({name: _nullable(v) for name, v in zip(PREDICTION_COLUMNS, values,
                                                           strict=True)})
    columns["clv_null_reason"] = pa.array(predictions.null_reason, type=pa.string())
    return pa.table(columns)
