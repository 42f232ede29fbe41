"""One generated data set: every table, chunk by chunk, plus its expectations and manifest."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from segwh.generate import planted
from segwh.generate import vocab as vb
from segwh.generate.customers import customers_chunk
from segwh.generate.dirt import GenConfig, GenState
from segwh.generate.events import carts_chunk, sessions_chunk
from segwh.generate.layouts import LAYOUTS, deliver, write_erasures
from segwh.generate.orders import orders_chunk
from segwh.generate.products import products_table
from segwh.generate.sinks import CsvSink, ParquetSink
from segwh.generate.timefmt import DEFAULT_AS_OF, fmt_epoch, parse_as_of

SCHEMAS = {t: pa.schema([(c, pa.string()) for c in cols]) for t, cols in vb.COLUMNS.items()}


def generate(customers: int, seed: int, out: Path, fmt: str = "csv",
             as_of: int = parse_as_of(DEFAULT_AS_OF), dirt_rate: float = 0.01,
             chunk_customers: int = 200_000, expectations_out: Path | None = None,
             quiet: bool = True, layout: str = "export", tombstone_rate: float = 0.0,
             erasures: int = 0) -> dict[str, Any]:
    """Generate the data set in `layout` (segwh.generate.layouts); returns the manifest."""
    if customers < 0 or chunk_customers < 1 or not 0 <= dirt_rate <= 0.05:
        raise ValueError("need customers >= 0, chunk_customers >= 1, 0 <= dirt_rate <= 0.05")
    if layout not in LAYOUTS:
        raise ValueError(f"--layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    if tombstone_rate and layout != "deliveries":
        raise ValueError("--tombstone-rate needs --layout deliveries (in a full export an "
                         "absent id is the deletion)")
    if not 0 <= tombstone_rate <= 0.05 or erasures < 0:
        raise ValueError("need 0 <= --tombstone-rate <= 0.05 and --erasures >= 0")
    out.mkdir(parents=True, exist_ok=True)
    exp_dir = expectations_out or out
    exp_dir.mkdir(parents=True, exist_ok=True)
    g = GenConfig.make(customers, seed, as_of, dirt_rate)
    st = GenState()
    sink_cls = CsvSink if fmt == "csv" else ParquetSink
    sinks = {t: sink_cls(out / f"{t}.{fmt}", SCHEMAS[t]) for t in vb.TABLES}
    rows = dict.fromkeys(vb.TABLES, 0)

    def emit(name: str, t: pa.Table) -> None:
        sinks[name].write(t)
        rows[name] += t.num_rows

    t0 = time.monotonic()
    try:
        emit("products", products_table(g, st))
        for name, t in planted.planted_tables(as_of).items():
            emit(name, t)
        n_chunks = -(-customers // chunk_customers)
        for i in range(n_chunks):
            start = i * chunk_customers
            n = min(chunk_customers, customers - start)
            rng = np.random.default_rng([seed, i])
            cust, cids, reg = customers_chunk(g, rng, st, start, n)
            emit("customers", cust)
            del cust
            orders, items, info = orders_chunk(g, rng, st, cids, reg)
            emit("orders", orders)
            emit("order_items", items)
            del orders, items
            emit("sessions", sessions_chunk(g, rng, st, cids, reg))
            emit("carts", carts_chunk(g, rng, st, cids, reg, info))
            if not quiet:
                total = sum(rows.values())
                print(f"chunk {i + 1}/{n_chunks}: {total:,} rows written, "
                      f"{time.monotonic() - t0:.1f}s elapsed", file=sys.stderr, flush=True)
    finally:
        for s in sinks.values():
            s.close()
    delivered: dict[str, Any] = {"files": {}, "tombstones": {}}
    if layout == "deliveries":
        delivered = deliver(out, fmt, as_of, tombstone_rate, seed)
        for table, count in delivered["tombstones"].items():
            rows[table] += count
    erased = write_erasures(out, fmt, erasures, seed, as_of) if erasures else []
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
                      "chunk_customers": chunk_customers, "layout": layout,
                      "tombstone_rate": tombstone_rate, "erasures": erasures},
        "layout": layout,
        "files": delivered["files"],
        "tombstones": delivered["tombstones"],
        "erasures": erased,
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
