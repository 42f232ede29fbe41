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

from segwh.clv.distinct import Levels, weighted_sum

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


@dataclass(frozen=True)
class Spends:
    """Distinct (x, m_x) of repeat buyers with the number of customers sharing each."""

    x: Array
    m_x: Array
    weights: Array
    levels: Levels
    log_m_x: Array
    x_log_x: Array

    @classmethod
    def of(cls, x: ArrayLike, m_x: ArrayLike, weights: ArrayLike) -> Spends:
        x, m_x, weights = (np.asarray(v, dtype=np.float64) for v in (x, m_x, weights))
        return cls(x, m_x, weights, Levels.of(x, weights), np.log(m_x), x * np.log(x))

    def scaled(self, factor: float) -> Spends:
        """The same customers with values multiplied by `factor`."""
        return Spends(self.x, self.m_x * factor, self.weights, self.levels,
                      self.log_m_x + np.log(factor), self.x_log_x)


def negative_log_likelihood(log_params: Array, data: Spends) -> tuple[float, Array]:
    """−Σ w·LL and its gradient with respect to (log p, log q, log γ); the log-gamma terms
    are evaluated once per distinct x."""
    p, q, gamma = np.exp(log_params)
    x, w, levels = data.x, data.weights, data.levels
    px = p * levels.values
    level_ll = gammaln(px + q) - gammaln(px)
    psi_pxq, psi_px = psi(px + q), psi(px)
    log_total = np.log(gamma + x * data.m_x)
    total_w = float(w.sum())
    row_ll = (p * x - 1) * data.log_m_x + p * data.x_log_x - (p * x + q) * log_total
    ll = (weighted_sum(levels.weights, level_ll) + total_w * (q * np.log(gamma) - gammaln(q))
          + weighted_sum(w, row_ll))
    d_p = (weighted_sum(levels.weights, levels.values * (psi_pxq - psi_px))
           + weighted_sum(w, x * data.log_m_x + data.x_log_x - x * log_total))
    d_q = (weighted_sum(levels.weights, psi_pxq) + total_w * (np.log(gamma) - psi(q))
           - weighted_sum(w, log_total))
    d_gamma = total_w * q / gamma - weighted_sum(w, (p * x + q) / (gamma + x * data.m_x))
    return -float(ll), -np.array([p * d_p, q * d_q, gamma * d_gamma])


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
