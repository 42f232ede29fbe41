"""Independent reference values for the CLV formulas, from the models' definitions.

No hypergeometric function and no closed form of segwh.clv: the purchase rate λ ~ Gamma(r, α)
is integrated out with the elementary ∫ λ^(k−1) e^(−λc) dλ = Γ(k) / c^k, the dropout
probability p ~ Beta(a, b) and the spend rate ν by numerical quadrature.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, special

from segwh.clv.bgnbd import BgNbdParams
from segwh.clv.gamma_gamma import GammaGammaParams


def bgnbd_by_integration(
    params: BgNbdParams, t: float, x: int, t_x: float, T: float
) -> tuple[float, float]:
    """(P(alive), E[Y(t) | x, t_x, T]) from the model's definition, without 2F1.

    λ ~ Gamma(r, α) is integrated out with ∫ λ^(r+x−1) e^(−λc) dλ = Γ(r+x) / c^(r+x);
    p ~ Beta(a, b) by quadrature. Given λ and p, a live customer buys (1/p)(1 − e^(−λpt))
    times in the next t on average.
    """
    r, alpha, a, b = params.as_tuple()
    n = r + x

    def gamma_integral(c: float) -> float:
        return math.exp(math.lgamma(n) - n * math.log(c))

    def beta_density(p: float) -> float:
        return math.exp((a - 1) * math.log(p) + (b - 1) * math.log1p(-p) - special.betaln(a, b))

    # where Beta(a, b) holds its mass (all but 1e-14 on each side): with a large a and b
    # (a shop whose customers drop out at one rate) the density is a narrow peak that a
    # quadrature over [0, 1] can step over entirely
    low, high = (float(v) for v in special.betaincinv(a, b, [1e-14, 1 - 1e-14]))

    def quad(f) -> float:
        return integrate.quad(f, low, high, limit=200, epsabs=0, epsrel=1e-11)[0]

    alive = quad(lambda p: beta_density(p) * (1 - p) ** x * gamma_integral(alpha + T))
    dead = 0.0 if x == 0 else quad(
        lambda p: beta_density(p) * p * (1 - p) ** (x - 1) * gamma_integral(alpha + t_x))
    future = quad(lambda p: beta_density(p) * (1 - p) ** x / p
                  * (gamma_integral(alpha + T) - gamma_integral(alpha + T + p * t)))
    return alive / (alive + dead), future / (alive + dead)


def spend_by_integration(params: GammaGammaParams, x: int, m_x: float) -> float:
    """E(M | x, m_x) = E[p/ν | data], ν's posterior ∝ ν^(px+q−1) e^(−ν(γ + x m_x)) (by
    quadrature, on the scale of the posterior mean)."""
    p, q, gamma = params.as_tuple()
    shape, rate = p * x + q, gamma + x * m_x
    scale = shape / rate

    def log_kernel(nu: float) -> float:
        return (shape - 1) * math.log(nu) - rate * nu

    peak = log_kernel(scale)
    weight = integrate.quad(lambda u: math.exp(log_kernel(u * scale) - peak), 0, np.inf,
                            epsrel=1e-12)[0]
    moment = integrate.quad(lambda u: math.exp(log_kernel(u * scale) - peak) * p / (u * scale),
                            0, np.inf, epsrel=1e-12)[0]
    return moment / weight
