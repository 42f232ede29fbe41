"""Seeded, vectorized generator of dirty raw data in the shape of ``spec/raw-data.md``.

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

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from segwh import _gen_planted as planted
from segwh import _gen_random as rnd
from segwh import _gen_vocab as vb

SCHEMAS = {t: pa.schema([(c, pa.string()) for c in cols]) for t, cols in vb.COLUMNS.items()}


def parse_as_of(text: str) -> int:
    """Epoch seconds of ``YYYY-MM-DD[ HH:MM:SS]`` (UTC)."""
    text = text.strip().replace("T", " ").removesuffix("Z")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return int(datetime.strptime(text, fmt).replace(tzinfo=UTC).timestamp())
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"as_of must be 'YYYY-MM-DD HH:MM:SS', got {text!r}")


def fmt_epoch(secs: int) -> str:
    return datetime.fromtimestamp(secs, UTC).strftime("%Y-%m-%d %H:%M:%S")


class CsvSink:
    """Appends tables to ``<table>.csv``: header once, fields quoted only when needed."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.f = path.open("wb")
        self.f.write((",".join(schema.names) + "\n").encode())

    @staticmethod
    def _field(col: pa.Array) -> pa.Array:
        need = pc.match_substring_regex(col, r'[,"\r\n]')
        quoted = pc.binary_join_element_wise(
            '"', pc.replace_substring(col, '"', '""'), '"', "")
        return pc.if_else(pc.fill_null(need, False), quoted, col)

    def write(self, t: pa.Table) -> None:
        if t.num_rows == 0:
            return
        cols = [self._field(t.column(i).combine_chunks()) for i in range(t.num_columns)]
        line = pc.binary_join_element_wise(*cols, ",", null_handling="replace",
                                           null_replacement="")
        line = pc.binary_join_element_wise(line, "", "\n")
        arr = line.combine_chunks() if isinstance(line, pa.ChunkedArray) else line
        offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[
            arr.offset: arr.offset + len(arr) + 1]
        data = arr.buffers()[2]
        self.f.write(memoryview(data)[int(offsets[0]): int(offsets[-1])])

    def close(self) -> None:
        self.f.close()


class ParquetSink:
    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.schema = schema
        self.w = pq.ParquetWriter(path, schema, compression="snappy")

    def write(self, t: pa.Table) -> None:
        if t.num_rows:
            self.w.write_table(t.cast(self.schema))

    def close(self) -> None:
        self.w.close()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="segwh-generate",
        description="Write seeded, dirty raw data (customers, orders, order_items, products, "
                    "sessions, carts) in the shape of the raw-data contract.")
    p.add_argument("--customers", type=int, default=1000, help="random customers (1000)")
    p.add_argument("--seed", type=int, default=42, help="random seed (42)")
    p.add_argument("--format", choices=["csv", "parquet"], default="csv")
    p.add_argument("--out", type=Path, required=True, help="directory for <table>.<format>")
    p.add_argument("--as-of", type=parse_as_of, default=parse_as_of("2025-07-01 00:00:00"),
                   help="instant the data leads up to (UTC; default 2025-07-01 00:00:00); "
                        "the latest clean event time is exactly as_of")
    p.add_argument("--dirt-rate", type=float, default=0.01,
                   help="fraction of rows given each kind of dirt (0.01); 0 = clean")
    p.add_argument("--chunk-customers", type=int, default=200_000,
                   help="customers generated per chunk (bounds memory; 200000)")
    p.add_argument("--expectations-out", type=Path, default=None,
                   help="directory for expected_segments.csv and generator_manifest.json "
                        "(default: --out)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return p


def generate(customers: int, seed: int, out: Path, fmt: str = "csv",
             as_of: int = parse_as_of("2025-07-01 00:00:00"), dirt_rate: float = 0.01,
             chunk_customers: int = 200_000, expectations_out: Path | None = None,
             quiet: bool = True) -> dict[str, Any]:
    """Generate the data set; returns the manifest."""
    if customers < 0 or chunk_customers < 1 or not 0 <= dirt_rate <= 0.05:
        raise ValueError("need customers >= 0, chunk_customers >= 1, 0 <= dirt_rate <= 0.05")
    out.mkdir(parents=True, exist_ok=True)
    exp_dir = expectations_out or out
    exp_dir.mkdir(parents=True, exist_ok=True)
    g = rnd.GenConfig.make(customers, seed, as_of, dirt_rate)
    st = rnd.GenState()
    sink_cls = CsvSink if fmt == "csv" else ParquetSink
    sinks = {t: sink_cls(out / f"{t}.{fmt}", SCHEMAS[t]) for t in vb.TABLES}
    rows = dict.fromkeys(vb.TABLES, 0)

    def emit(name: str, t: pa.Table) -> None:
        sinks[name].write(t)
        rows[name] += t.num_rows

    t0 = time.monotonic()
    try:
        emit("products", rnd.products_table(g, st))
        for name, t in planted.planted_tables(as_of).items():
            emit(name, t)
        n_chunks = -(-customers // chunk_customers)
        for i in range(n_chunks):
            start = i * chunk_customers
            n = min(chunk_customers, customers - start)
            rng = np.random.default_rng([seed, i])
            cust, cids, reg = rnd.customers_chunk(g, rng, st, start, n)
            emit("customers", cust)
            del cust
            orders, items, info = rnd.orders_chunk(g, rng, st, cids, reg)
            emit("orders", orders)
            emit("order_items", items)
            del orders, items
            emit("sessions", rnd.sessions_chunk(g, rng, st, cids, reg))
            emit("carts", rnd.carts_chunk(g, rng, st, cids, reg, info))
            if not quiet:
                total = sum(rows.values())
                print(f"chunk {i + 1}/{n_chunks}: {total:,} rows written, "
                      f"{time.monotonic() - t0:.1f}s elapsed", file=sys.stderr, flush=True)
    finally:
        for s in sinks.values():
            s.close()
    expected = planted.expectations(planted.plants())
    with (exp_dir / "expected_segments.csv").open("w", encoding="utf-8", newline="\n") as f:
        f.write("customer_id,segment,is_member\n")
        for cid, seg, member in expected:
            f.write(f"{cid},{seg},{'true' if member else 'false'}\n")
    manifest: dict[str, Any] = {
        "generator": "segwh.generate",
        "seed": seed,
        "arguments": {"customers": customers, "seed": seed, "format": fmt, "out": str(out),
                      "as_of": fmt_epoch(as_of), "dirt_rate": dirt_rate,
                      "chunk_customers": chunk_customers},
        "as_of": fmt_epoch(as_of),
        "latest_clean_event_at": fmt_epoch(as_of),
        "rows": rows,
        "planted_customers": [p.cid for p in planted.plants()],
        "dirt": {t: dict(sorted(k.items())) for t, k in sorted(st.dirt.items())},
    }
    (exp_dir / "generator_manifest.json").write_text(json.dumps(manifest, indent=2) + "\n",
                                                     encoding="utf-8")
    if not quiet:
        print(f"done: {sum(rows.values()):,} rows in {time.monotonic() - t0:.1f}s -> {out}",
              file=sys.stderr)
    return manifest


def main(argv: list[str] | None = None) -> int:
    a = build_parser().parse_args(argv)
    try:
        generate(a.customers, a.seed, a.out, a.format, a.as_of, a.dirt_rate,
                 a.chunk_customers, a.expectations_out, a.quiet)
    except ValueError as e:
        print(f"segwh-generate: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
