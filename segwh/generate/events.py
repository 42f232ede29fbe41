"""Random sessions and carts, one chunk of customers at a time, with dirt."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from segwh.generate import text as tx
from segwh.generate import vocab as vb
from segwh.generate.dirt import (
    BAD_TIMESTAMPS,
    DAY,
    SPAN,
    TS_KINDS,
    GenConfig,
    GenState,
    allocate,
    append_copies,
    choice_text,
    common_dirt,
    cycle_words,
    ids,
    null_rows,
    pick,
    set_col,
    styled,
    table,
    take_or_null,
)
from segwh.generate.orders import OrderInfo

# ---------------------------------------------------------------- sessions
SESSION_DIRT = ["id_spaces", "fk_spaces", "unknown_customer", "missing_required",
                "unparseable_ts", "future_ts", "ancient_ts", *TS_KINDS, "bad_page_views",
                "bad_ended_at", "dup_exact", "dup_tie"]


def sessions_chunk(g: GenConfig, rng: np.random.Generator, st: GenState, cust_ids: pa.Array,
                   reg: np.ndarray) -> pa.Table:
    n = reg.size
    has = rng.random(n) < 0.85
    cnt = np.where(has, 1 + rng.poisson(rng.gamma(1.2, 31.0 / 1.2, n)), 0)
    cnt = np.minimum(cnt, 2000).astype(np.int64)
    n_anon = int(rng.poisson(3.0 * n))
    owner = np.concatenate([np.repeat(np.arange(n), cnt), np.full(n_anon, -1)])
    owner = owner[rng.permutation(owner.size)]  # rows in no particular order
    s = owner.size
    lo = np.where(owner >= 0, reg[np.maximum(owner, 0)] - 30 * DAY, g.as_of - SPAN)
    start = lo + ((g.as_of - 2 - lo) * rng.random(s) ** 0.8).astype(np.int64)
    end = np.minimum(start + rng.integers(20, 3600, s), g.as_of - 1)
    snum = st.next_session + np.arange(s, dtype=np.int64)
    st.next_session += s
    d = allocate(rng, s, SESSION_DIRT, g.dirt_rate)
    pv = 1 + rng.poisson(8.0, s)
    cols = {
        "session_id": ids("S", snum, g.w_session),
        "customer_id": take_or_null(cust_ids, owner),
        "started_at": tx.to_arrow(tx.timestamp(start)),
        "ended_at": tx.to_arrow(tx.timestamp(end), rng.random(s) >= 0.05),
        "device_type": choice_text(vb.DEVICES, pick(rng, s, vb.DEVICE_P)),
        "page_views": tx.to_arrow(tx.digits(pv), rng.random(s) >= 0.03),
        "traffic_source": choice_text(vb.TRAFFIC, pick(rng, s, vb.TRAFFIC_P)),
    }
    pt = tx.Patcher(cols)
    styled(pt, "started_at", start, d)
    null_rows(pt, d["missing_required"], ["session_id", "started_at", "session_id"])
    r = d["bad_page_views"]
    pt.set("page_views", r, cycle_words(["n/a", "-3", "many"], r.size))
    r = d["bad_ended_at"]
    pt.set("ended_at", r, cycle_words(BAD_TIMESTAMPS, r.size))
    common_dirt(g, rng, st, "sessions", pt, d, "session_id", "started_at")
    t = table(pt.apply(), "sessions")
    r = d["dup_tie"]
    c = set_col(t.take(pa.array(r)), "page_views", tx.to_arrow(tx.digits(pv[r] + 1)))
    copies = {"dup_exact": t.take(pa.array(d["dup_exact"])), "dup_tie": c}
    return append_copies(st, "sessions", t, copies)


# ---------------------------------------------------------------- carts
CART_DIRT = ["id_spaces", "fk_spaces", "unknown_customer", "missing_required",
             "unparseable_ts", "future_ts", "ancient_ts", *TS_KINDS, "bad_value",
             "dup_reexport", "dup_exact"]


def carts_chunk(g: GenConfig, rng: np.random.Generator, st: GenState, cust_ids: pa.Array,
                reg: np.ndarray, orders: OrderInfo) -> pa.Table:
    n = reg.size
    cnt = rng.poisson(2.7, n).astype(np.int64)
    n_anon = int(rng.poisson(0.3 * n))
    owner = np.concatenate([np.repeat(np.arange(n), cnt), np.full(n_anon, -1)])
    owner = owner[rng.permutation(owner.size)]
    k = owner.size
    own = np.maximum(owner, 0)
    ocount = np.where(owner >= 0, orders.count[own], 0)
    linked = (ocount > 0) & (rng.random(k) < 0.72)
    oidx = orders.first[own] + (rng.random(k) * np.maximum(ocount, 1)).astype(np.int64)
    oidx = np.where(linked, oidx, -1)
    recent = rng.random(k) < 0.35
    lo = np.where(owner >= 0, reg[own], g.as_of - SPAN)
    created = np.where(recent, g.as_of - 2 - rng.integers(0, 30 * DAY, k),
                       lo + ((g.as_of - 2 - lo) * rng.random(k)).astype(np.int64))
    o_at = orders.at[np.maximum(oidx, 0)] if orders.at.size else np.zeros(k, np.int64)
    created = np.where(linked, o_at - rng.integers(60, 2 * DAY, k), created)
    upd = np.where(linked, o_at, np.minimum(created + rng.integers(0, 7200, k), g.as_of - 2))
    knum = st.next_cart + np.arange(k, dtype=np.int64)
    st.next_cart += k
    value = np.rint(rng.lognormal(4.4, 0.8, k) * 100).astype(np.int64)
    d = allocate(rng, k, CART_DIRT, g.dirt_rate)
    items = 1 + rng.poisson(1.5, k)
    cols = {
        "cart_id": ids("K", knum, g.w_cart),
        "customer_id": take_or_null(cust_ids, owner),
        "created_at": tx.to_arrow(tx.timestamp(created)),
        "updated_at": tx.to_arrow(tx.timestamp(upd), rng.random(k) >= 0.1),
        "completed_order_id": take_or_null(orders.ids, oidx),
        "cart_value": tx.to_arrow(tx.money(value)),
        "currency": choice_text(["USD", None, "EUR"], pick(rng, k, [0.5, 0.45, 0.05])),
        "item_count": tx.to_arrow(tx.digits(items)),
    }
    pt = tx.Patcher(cols)
    styled(pt, "created_at", created, d)
    null_rows(pt, d["missing_required"], ["cart_id", "created_at"])
    r = d["bad_value"]
    pt.set("cart_value", r, cycle_words(["abc", "-12.00"], r.size))
    common_dirt(g, rng, st, "carts", pt, d, "cart_id", "created_at",
                fk_cols=("customer_id", "completed_order_id"))
    t = table(pt.apply(), "carts")
    r = d["dup_reexport"]
    c = t.take(pa.array(r))
    c = set_col(c, "updated_at", tx.to_arrow(tx.timestamp(
        np.minimum(upd[r] + rng.integers(600, 3 * DAY, r.size), g.as_of - 2))))
    c = set_col(c, "cart_value", tx.to_arrow(tx.money(value[r] + 500)))
    c = set_col(c, "item_count", tx.to_arrow(tx.digits(items[r] + 1)))
    copies = {"dup_reexport": c, "dup_exact": t.take(pa.array(d["dup_exact"]))}
    return append_copies(st, "carts", t, copies)
