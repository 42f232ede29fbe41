"""Fit BG/NBD and Gamma-Gamma to a shop's buyers and predict each buyer's future value.

Pure functions on numpy arrays, one element per buyer:

* ``x``   repeat purchases: purchase days after the first one (several orders on one day
          are one purchase, as the model defines a transaction);
* ``t_x`` recency: time from the first to the last purchase day;
* ``T``   age: time from the first purchase day to ``as_of``;
* ``m_x`` the mean value of the x repeat purchases (0 when x = 0).

:func:`fit` estimates both models by maximum likelihood (scipy's L-BFGS-B with analytic
gradients), fitting each distinct (x, t_x, T) — and (x, m_x) — once, weighted by how many
buyers share it. Shops the models cannot describe get no fit and a reason: no buyers, a
single buyer or nobody who bought twice (``status = 'not_fitted'``), too few repeat buyers
with spend or spend without any variation (``'fitted_without_spend'``: no values).
Predictions are then null with that reason and the build goes on. A fit that does not
converge or gives non-finite values is marked (``failure``), and :func:`check` raises on it.
:func:`predict` gives, per buyer, the expected purchases over a horizon, P(alive), the
expected value per purchase, the discounted value over the horizon (CLV) and the value
lost if the customer has churned.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import OptimizeResult, minimize

from segwh.clv import bgnbd, gamma_gamma
from segwh.clv.bgnbd import BgNbdParams
from segwh.clv.distinct import distinct_rows, weighted_sum
from segwh.clv.gamma_gamma import GammaGammaParams

Array = NDArray[np.float64]

# One month for discounting: the mean calendar month, in days.
DAYS_PER_MONTH = 365.25 / 12
# E[Y(t)] divides by a − 1 (the formula's singularity): closer than this to a = 1,
# the expected purchases (and CLV) are not computed.
A_EQUALS_ONE_TOLERANCE = 1e-6
DEFAULT_MAX_ITERATIONS = 1000

# reasons why predictions are null (column clv_null_reason)
NO_BUYERS = "no_buyers"
SINGLE_BUYER = "single_buyer"
NO_REPEAT_BUYERS = "no_repeat_buyers"
TOO_FEW_SPEND_BUYERS = "fewer_than_two_repeat_buyers_with_spend"
SPEND_WITHOUT_VARIATION = "repeat_spend_without_variation"
A_EQUALS_ONE = "bgnbd_a_equals_one"
Q_AT_MOST_ONE = "gamma_gamma_q_at_most_one"
# not reasons to go on: the build stops on them (macro assert_clv_usable)
FIT_FAILED = "fit_failed"
NON_FINITE = "non_finite_prediction"
# the optimiser searches log-parameters within ±LOG_BOUND (e^25 ≈ 7e10), a box that keeps
# the closed forms from overflowing. A parameter that ends on it means the likelihood keeps
# rising towards a limit (e.g. Gamma-Gamma p → ∞: each buyer's purchases are worth their own
# mean): the fit is kept with a note, and the predictions must still be finite
LOG_BOUND = 25.0
# a fit whose line search stopped (L-BFGS-B "ABNORMAL") is kept when no one-parameter step
# raises the shop's log-likelihood by more than this: flat there (a likelihood ratio of
# e^0.01, far below anything a test of the fit could tell apart)
FLAT_LOG_LIKELIHOOD = 0.01


class ClvFitError(RuntimeError):
    """A fit that did not converge or gave non-finite values."""


@dataclass(frozen=True)
class ModelFit:
    """One model's maximum-likelihood fit."""

    params: tuple[float, ...]
    log_likelihood: float
    converged: bool
    iterations: int
    message: str
    customers: int
    distinct_profiles: int
    note: str = ""  # e.g. parameters that ended on the edge of the search

    @property
    def finite(self) -> bool:
        return all(math.isfinite(v) for v in (*self.params, self.log_likelihood))


