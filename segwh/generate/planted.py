"""Planted customers: hand-built, dirt-free customers whose segments are known.

Times are given as seconds *before* ``as_of``. Expected memberships are derived from the
planted rows by the segment rules of ``spec/segments.md`` (default vars); a membership is
written only when it holds whatever the random customers are (see ``expectations``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from segwh.generate import text as tx
from segwh.generate import vocab as vb
from segwh.segments import SEGMENT_FLAGS

D = 86_400
H = 3_600
# every segment of the registry but geographic (everyone is in it): each needs a rule below
SEGMENTS = [segment for segment in SEGMENT_FLAGS if segment != "geographic"]
VIP_ORDER_TOTAL = "5000000.00"
VIP_LTV_CENTS = 1_500_000_000  # 15 million USD: far above any random customer


@dataclass
class Order:
    before: int  # seconds before as_of
    status: str = "completed"
    total: str = "50.00"
    coupon: str | None = None


@dataclass
class Cart:
    before: int
    order: int | None = None  # index into the customer's orders


@dataclass
class Plant:
    cid: str
    reg_before: int
    orders: list[Order] = field(default_factory=list)
    sessions: list[int] = field(default_factory=list)
    carts: list[Cart] = field(default_factory=list)


def _days(*days: float) -> list[int]:
    return [int(x * D) for x in days]


def plants() -> list[Plant]:
    """The planted customers (about 40)."""
    coupon = "PLANTED10"
    counted_cycle = ["placed", "paid", "shipped", "delivered", "completed"]
    loy2 = [Order(int((10 + 14 * j) * D), counted_cycle[j % 5], "40.00", coupon)
            for j in range(60)]
    loy2 += [Order(int((17 + 100 * j) * D), "refunded", "40.00") for j in range(5)]
    return [
        # VIP: lifetime value far above anything random (ties at the top are all in)
        Plant("PLANT-VIP-1", 700 * D, [Order(300 * D, "completed", VIP_ORDER_TOTAL),
                                       Order(200 * D, "delivered", VIP_ORDER_TOTAL),
                                       Order(100 * D, "shipped", VIP_ORDER_TOTAL)],
              _days(10, 20, 30)),
        Plant("PLANT-VIP-2", 650 * D, [Order(250 * D, "completed", "7500000.00"),
                                       Order(50 * D, "paid", "7500000.00")], _days(5)),
        Plant("PLANT-VIP-NEG-1", 400 * D, [Order(100 * D, "completed", "1.00")]),
        # hesitant: >= 5 sessions in the last 90 days, fewer orders than the average buyer
        Plant("PLANT-HES-1", 200 * D, [],
              [0] + _days(2, 5, 9, 14, 20, 27, 35, 44, 54, 65, 80)),  # latest event: as_of
        Plant("PLANT-HES-2", 150 * D, [], _days(1, 10, 30, 60, 89)),
        Plant("PLANT-HES-3", 300 * D, [Order(40 * D, "cancelled")], _days(3, 6, 9, 12, 15, 18)),
        Plant("PLANT-HES-NEG-1", 400 * D, [],
              _days(3, 20, 40, 60) + _days(*range(200, 300, 10))),
        Plant("PLANT-HES-NEG-2", 400 * D, [], _days(90, 3, 20, 40, 60)),  # 90 d: not recent
        # registered, no order, more than 4 lifetime visits
        Plant("PLANT-RNO-1", 500 * D, [], _days(200, 250, 300, 350, 400, 450)),
        Plant("PLANT-RNO-NEG-1", 500 * D, [], _days(200, 250, 300, 350)),  # exactly 4 visits
        Plant("PLANT-RNO-NEG-2", 500 * D, [Order(100 * D)], _days(*range(150, 470, 40))),
        Plant("PLANT-RNO-NEG-3", 500 * D),
        # loyal: order_count >= 4 and above the average buyer
        Plant("PLANT-LOY-1", 1000 * D, [Order(int((15 + 15 * j) * D)) for j in range(60)],
              _days(2, 9, 16, 23, 30, 37, 44, 51, 58, 65)),
        Plant("PLANT-LOY-2", 1000 * D, loy2, _days(8)),
        Plant("PLANT-LOY-NEG-1", 500 * D, [Order(j * 30 * D) for j in (1, 2, 3)]),
        Plant("PLANT-LOY-NEG-2", 500 * D, [Order(20 * D), Order(40 * D, "paid")]
              + [Order(j * 50 * D, s) for j, s in enumerate(
                  ["cancelled", "failed", "returned", "refunded", "cancelled"], start=1)]),
        # one-time buyers
        Plant("PLANT-OTB-1", 400 * D, [Order(50 * D), Order(30 * D, "cancelled")]),
        Plant("PLANT-OTB-2", 100 * D, [Order(130 * D, "delivered", "80.00"),  # before reg.
                                       Order(20 * D, "failed"), Order(10 * D, "returned")]),
        Plant("PLANT-OTB-NEG-1", 400 * D, [Order(50 * D), Order(30 * D, "placed")]),
        Plant("PLANT-OTB-NEG-2", 400 * D, [Order(50 * D, "refunded")]),
        # coupon lovers: >= 2 counted orders, every one with a coupon
        Plant("PLANT-COUP-1", 300 * D, [Order(j * 40 * D, "completed", "30.00", coupon)
                                        for j in (1, 2, 3)]),
        Plant("PLANT-COUP-2", 300 * D, [Order(60 * D, "completed", "30.00", coupon),
                                        Order(30 * D, "delivered", "30.00", "SAVE10"),
                                        Order(15 * D, "cancelled", "30.00")]),
        Plant("PLANT-COUP-NEG-1", 300 * D, [Order(90 * D, "completed", "30.00", coupon),
                                            Order(60 * D, "completed", "30.00", coupon),
                                            Order(30 * D, "completed", "30.00")]),
        Plant("PLANT-COUP-NEG-2", 300 * D, [Order(30 * D, "completed", "30.00", coupon)]),
        # cart abandoners
        Plant("PLANT-CART-1", 300 * D, [Order(100 * D)], [], [Cart(3 * D)]),
        Plant("PLANT-CART-2", 60 * D, [], [], [Cart(10 * D)]),
        Plant("PLANT-CART-3", 60 * D, [], [], [Cart(1 * H)]),  # exactly as_of - 1 hour
        Plant("PLANT-CART-4", 200 * D, [Order(5 * D, "cancelled")], [], [Cart(10 * D)]),
        Plant("PLANT-CART-5", 200 * D, [], [], [Cart(30 * D - 1)]),  # just inside 30 days
        Plant("PLANT-CART-NEG-1", 200 * D, [Order(2 * D)], [], [Cart(5 * D)]),
        Plant("PLANT-CART-NEG-2", 200 * D, [Order(20 * D)], [], [Cart(20 * D + H, 0)]),
        Plant("PLANT-CART-NEG-3", 200 * D, [], [], [Cart(30 * D)]),  # window is half-open
        Plant("PLANT-CART-NEG-4", 200 * D, [], [], [Cart(30 * 60)]),  # too fresh
        Plant("PLANT-CART-NEG-5", 200 * D, [Order(5 * D, "cancelled")], [],
              [Cart(5 * D + H, 0)]),  # names an order: never abandoned
        Plant("PLANT-CART-NEG-6", 200 * D, [Order(6 * D)], [], [Cart(6 * D)]),  # same instant
        Plant("PLANT-CART-NEG-7", 200 * D, [], [], [Cart(45 * D)]),
    ]


def _cents(text: str) -> int:
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def metrics(p: Plant) -> dict[str, int]:
    counted = [o for o in p.orders if o.status in vb.COUNTED_STATUSES]
    last_counted = min((o.before for o in counted), default=None)
    abandoned = 0
    for c in p.carts:
        in_window = 1 * H <= c.before < 30 * D
        later = last_counted is not None and last_counted <= c.before
        abandoned += int(c.order is None and in_window and not later)
    return {
        "order_count": len(counted),
        "ltv_cents": sum(_cents(o.total) for o in counted),
        "coupon_orders": sum(1 for o in counted if o.coupon),
        "visits": len(p.sessions),
        "recent_visits": sum(1 for s in p.sessions if s < 90 * D),
        "abandoned": abandoned,
    }


def expectations(ps: list[Plant]) -> list[tuple[str, str, bool]]:
    """(customer_id, segment, is_member) for every membership that cannot depend on the
    random customers. VIP, hesitant and loyal compare with store-wide figures, so they are
    written only at the extremes: no order (never VIP), a lifetime value of 15 million USD
    or more (no random customer comes near), fewer than 4 orders (never loyal), 60 orders
    (far above any average), fewer than 5 recent visits (never hesitant). At-risk high value
    depends on the BG/NBD fit of all customers: only "never" is certain, for non-VIPs and for
    customers with at most one counted order (no repeat purchase: P(alive) = 1)."""
    out: list[tuple[str, str, bool]] = []
    for p in ps:
        m = metrics(p)
        n = m["order_count"]
        known: dict[str, bool | None] = {
            "vip": False if n == 0 else True if m["ltv_cents"] >= VIP_LTV_CENTS else
            False if m["ltv_cents"] <= 100 else None,
            "hesitant": False if m["recent_visits"] < 5 else True if n == 0 else
            False if n >= 60 else None,
            "registered_no_order": n == 0 and m["visits"] > 4,
            "loyal": False if n < 4 else True if n >= 60 else None,
            "one_time_buyers": n == 1,
            "coupon_lovers": n >= 2 and m["coupon_orders"] == n,
            "cart_abandoners": m["abandoned"] >= 1,
        }
        known["at_risk_high_value"] = False if n <= 1 or known["vip"] is False else None
        out += [(p.cid, s, v) for s in SEGMENTS if (v := known[s]) is not None]
    return out


def _ts(as_of: int, before: list[int]) -> pa.Array:
    return tx.to_arrow(tx.timestamp(as_of - np.asarray(before, dtype=np.int64)))


def planted_tables(as_of: int) -> dict[str, pa.Table]:
    """Rows of the planted customers, clean, in contract column order."""
    ps = plants()
    s = pa.string()
    n = len(ps)
    reg = _ts(as_of, [p.reg_before for p in ps])
    cust = {
        "customer_id": pa.array([p.cid for p in ps], s),
        "email": pa.array([p.cid.lower().replace("-", ".") + "@example.com" for p in ps], s),
        "phone": pa.array([f"+1 555 010 {k:04d}" for k in range(n)], s),
        "gender": pa.array(["female" if k % 2 else "male" for k in range(n)], s),
        "birth_date": pa.array(["1985-05-05"] * n, s),
        "registered_at": reg,
        "updated_at": reg,
        "country_code": pa.array(["US"] * n, s),
        "region": pa.array(["NY"] * n, s),
        "city": pa.array(["New York"] * n, s),
        "work_city": pa.nulls(n, s),
        "acquisition_channel": pa.array(["referral"] * n, s),
        "customer_type": pa.array(["individual"] * n, s),
        "company_type": pa.nulls(n, s),
        "education": pa.array(["bachelor"] * n, s),
        "occupation": pa.array(["engineer"] * n, s),
        "marital_status": pa.array(["single"] * n, s),
        "children_count": pa.array(["0"] * n, s),
        "annual_income": pa.array(["50000"] * n, s),
        "sms_opt_in": pa.array(["true"] * n, s),
        "email_opt_in": pa.array(["true"] * n, s),
    }
    o_rows = [(p.cid, f"{p.cid}-O{j + 1:02d}", o) for p in ps for j, o in enumerate(p.orders)]
    o_at = _ts(as_of, [o.before for _, _, o in o_rows])
    orders = {
        "order_id": pa.array([oid for _, oid, _ in o_rows], s),
        "customer_id": pa.array([cid for cid, _, _ in o_rows], s),
        "ordered_at": o_at,
        "status": pa.array([o.status for _, _, o in o_rows], s),
        "currency": pa.array(["USD"] * len(o_rows), s),
        "order_total": pa.array([o.total for _, _, o in o_rows], s),
        "discount_total": pa.array(["5.00" if o.coupon else "0.00" for _, _, o in o_rows], s),
        "coupon_code": pa.array([o.coupon for _, _, o in o_rows], s),
        "sales_channel": pa.array(["web"] * len(o_rows), s),
        "updated_at": o_at,
    }
    items = {
        "order_item_id": pa.array([f"{oid}-I1" for _, oid, _ in o_rows], s),
        "order_id": orders["order_id"],
        "product_id": pa.array(["P0001"] * len(o_rows), s),
        "quantity": pa.array(["1"] * len(o_rows), s),
        "unit_price": pa.array([f"{(_cents(o.total) + (500 if o.coupon else 0)) / 100:.2f}"
                                for _, _, o in o_rows], s),
    }
    s_rows = [(p.cid, f"{p.cid}-S{j + 1:02d}", b) for p in ps for j, b in enumerate(p.sessions)]
    before = np.array([b for _, _, b in s_rows], dtype=np.int64)
    sessions = {
        "session_id": pa.array([sid for _, sid, _ in s_rows], s),
        "customer_id": pa.array([cid for cid, _, _ in s_rows], s),
        "started_at": _ts(as_of, list(before)),
        "ended_at": _ts(as_of, list(np.maximum(before - 600, 1))),
        "device_type": pa.array(["desktop"] * len(s_rows), s),
        "page_views": pa.array(["5"] * len(s_rows), s),
        "traffic_source": pa.array(["direct"] * len(s_rows), s),
    }
    c_rows = [(p.cid, f"{p.cid}-K{j + 1:02d}", c) for p in ps for j, c in enumerate(p.carts)]
    c_at = _ts(as_of, [c.before for _, _, c in c_rows])
    carts = {
        "cart_id": pa.array([kid for _, kid, _ in c_rows], s),
        "customer_id": pa.array([cid for cid, _, _ in c_rows], s),
        "created_at": c_at,
        "updated_at": c_at,
        "completed_order_id": pa.array(
            [None if c.order is None else f"{cid}-O{c.order + 1:02d}" for cid, _, c in c_rows],
            s),
        "cart_value": pa.array(["99.00"] * len(c_rows), s),
        "currency": pa.array(["USD"] * len(c_rows), s),
        "item_count": pa.array(["1"] * len(c_rows), s),
    }
    data = {"customers": cust, "orders": orders, "order_items": items, "sessions": sessions,
            "carts": carts}
    return {name: pa.table({c: cols[c] for c in vb.COLUMNS[name]})
            for name, cols in data.items()}
