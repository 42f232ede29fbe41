"""The macro to_reporting_currency against exact arithmetic.

The macro takes a floating-point estimate of the cents and checks it exactly (38-digit
whole numbers) only near a half cent (macros/to_reporting_currency.sql). Here its SQL,
compiled by dbt, converts on DuckDB amounts of every size, random rates, and amounts
planted on exact half cents (where the double is sometimes just below the half), and each
result is compared with the rational value rounded half away from zero.
"""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import duckdb
import pyarrow as pa
import pytest
from conftest import run_dbt

# rates as exporters give them (up to 10 decimals, the scale of the rates' columns)
RATE_PAIRS = (("0.66", "1.08"), ("1.0", "1.0"), ("0.5", "0.6"), ("0.0123456789", "1.27"),
              ("1.1", "0.7"), ("0.3", "1.3"))
RANDOM_ROWS = 20_000
# the macro's domain: converted amounts below 1e12 in the reporting currency (beyond ~1e13
# the double estimate can be off by more than the one cent its exact check corrects)
LARGEST_RESULT = Decimal(10**12)


@pytest.fixture(scope="module")
def conversion_sql(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The macro's expression for columns amount, currency_code, usd_per_unit and
    reporting_usd_per_unit of a relation `amounts` (reporting currency USD)."""
    tmp = tmp_path_factory.mktemp("reporting_currency")
    inline = ("select amounts.amount_id, {{ to_reporting_currency('amounts.amount', "
              "'amounts.currency_code', 'amounts') }} as converted from amounts")
    result = run_dbt(["-q", "compile", "--inline", inline], tmp / "warehouse.duckdb", tmp)
    sql = result.stdout.strip()
    assert sql.startswith("select amounts.amount_id"), sql[:300]
    return sql


def exact_value(amount: Decimal, usd_per_unit: Decimal, reporting: Decimal) -> Fraction:
    """|amount| × usd_per_unit ÷ reporting in cents, exactly."""
    return abs(Fraction(amount)) * Fraction(usd_per_unit) * 100 / Fraction(reporting)


def exact_cents(amount: Decimal, value: Fraction) -> Decimal:
    """The exact value of `amount` in cents rounded half away from zero, as money."""
    whole = value.numerator // value.denominator
    cents = whole + (1 if value - whole >= Fraction(1, 2) else 0)
    return Decimal(cents) / 100 * (-1 if amount < 0 else 1)


def amounts() -> list[tuple[Decimal, Decimal, Decimal]]:
    rows = []
    generator = random.Random(20261201)
    for _ in range(RANDOM_ROWS):
        scale = generator.choice((2, 2, 6))
        magnitude = generator.choice((10, 1000, 10**6, 10**11))
        amount = Decimal(generator.randrange(-magnitude * 10**scale, magnitude * 10**scale))
        row = (amount.scaleb(-scale), Decimal(generator.randrange(1, 3 * 10**10)).scaleb(-10),
               Decimal(generator.randrange(1, 3 * 10**10)).scaleb(-10))
        if abs(row[0] * row[1] / row[2]) < LARGEST_RESULT:
            rows.append(row)
    for usd, reporting in RATE_PAIRS:
        usd_d, reporting_d = Decimal(usd), Decimal(reporting)
        for k in range(1, 4000):
            # the amount (at most 6 decimals) that converts to exactly k + 1/2 cents, if any,
            # and its neighbours one millionth away
            half = Fraction(2 * k + 1, 2) * Fraction(reporting_d) / (Fraction(usd_d) * 100)
            if (half * 10**6).denominator != 1:
                continue
            exact = Decimal(half.numerator) / Decimal(half.denominator)
            for amount in (exact, -exact, exact + Decimal("0.000001"),
                           exact - Decimal("0.000001")):
                rows.append((amount, usd_d, reporting_d))
    return rows


def test_conversion_equals_exact_rounding(conversion_sql: str) -> None:
    rows = amounts()
    table = pa.table({
        "amount_id": pa.array(range(len(rows)), pa.int64()),
        "amount": pa.array([row[0] for row in rows], pa.decimal128(38, 6)),
        "currency_code": pa.array(["AUD"] * len(rows)),
        "usd_per_unit": pa.array([row[1] for row in rows], pa.decimal128(18, 10)),
        "reporting_usd_per_unit": pa.array([row[2] for row in rows], pa.decimal128(18, 10)),
    })
    with duckdb.connect() as con:
        con.register("amounts_arrow", table)
        con.execute("create table amounts as select * from amounts_arrow")
        converted = dict(con.execute(conversion_sql).fetchall())
    wrong, halves, double_wrong = [], 0, 0
    for i, (amount, usd, reporting) in enumerate(rows):
        value = exact_value(amount, usd, reporting)
        want = exact_cents(amount, value)
        if value.denominator == 2:
            halves += 1
            estimate = float(abs(amount)) * float(usd) / float(reporting) * 100
            double_wrong += int(Decimal(int(estimate + 0.5)) / 100 != abs(want))
        if converted[i] != want:
            wrong.append((str(amount), str(usd), str(reporting), converted[i], want))
    # not vacuous: exact halves, some of which floating point alone rounds the wrong way
    assert halves > 1000 and double_wrong > 100, (halves, double_wrong)
    assert not wrong, (len(wrong), wrong[:5])
