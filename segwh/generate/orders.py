"""Random orders and their lines, one chunk of customers at a time, with dirt."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from segwh.generate import text as tx
from segwh.generate import vocab as vb
from segwh.generate.dirt import (
    BAD_NUMBERS,
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
    free_text,
    ids,
    null_rows,
    pick,
    set_col,
    styled,
    table,
    take_or_null,
)

# ---------------------------------------------------------------- orders and items
ORDER_DIRT = ["id_spaces", "fk_spaces", "unknown_customer", "missing_required",
              "unparseable_ts", "unparseable_amount", "future_ts", "ancient_ts",
              "negative_total", "negative_discount", "unknown_status", "unknown_currency",
              "lower_currency", *TS_KINDS, "dup_reexport", "dup_exact", "dup_tie"]
ITEM_DIRT = ["id_spaces", "fk_spaces", "unknown_order", "unknown_product", "qty_zero",
             "qty_negative", "missing_required", "unparseable", "negative_price",
             "dup_exact"]


@dataclass
class OrderInfo:
    at: np.ndarray  # ordered_at seconds
    first: np.ndarray  # per customer: index of first order
    count: np.ndarray  # per customer: number of orders
    ids: pa.Array  # clean order ids


def orders_chunk(g: GenConfig, rng: np.random.Generator, st: GenState, cust_ids: pa.Array,
                 reg: np.ndarray) -> tuple[pa.Table, pa.Table, OrderInfo]:
    n = reg.size
    buyer = rng.random(n) < 0.55
    cnt = np.where(buyer, 1 + rng.poisson(rng.gamma(0.5, 33.0, n)), 0)
    cnt = np.minimum(cnt, 400).astype(np.int64)
    n_guest = int(rng.poisson(0.4 * n))
    owner = np.concatenate([np.repeat(np.arange(n), cnt), np.full(n_guest, -1)])
    m = owner.size
    first = np.concatenate([[0], np.cumsum(cnt)[:-1]]).astype(np.int64)
    lo = np.where(owner >= 0, reg[np.maximum(owner, 0)], g.as_of - SPAN)
    at = lo + ((g.as_of - 2 - lo) * rng.random(m)).astype(np.int64)
    early = (rng.random(m) < 0.03) & (owner >= 0)  # ordered before registering
    at = np.where(early, lo - rng.integers(3600, 120 * DAY, m), at)
    onum = st.next_order + np.arange(m, dtype=np.int64)
    st.next_order += m
    order_ids = ids("O", onum, g.w_order)
    cur = pick(rng, m, vb.CURRENCY_P)
    status = pick(rng, m, vb.STATUS_P)
    # items
    k = np.minimum(1 + rng.poisson(1.5, m), 20)
    item_order = np.repeat(np.arange(m), k)
    q = item_order.size
    _, _, _, list_cents, pop = vb.catalogue()
    prod = pick(rng, q, pop)
    qty = np.minimum(1 + rng.poisson(0.35, q), 9)
    price = np.rint(list_cents[prod] / vb.USD_PER_UNIT[cur[item_order]]).astype(np.int64)
    sub = np.rint(np.bincount(item_order, weights=qty * price, minlength=m)).astype(np.int64)
    coupon = rng.random(m) < 0.3
    pct = np.where(coupon, rng.uniform(0.05, 0.25, m), 0.0)
    disc = np.rint(sub * pct).astype(np.int64)
    total = sub - disc
    d = allocate(rng, m, ORDER_DIRT, g.dirt_rate)
    later = np.minimum(at + rng.integers(0, 14 * DAY, m), g.as_of - 2)
    upd = np.where(status >= 1, later, at)
    blank = ~coupon & (rng.random(m) < 0.05)
    cols = {
        "order_id": order_ids,
        "customer_id": take_or_null(cust_ids, owner),
        "ordered_at": tx.to_arrow(tx.timestamp(at)),
        "status": free_text(rng, vb.STATUSES, status, 0.12),
        "currency": choice_text(vb.CURRENCIES, cur),
        "order_total": tx.to_arrow(tx.money(total)),
        "discount_total": tx.to_arrow(tx.money(disc), coupon | (rng.random(m) < 0.9)),
        "coupon_code": choice_text([*vb.COUPONS, "  ", None], np.where(
            coupon, rng.integers(0, len(vb.COUPONS), m), len(vb.COUPONS) + 1 - blank)),
        "sales_channel": free_text(rng, vb.SALES_CHANNELS, pick(rng, m, vb.SALES_CHANNEL_P),
                                   0.05),
        "updated_at": tx.to_arrow(tx.timestamp(upd), rng.random(m) >= 0.2),
    }
    st.count("orders", "blank_coupon", int(blank.sum()))
    pt = tx.Patcher(cols)
    styled(pt, "ordered_at", at, d)
    null_rows(pt, d["missing_required"], ["order_id", "ordered_at", "status", "order_total"])
    r = d["unparseable_amount"]
    pt.set("order_total", r, cycle_words(["abc", "12,50", "N/A"], r.size))
    r = d["negative_total"]
    pt.set("order_total", r, tx.to_arrow(tx.money(-total[r] - 1)))
    r = d["negative_discount"]
    pt.set("discount_total", r, tx.to_arrow(tx.money(-disc[r] - 100)))
    r = d["unknown_status"]
    pt.set("status", r, cycle_words(vb.UNKNOWN_STATUSES, r.size))
    r = d["unknown_currency"]
    pt.set("currency", r, cycle_words(["XYZ", "ABC", "usd?"], r.size))
    r = d["lower_currency"]  # the same currency, in lower case and with spaces
    r = d["lower_currency"] = r[cur[r] > 0]
    low = pc.utf8_lower(cols["currency"].take(pa.array(r)))
    pt.set("currency", r, pc.if_else(pa.array(np.arange(r.size) % 2 == 0), low,
                                     pc.binary_join_element_wise(" ", low, " ", "")))
    common_dirt(g, rng, st, "orders", pt, d, "order_id", "ordered_at")
    t = table(pt.apply(), "orders")
    copies: dict[str, pa.Table] = {}
    r = d["dup_reexport"]
    c = t.take(pa.array(r))
    new_status = (status[r] + 1 + rng.integers(0, 8, r.size)) % len(vb.STATUSES)
    c = set_col(c, "status", tx.to_arrow(tx.vocab(vb.STATUSES, new_status)))
    c = set_col(c, "updated_at", tx.to_arrow(tx.timestamp(
        np.minimum(upd[r] + rng.integers(3600, 30 * DAY, r.size), g.as_of - 2))))
    copies["dup_reexport"] = c
    copies["dup_exact"] = t.take(pa.array(d["dup_exact"]))
    r = d["dup_tie"]
    c = t.take(pa.array(r))
    c = set_col(c, "status", tx.to_arrow(tx.vocab(vb.STATUSES, (status[r] + 3) % 9)))
    c = set_col(c, "updated_at", tx.to_arrow(tx.timestamp(upd[r])))
    copies["dup_tie"] = c
    t = append_copies(st, "orders", t, copies)
    items = items_chunk(g, rng, st, order_ids, item_order, prod, qty, price)
    return t, items, OrderInfo(at, first, cnt, order_ids)


def items_chunk(g: GenConfig, rng: np.random.Generator, st: GenState, order_ids: pa.Array,
                item_order: np.ndarray, prod: np.ndarray, qty: np.ndarray,
                price: np.ndarray) -> pa.Table:
    q = item_order.size
    inum = st.next_item + np.arange(q, dtype=np.int64)
    st.next_item += q
    pids = vb.catalogue()[0]
    cols = {
        "order_item_id": ids("I", inum, g.w_item),
        "order_id": order_ids.take(pa.array(item_order)),
        "product_id": tx.to_arrow(tx.vocab(pids, prod)),
        "quantity": tx.to_arrow(tx.digits(qty)),
        "unit_price": tx.to_arrow(tx.where(price % 100 == 0, tx.digits(price // 100),
                                           tx.money(price))),
    }
    d = allocate(rng, q, ITEM_DIRT, g.dirt_rate)
    pt = tx.Patcher(cols)
    pt.set("quantity", d["qty_zero"], "0")
    r = d["qty_negative"]
    pt.set("quantity", r, tx.to_arrow(tx.signed(-qty[r])))
    null_rows(pt, d["missing_required"], ["quantity", "product_id", "unit_price", "order_id"])
    r = d["unparseable"]
    pt.set("quantity", r[0::2], cycle_words(BAD_NUMBERS, r[0::2].size))
    pt.set("unit_price", r[1::2], cycle_words(BAD_NUMBERS, r[1::2].size))
    r = d["negative_price"]
    pt.set("unit_price", r, tx.to_arrow(tx.money(-price[r] - 1)))
    r = d["unknown_product"]
    pt.set("product_id", r, ids("P9", rng.integers(0, 999, r.size), 3))
    r = d["unknown_order"]
    pt.set("order_id", r, ids("O9", rng.integers(0, 10 ** (g.w_order + 1), r.size),
                              g.w_order + 1))
    pt.spaced("order_item_id", d["id_spaces"])
    r = d["fk_spaces"]
    pt.spaced("order_id", r[0::2])
    pt.spaced("product_id", r[1::2])
    for kind, rows in d.items():
        if kind != "dup_exact":
            st.count("order_items", kind, rows.size)
    t = table(pt.apply(), "order_items")
    return append_copies(st, "order_items", t, {"dup_exact": t.take(pa.array(d["dup_exact"]))})