@dataclass(frozen=True)
class ClvFit:
    """Both fits of one shop, or why there are none."""

    buyer_count: int
    repeat_buyer_count: int
    bgnbd: ModelFit | None = None
    gamma_gamma: ModelFit | None = None
    # why the BG/NBD (then everything) or the Gamma-Gamma (then the values) is missing
    bgnbd_reason: str | None = None
    gamma_gamma_reason: str | None = None
    # a failure read back from a stored fit row (the optimiser's messages are not stored)
    recorded_failure: str | None = None

    @property
    def bgnbd_params(self) -> BgNbdParams | None:
        return BgNbdParams(*self.bgnbd.params) if self.bgnbd else None

    @property
    def gamma_gamma_params(self) -> GammaGammaParams | None:
        return GammaGammaParams(*self.gamma_gamma.params) if self.gamma_gamma else None

    @property
    def status(self) -> str:
        if self.bgnbd is None:
            return "not_fitted"
        return "fitted" if self.gamma_gamma is not None else "fitted_without_spend"

    @property
    def notes(self) -> str | None:
        """What to know about a usable fit (parameters on the edge of the search), or None."""
        notes = [f"{name}: {model.note}" for name, model in
                 (("BG/NBD", self.bgnbd), ("Gamma-Gamma", self.gamma_gamma))
                 if model is not None and model.note]
        return "; ".join(notes) or None

    @property
    def failure(self) -> str | None:
        """Why the fit cannot be used (not converged, non-finite), or None."""
        if self.recorded_failure:
            return self.recorded_failure
        problems = []
        for name, model in (("BG/NBD", self.bgnbd), ("Gamma-Gamma", self.gamma_gamma)):
            if model is None:
                continue
            if not model.finite:
                problems.append(f"{name} gave non-finite values (parameters "
                                f"{_fmt(model.params)}, log-likelihood {model.log_likelihood})")
            elif not model.converged:
                problems.append(f"{name} did not converge after {model.iterations} "
                                f"iterations ({model.message}; parameters {_fmt(model.params)})")
        return "; ".join(problems) or None


def _fmt(values: tuple[float, ...]) -> str:
    return ", ".join(f"{v:.6g}" for v in values)


def check(fit: ClvFit) -> ClvFit:
    """`fit` itself, or ClvFitError when it did not converge or is not finite."""
    if fit.failure:
        raise ClvFitError(f"CLV model fit failed: {fit.failure}")
    return fit


def _minimize(
    objective: Callable[[Array], tuple[float, Array]], names: tuple[str, ...],
    max_iterations: int, buyers: float,
) -> tuple[OptimizeResult, str]:
    """L-BFGS-B from all parameters = 1, within ±LOG_BOUND on the log scale; returns the
    result and a note naming the parameters that ended on the bound."""
    size = len(names)
    with np.errstate(all="ignore"):  # a non-finite likelihood is reported, not warned about
        result = minimize(objective, np.zeros(size), jac=True, method="L-BFGS-B",
                          bounds=[(-LOG_BOUND, LOG_BOUND)] * size,
                          options={"maxiter": max_iterations})
    on_bound = [name for name, value in zip(names, result.x, strict=True)
                if abs(value) >= LOG_BOUND * (1 - 1e-9)]
    note = ""
    if on_bound:
        note = (f"{', '.join(on_bound)} at the edge of the search (e^±{LOG_BOUND:g}): the "
                "likelihood keeps rising towards a limit of the model")
    if not result.success and str(result.message).startswith("ABNORMAL") \
            and _no_rise_left(objective, result.x, FLAT_LOG_LIKELIHOOD / buyers):
        # the line search found no rise left: on a ridge towards a limit of the model (e.g.
        # Gamma-Gamma p -> inf, gamma -> 0) the likelihood is flat to floating-point
        # precision, and where the optimiser stops on it depends on the machine's
        # floating-point path (on the edge of the box on one machine, before it on another)
        result.success = True
        note = note or ("stopped where the likelihood no longer rises (a flat limit of the "
                        "model)")
    return result, note


def _no_rise_left(objective: Callable[[Array], tuple[float, Array]], x: Array,
                  tolerance: float) -> bool:
    """True when no step of e^±1 ... e^±0.001 in one parameter (within the box) lowers the
    objective (the negative log-likelihood a buyer) by more than `tolerance`."""
    value = objective(x)[0]
    for index in range(x.size):
        for step in (1.0, -1.0, 0.1, -0.1, 0.01, -0.01, 0.001, -0.001):
            moved = x.copy()
            moved[index] = min(max(moved[index] + step, -LOG_BOUND), LOG_BOUND)
            with np.errstate(all="ignore"):
                if objective(moved)[0] < value - tolerance:
                    return False
    return True


