"""BG/NBD: repeat purchases and the probability a customer is still alive.

Fader, Hardie & Lee (2005), "Counting your customers the easy way: an alternative to the
Pareto/NBD model", Marketing Science 24(2). While alive, a customer buys at rate λ
(Poisson; λ ~ Gamma(r, α) across customers); after each purchase they drop out with
probability p (p ~ Beta(a, b)). A customer is summarised by x (repeat purchases), t_x (time
of the last purchase since the first) and T (time since the first purchase), all in the
same time unit (days in the warehouse, weeks in the paper).

Every function here is vectorised over customers and pure (numpy arrays in, arrays out).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln, hyp2f1, psi

from segwh.clv.distinct import Levels, weighted_sum

Array = NDArray[np.float64]


@dataclass(frozen=True)
class BgNbdParams:
    """The four population parameters (α in the time unit of the data)."""

    r: float
    alpha: float
    a: float
    b: float

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.r, self.alpha, self.a, self.b)


def _arrays(*values: ArrayLike) -> list[Array]:
    return [np.asarray(value, dtype=np.float64) for value in values]


def log_likelihood_terms(
    params: BgNbdParams, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
) -> Array:
    """Each customer's log-likelihood (the paper's equation 6, on the log scale)."""
    x, t_x, T = _arrays(x, t_x, T)
    r, alpha, a, b = params.as_tuple()
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    a4 = np.full_like(x, -np.inf)
    xr = x[repeat]
    a4[repeat] = np.log(a) - np.log(b + xr - 1) - (r + xr) * np.log(alpha + t_x[repeat])
    return a1 + a2 + np.logaddexp(a3, a4)


@dataclass(frozen=True)
class Profiles:
    """Distinct (x, t_x, T) with the number of customers sharing each (the weights)."""

    x: Array
    t_x: Array
    T: Array
    weights: Array
    levels: Levels

    @classmethod
    def of(cls, x: ArrayLike, t_x: ArrayLike, T: ArrayLike, weights: ArrayLike) -> Profiles:
        x, t_x, T, weights = _arrays(x, t_x, T, weights)
        return cls(x, t_x, T, weights, Levels.of(x, weights))

    def scaled(self, factor: float) -> Profiles:
        """The same customers with times multiplied by `factor`."""
        return Profiles(self.x, self.t_x * factor, self.T * factor, self.weights, self.levels)


def negative_log_likelihood(log_params: Array, data: Profiles) -> tuple[float, Array]:
    """−Σ w·LL and its gradient with respect to (log r, log α, log a, log b).

    The same sum as :func:`log_likelihood_terms`, arranged for the optimiser: the terms that
    depend on x only are evaluated once per distinct x (data.levels).
    """
    r, alpha, a, b = np.exp(log_params)
    x, w, levels = data.x, data.weights, data.levels
    level = levels.values
    # per distinct x: log-gamma terms and their derivatives
    level_ll = gammaln(r + level) + gammaln(b + level) - gammaln(a + b + level)
    psi_rx, psi_bx, psi_abx = psi(r + level), psi(b + level), psi(a + b + level)
    log_bx1 = np.log(np.where(level > 0, b + level - 1, 1.0))
    # per customer profile
    log_alpha_t = np.log(alpha + data.T)
    log_alpha_tx = np.log(alpha + data.t_x)
    a3 = -(r + x) * log_alpha_t
    a4 = np.where(x > 0, np.log(a) - log_bx1[levels.index] - (r + x) * log_alpha_tx, -np.inf)
    log_sum = np.logaddexp(a3, a4)
    w4 = np.exp(a4 - log_sum)  # share of the "dropped out after the last purchase" term
    w3 = 1.0 - w4
    total_w = float(w.sum())
    constant = -gammaln(r) + r * np.log(alpha) + gammaln(a + b) - gammaln(b)
    ll = weighted_sum(levels.weights, level_ll) + total_w * constant + weighted_sum(w, log_sum)
    rows_w4 = w * w4
    d_r = (weighted_sum(levels.weights, psi_rx) + total_w * (np.log(alpha) - psi(r))
           - weighted_sum(w * w3, log_alpha_t) - weighted_sum(rows_w4, log_alpha_tx))
    d_alpha = (total_w * r / alpha - weighted_sum(w * w3, (r + x) / (alpha + data.T))
               - weighted_sum(rows_w4, (r + x) / (alpha + data.t_x)))
    d_a = total_w * psi(a + b) - weighted_sum(levels.weights, psi_abx) + rows_w4.sum() / a
    d_b = (total_w * (psi(a + b) - psi(b)) + weighted_sum(levels.weights, psi_bx - psi_abx)
           - weighted_sum(rows_w4, np.exp(-log_bx1[levels.index])))
    gradient = -np.array([r * d_r, alpha * d_alpha, a * d_a, b * d_b])
    return -float(ll), gradient


def probability_alive(
    params: BgNbdParams, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
) -> Array:
    """P(alive at T | x, t_x, T) (the paper's equation 11; 1 when x = 0)."""
    x, t_x, T = _arrays(x, t_x, T)
    return 1.0 / (1.0 + _dropout_odds(params, x, t_x, T))


def _dropout_odds(params: BgNbdParams, x: Array, t_x: Array, T: Array) -> Array:
    """a/(b+x−1)·((α+T)/(α+t_x))^(r+x) for x > 0, else 0: P(dead) / P(alive)."""
    r, alpha, a, b = params.as_tuple()
    repeat = x > 0
    bx1 = np.where(repeat, b + x - 1, 1.0)
    log_odds = np.log(a) - np.log(bx1) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    with np.errstate(over="ignore"):
        return np.where(repeat, np.exp(log_odds), 0.0)


def expected_purchases_if_alive(
    params: BgNbdParams, t: ArrayLike, x: ArrayLike, T: ArrayLike
) -> Array:
    """E[Y(t) | alive at T, x, t_x, T]: repeat purchases in (T, T + t] of a live customer.

    The numerator of the paper's equation 10; E[Y(t) | x, t_x, T] is this times
    P(alive). Undefined when a = 1 (division by a − 1): callers check first.
    """
    t, x, T = _arrays(t, x, T)
    r, alpha, a, b = params.as_tuple()
    ratio = (alpha + T) / (alpha + T + t)
    z = t / (alpha + T + t)
    hyper = hyp2f1(r + x, b + x, a + b + x - 1, z)
    return (a + b + x - 1) / (a - 1) * (1.0 - ratio ** (r + x) * hyper)


def expected_purchases(
    params: BgNbdParams, t: ArrayLike, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
) -> Array:
    """E[Y(t) | x, t_x, T]: expected repeat purchases in the next t (equation 10)."""
    return expected_purchases_if_alive(params, t, x, T) * probability_alive(params, x, t_x, T)
