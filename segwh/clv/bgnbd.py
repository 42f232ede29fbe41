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


def negative_log_likelihood(
    log_params: Array,
    x: Array,
    t_x: Array,
    T: Array,
    weights: Array,
) -> tuple[float, Array]:
    """−Σ w·LL and its gradient with respect to (log r, log α, log a, log b).

    Used by the optimiser; `weights` count customers sharing one (x, t_x, T).
    """
    r, alpha, a, b = np.exp(log_params)
    a3 = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    bx1 = np.where(repeat, b + x - 1, 1.0)
    a4 = np.where(repeat, np.log(a) - np.log(bx1) - (r + x) * np.log(alpha + t_x), -np.inf)
    log_sum = np.logaddexp(a3, a4)
    w4 = np.exp(a4 - log_sum)  # share of the "dropped out after the last purchase" term
    w3 = 1.0 - w4
    ll = (
        gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        + gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
        + log_sum
    )
    d_r = psi(r + x) - psi(r) + np.log(alpha) - w3 * np.log(alpha + T) \
        - w4 * np.log(alpha + t_x)
    d_alpha = r / alpha - w3 * (r + x) / (alpha + T) - w4 * (r + x) / (alpha + t_x)
    d_a = psi(a + b) - psi(a + b + x) + w4 / a
    d_b = psi(a + b) + psi(b + x) - psi(b) - psi(a + b + x) - w4 / bx1
    total = -float(np.dot(weights, ll))
    gradient = -np.array([
        r * np.dot(weights, d_r),
        alpha * np.dot(weights, d_alpha),
        a * np.dot(weights, d_a),
        b * np.dot(weights, d_b),
    ])
    return total, gradient


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
