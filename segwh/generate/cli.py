"""The generator's command line: ``python -m segwh.generate`` and ``segwh-generate``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from segwh.generate.dataset import generate
from segwh.generate.layouts import LAYOUTS
from segwh.generate.timefmt import DEFAULT_AS_OF, parse_as_of


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="segwh-generate",
        description="Write seeded, dirty raw data (customers, orders, order_items, products, "
                    "sessions, carts) in the shape of the raw-data contract.")
    p.add_argument("--customers", type=int, default=1000, help="random customers (1000)")
    p.add_argument("--seed", type=int, default=42, help="random seed (42)")
    p.add_argument("--format", choices=["csv", "parquet"], default="csv")
    p.add_argument("--out", type=Path, required=True, help="directory for the raw files")
    p.add_argument("--as-of", type=parse_as_of, default=parse_as_of(DEFAULT_AS_OF),
                   help=f"instant the data leads up to (UTC; default {DEFAULT_AS_OF}); "
                        "the latest clean event time is exactly as_of")
    p.add_argument("--dirt-rate", type=float, default=0.01,
                   help="fraction of rows given each kind of dirt (0.01); 0 = clean")
    p.add_argument("--chunk-customers", type=int, default=200_000,
                   help="customers generated per chunk (bounds memory; 200000)")
    p.add_argument("--expectations-out", type=Path, default=None,
                   help="directory for expected_segments.csv and generator_manifest.json "
                        "(default: --out)")
    p.add_argument("--layout", choices=LAYOUTS, default="export",
                   help="export: one file per table (default); deliveries: a folder of one "
                        "file per day for orders, order_items, sessions and carts")
    p.add_argument("--tombstone-rate", type=float, default=0.0,
                   help="deliveries only: about this fraction of order and cart ids get a "
                        "later tombstone row (_deleted true; default 0: no _deleted column)")
    p.add_argument("--erasures", type=int, default=0,
                   help="write erasures.<format> naming this many random customers (0)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return p


def main(argv: list[str] | None = None) -> int:
    a = build_parser().parse_args(argv)
    try:
        generate(a.customers, a.seed, a.out, a.format, a.as_of, a.dirt_rate,
                 a.chunk_customers, a.expectations_out, a.quiet, a.layout,
                 a.tombstone_rate, a.erasures)
    except ValueError as e:
        print(f"segwh-generate: {e}", file=sys.stderr)
        return 2
    return 0
