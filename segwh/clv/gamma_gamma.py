"""Gamma-Gamma: what a customer spends per purchase.

Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer base
analysis", Journal of Marketing Research 42(4); Fader & Hardie (2013), "The Gamma-Gamma
model of monetary value". A customer's purchase values are Gamma(p, ν) around their own
mean p/ν; ν ~ Gamma(q, γ) across customers. A customer is summarised by x (repeat
purchases) and m_x (the mean value of those x purchases); the model assumes spend does not
depend on how often a customer buys.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln, psi

Array = NDArray[np.float64]


@dataclass(frozen=True)
class GammaGammaParams:
    p: float
    q: float
    gamma: float

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.p, self.q, self.gamma)


def log_likelihood_terms(params: GammaGammaParams, x: ArrayLike, m_x: ArrayLike) -> Array:
    """Each repeat buyer's log-likelihood of their mean value m_x (x > 0, m_x > 0)."""
    x = np.asarray(x, dtype=np.float64)
    m_x = np.asarray(m_x, dtype=np.float64)
    p, q, gamma = params.as_tuple()
    return (
        gammaln(p * x + q) - gammaln(p * x) - gammaln(q)
        + q * np.log(gamma) + (p * x - 1) * np.log(m_x) + p * x * np.log(x)
        - (p * x + q) * np.log(gamma + x * m_x)
    )


def negative_log_likelihood(
    log_params: Array, x: Array, m_x: Array, weights: Array
) -> tuple[float, Array]:
    """−Σ w·LL and its gradient with respect to (log p, log q, log γ)."""
    p, q, gamma = np.exp(log_params)
    params = GammaGammaParams(p, q, gamma)
    ll = log_likelihood_terms(params, x, m_x)
    log_total = np.log(gamma + x * m_x)
    common = psi(p * x + q)
    d_p = x * (common - psi(p * x) + np.log(m_x) + np.log(x) - log_total)
    d_q = common - psi(q) + np.log(gamma) - log_total
    d_gamma = q / gamma - (p * x + q) / (gamma + x * m_x)
    gradient = -np.array([
        p * np.dot(weights, d_p),
        q * np.dot(weights, d_q),
        gamma * np.dot(weights, d_gamma),
    ])
    return -float(np.dot(weights, ll)), gradient


def population_mean_value(params: GammaGammaParams) -> float:
    """E(M) of a customer we know nothing about: pγ/(q − 1); infinite when q ≤ 1."""
    p, q, gamma = params.as_tuple()
    return p * gamma / (q - 1) if q > 1 else float("inf")


def conditional_expected_value(
    params: GammaGammaParams, x: ArrayLike, m_x: ArrayLike
) -> Array:
    """E(M | x, m_x) = p(γ + x·m_x)/(px + q − 1): the population mean pulled towards the
    customer's own mean, the more so the more repeat purchases they made. With x = 0 it is
    the population mean (infinite, returned as nan, when q ≤ 1)."""
    x = np.asarray(x, dtype=np.float64)
    m_x = np.asarray(m_x, dtype=np.float64)
    p, q, gamma = params.as_tuple()
    denominator = p * x + q - 1
    safe = denominator > 0
    value = p * (gamma + x * np.where(x > 0, m_x, 0.0)) / np.where(safe, denominator, 1.0)
    return np.where(safe, value, np.nan)