def fit_bgnbd(
    x: ArrayLike, t_x: ArrayLike, T: ArrayLike, max_iterations: int = DEFAULT_MAX_ITERATIONS
) -> ModelFit:
    """BG/NBD maximum-likelihood fit; α comes out in the time unit of t_x and T."""
    x, t_x, T = (np.asarray(v, dtype=np.float64) for v in (x, t_x, T))
    (ux, ut, uT), weights, _ = distinct_rows(x, t_x, T)
    # times rescaled so that the oldest customer is 10 units old: a well-conditioned α
    oldest = float(uT.max())
    scale = 10.0 / oldest if 0 < oldest < math.inf else 1.0
    total = float(weights.sum())
    data = bgnbd.Profiles.of(ux, ut, uT, weights).scaled(scale)

    def objective(log_params: Array) -> tuple[float, Array]:
        value, gradient = bgnbd.negative_log_likelihood(log_params, data)
        return value / total, gradient / total

    result, note = _minimize(objective, ("r", "alpha", "a", "b"), max_iterations, total)
    r, alpha, a, b = (float(v) for v in np.exp(result.x))
    params = BgNbdParams(r, alpha / scale, a, b)
    log_likelihood = float(weighted_sum(weights, bgnbd.log_likelihood_terms(params, ux, ut, uT)))
    return ModelFit(params.as_tuple(), log_likelihood, bool(result.success), int(result.nit),
                    str(result.message), int(total), len(ux), note)


def fit_gamma_gamma(
    x: ArrayLike, m_x: ArrayLike, max_iterations: int = DEFAULT_MAX_ITERATIONS
) -> ModelFit:
    """Gamma-Gamma maximum-likelihood fit on repeat buyers (x > 0, m_x > 0)."""
    x, m_x = (np.asarray(v, dtype=np.float64) for v in (x, m_x))
    (ux, um), weights, _ = distinct_rows(x, m_x)
    # values rescaled to a mean of about 1: γ is in the currency unit / scale
    mean = float(np.average(um, weights=weights))
    scale = 1.0 / mean if 0 < mean < math.inf else 1.0
    total = float(weights.sum())
    data = gamma_gamma.Spends.of(ux, um, weights).scaled(scale)

    def objective(log_params: Array) -> tuple[float, Array]:
        value, gradient = gamma_gamma.negative_log_likelihood(log_params, data)
        return value / total, gradient / total

    result, note = _minimize(objective, ("p", "q", "gamma"), max_iterations, total)
    p, q, gamma = (float(v) for v in np.exp(result.x))
    params = GammaGammaParams(p, q, gamma / scale)
    log_likelihood = float(weighted_sum(weights, gamma_gamma.log_likelihood_terms(params, ux, um)))
    return ModelFit(params.as_tuple(), log_likelihood, bool(result.success), int(result.nit),
                    str(result.message), int(total), len(ux), note)


