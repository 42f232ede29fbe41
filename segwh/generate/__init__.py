"""The raw-data generator (``python -m segwh.generate``, ``segwh-generate``).

Seeded and vectorized; writes dirty raw data in the shape of ``spec/raw-data.md``.

Writes one file per contract table (customers, orders, order_items, products, sessions,
carts) as CSV (every value text, RFC 4180, ``\\n`` line ends) or Parquet (every column
``string``), in the contract's column order, plus ``expected_segments.csv`` and
``generator_manifest.json`` (to ``--expectations-out``, default ``--out``).

Proportions, per random customer (before dirt):

* orders: 55 % of customers buy; a buyer has ``1 + Poisson(Gamma(0.5, 33))`` orders (capped
  at 400: many one-time buyers, a long tail of heavy buyers); plus 0.4 guest orders (null
  customer_id) per customer. About 10 orders per customer in all. About 3 % of a
  customer's orders are placed before the customer registered.
* order lines: ``1 + Poisson(1.5)`` per order (about 2.5), quantity ``1 + Poisson(0.35)``,
  products drawn by popularity from a fixed catalogue of 120 products in 7 categories
  (winter sports, mountaineering, mobile internet, clothing, books, electronics, home) with
  lognormal list prices; the order total is the sum of its lines less the discount, in the
  order's currency (null 50 %, USD 30 %, EUR 7 %, GBP 4 %, CAD 3 %, IRR 2 %, TRY/AED/INR/BRL
  1 % each). Coupons on 30 % of orders (5-25 % discount); 5 % of the others carry a blank
  coupon ``"  "``. Status: completed 45 %, delivered 15 %, shipped 10 %, paid 7 %, placed 6 %,
  cancelled 8 %, refunded/returned/failed 3 % each, 12 % of them in another case or with
  spaces.
* sessions: 85 % of customers have ``1 + Poisson(Gamma(1.2, 25.8))`` sessions, 15 % none;
  plus 3 anonymous sessions (null customer_id) per customer. About 30 per customer.
* carts: ``Poisson(2.7)`` per customer plus 0.3 anonymous; a customer with orders has 72 %
  of carts completed (naming one of their orders, created shortly before it), so about
  40 % of all carts name an order; 35 % of the others were created in the last 30 days.
* events spread over about three years before ``as_of``; every random event time is at
  least 2 s before ``as_of``. The planted customer ``PLANT-HES-1`` has a session at exactly
  ``as_of``, which is therefore the latest clean event time: the warehouse's default as_of
  equals the generator's, so the planted expectations hold without setting var as_of.
  Dirty timestamps lie in 2099 or before 2000, never just after ``as_of``.

Dirt (``--dirt-rate`` r, default 0.01): each kind below hits about r of the rows of its
table (at least 3 rows per chunk when r > 0), on disjoint rows; kinds named ``dup_*`` append
copies. The counts written are in the manifest under ``dirt``.

* every event table: ids with stray spaces (``id_spaces``), foreign keys with stray spaces
  (``fk_spaces``), unknown customer ids (``unknown_customer``: ``C`` + a number above the
  last customer), missing required values (null or ``"  "``), unparseable timestamps
  (``garbage``, ``2025-13-45``...), timestamps in 2099 (``future_ts``) and in 1999 or at
  1970-01-01 (``ancient_ts``), valid ISO spellings ``T``, fractional seconds, ``Z``,
  ``+03:30`` / ``-05:00`` (the UTC instant is kept) and bare dates (midnight).
* customers: re-exports with a later updated_at and changed e-mail/city/sms_opt_in (half of
  them with a spaced id), exact duplicates, re-exports with the same updated_at (ties);
  malformed e-mails, upper-case e-mails with spaces, country codes ``" us "``, ``XX``,
  ``zz``, blank; birth dates in the future or before 1900; junk booleans; ``two`` children,
  ``n/a`` income, ``garbage`` updated_at.
* orders: re-exports with a changed status and later updated_at, exact duplicates, ties;
  amounts ``abc``/``12,50``, negative totals and discounts, unknown statuses
  (``pending_review``...), currency without a rate (``XYZ``), lower-case currencies.
* order_items: unknown orders (``O9...``), unknown products (``P9...``), quantity 0 and
  negative, unparseable quantity/price, negative prices, exact duplicates.
* sessions: logged twice identically, same id with another page count (tie), ``n/a`` page
  views, unparseable ended_at. carts: re-exports with a later updated_at, exact duplicates,
  ``abc``/negative cart values. products: an exact duplicate, a spaced-id duplicate, null
  and blank ids, an ``abc`` list price.

36 planted customers (``PLANT-...``) carry no dirt; their certain segment memberships
go to ``expected_segments.csv``.
"""

from segwh.generate.cli import main
from segwh.generate.dataset import generate

__all__ = ["generate", "main"]