def fit(
    x: ArrayLike,
    t_x: ArrayLike,
    T: ArrayLike,
    m_x: ArrayLike,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> ClvFit:
    """Both models fitted to one shop's buyers, or the reason why they cannot be."""
    x, t_x, T, m_x = (np.asarray(v, dtype=np.float64) for v in (x, t_x, T, m_x))
    buyers = int(x.size)
    repeat = x > 0
    repeat_buyers = int(repeat.sum())
    if buyers == 0:
        return ClvFit(0, 0, bgnbd_reason=NO_BUYERS, gamma_gamma_reason=NO_BUYERS)
    if buyers == 1:
        return ClvFit(1, repeat_buyers, bgnbd_reason=SINGLE_BUYER,
                      gamma_gamma_reason=SINGLE_BUYER)
    if repeat_buyers == 0:
        return ClvFit(buyers, 0, bgnbd_reason=NO_REPEAT_BUYERS,
                      gamma_gamma_reason=NO_REPEAT_BUYERS)
    bg = fit_bgnbd(x, t_x, T, max_iterations)
    with_spend = repeat & (m_x > 0)
    gg: ModelFit | None = None
    gg_reason: str | None = None
    if int(with_spend.sum()) < 2:
        gg_reason = TOO_FEW_SPEND_BUYERS
    elif np.ptp(m_x[with_spend]) == 0:
        gg_reason = SPEND_WITHOUT_VARIATION
    else:
        gg = fit_gamma_gamma(x[with_spend], m_x[with_spend], max_iterations)
    return ClvFit(buyers, repeat_buyers, bg, gg, gamma_gamma_reason=gg_reason)


@dataclass(frozen=True)
class Predictions:
    """Per buyer, in input order; nan where a value is not available (see null_reason)."""

    expected_purchases: Array
    probability_alive: Array
    expected_value: Array
    clv: Array
    value_lost: Array
    null_reason: list[str | None]


def horizon_steps(horizon_days: float) -> Array:
    """The ends of the discounting steps: every month (DAYS_PER_MONTH) up to the horizon,
    the last one shorter when the horizon is not a whole number of months."""
    months = math.ceil(horizon_days / DAYS_PER_MONTH - 1e-9)
    ends = np.minimum(np.arange(1, months + 1) * DAYS_PER_MONTH, horizon_days)
    return ends.astype(np.float64)


def discounted_if_alive(
    params: BgNbdParams,
    x: Array,
    T: Array,
    horizon_days: float,
    monthly_discount_rate: float,
) -> tuple[Array, Array]:
    """(E[Y(horizon) | alive], Σ over steps of the step's expected purchases | alive,
    discounted at the end of the step by (1 + rate)^(months since as_of))."""
    previous = np.zeros_like(x)
    discounted = np.zeros_like(x)
    for end in horizon_steps(horizon_days):
        current = bgnbd.expected_purchases_if_alive(params, end, x, T)
        discounted += (current - previous) / (1.0 + monthly_discount_rate) ** (
            end / DAYS_PER_MONTH)
        previous = current
    return previous, discounted


def predict(
    result: ClvFit,
    x: ArrayLike,
    t_x: ArrayLike,
    T: ArrayLike,
    m_x: ArrayLike,
    horizon_days: float,
    monthly_discount_rate: float,
) -> Predictions:
    """Per buyer: expected purchases in the next `horizon_days`, P(alive), expected value
    per purchase, CLV over the horizon discounted monthly, and the value lost if the
    customer has churned (CLV had they been certainly alive, minus CLV).

    The hypergeometric terms are evaluated once per distinct (x, T)."""
    x, t_x, T, m_x = (np.asarray(v, dtype=np.float64) for v in (x, t_x, T, m_x))
    n = x.size
    nan = np.full(n, np.nan)
    reasons = np.full(n, None, dtype=object)
    params = result.bgnbd_params
    if params is None or result.failure:
        reasons[:] = FIT_FAILED if result.failure else result.bgnbd_reason
        return Predictions(nan, nan.copy(), nan.copy(), nan.copy(), nan.copy(), list(reasons))
    alive = bgnbd.probability_alive(params, x, t_x, T)
    if abs(params.a - 1.0) < A_EQUALS_ONE_TOLERANCE:
        expected, clv_units_alive = nan.copy(), nan.copy()
        reasons[:] = A_EQUALS_ONE
    else:
        # a live customer's future depends on (x, T) only: once per distinct pair
        (ux, uT), _, inverse = distinct_rows(x, T)
        expected_alive, discounted_alive = discounted_if_alive(
            params, ux, uT, horizon_days, monthly_discount_rate)
        expected = expected_alive[inverse] * alive
        clv_units_alive = discounted_alive[inverse]
    spend = result.gamma_gamma_params
    if spend is None:
        value = nan.copy()
        reasons[np.equal(reasons, None)] = result.gamma_gamma_reason
    else:
        value = gamma_gamma.conditional_expected_value(spend, x, m_x)
        reasons[np.equal(reasons, None) & np.isnan(value)] = Q_AT_MOST_ONE
    clv_if_alive = clv_units_alive * value
    clv, lost = clv_if_alive * alive, clv_if_alive * (1.0 - alive)
    # a value missing without a reason is an overflow of the closed forms (parameters too
    # extreme to predict from): flagged, and the build stops on it (assert_clv_usable)
    finite = np.isfinite(alive) & np.isfinite(expected) & np.isfinite(value) \
        & np.isfinite(clv) & np.isfinite(lost)
    reasons[np.equal(reasons, None) & ~finite] = NON_FINITE
    reasons[~np.isfinite(alive)] = NON_FINITE
    return Predictions(expected, alive, value, clv, lost, list(reasons))
