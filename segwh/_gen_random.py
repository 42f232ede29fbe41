"""Random customers and their events, one chunk of customers at a time, with dirt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from segwh import _gen_text as tx
from segwh import _gen_vocab as vb

DAY = tx.SECONDS_PER_DAY
SPAN = 3 * 365 * DAY  # events spread over about three years before as_of
T2099 = 4_070_908_800  # 2099-01-01 00:00:00 UTC
T1999 = 915_148_800  # 1999-01-01 00:00:00 UTC

TS_KINDS = ["ts_T", "ts_frac", "ts_Z", "ts_offset", "ts_date"]
BAD_TIMESTAMPS = ["garbage", "2025-13-45", "31/12/2024 10:00", "yesterday", "2024-06-01 25:61"]
BAD_NUMBERS = ["abc", "two", "12,50", "N/A"]


@dataclass
class GenConfig:
    customers: int
    seed: int
    as_of: int  # epoch seconds, UTC
    dirt_rate: float
    w_cust: int = 5
    w_order: int = 6
    w_item: int = 7
    w_session: int = 7
    w_cart: int = 6

    @classmethod
    def make(cls, customers: int, seed: int, as_of: int, dirt_rate: float) -> GenConfig:
        def w(mult: int, floor: int) -> int:
            return max(floor, len(str(max(customers, 1) * mult)))

        return cls(customers, seed, as_of, dirt_rate, w(1, 5), w(30, 6), w(80, 7),
                   w(100, 7), w(10, 6))


@dataclass
class GenState:
    next_order: int = 1
    next_item: int = 1
    next_session: int = 1
    next_cart: int = 1
    dirt: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, table: str, kind: str, k: int) -> None:
        t = self.dirt.setdefault(table, {})
        t[kind] = t.get(kind, 0) + int(k)


# ---------------------------------------------------------------- small helpers
def pick(rng: np.random.Generator, n: int, probs: Sequence[float] | np.ndarray) -> np.ndarray:
    cdf = np.cumsum(np.asarray(probs, dtype=np.float64))
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(cdf) - 1)


def choice_text(words: Sequence[str | None], idx: np.ndarray) -> pa.Array:
    valid = np.array([w is not None for w in words])[idx]
    return tx.to_arrow(tx.vocab([w or "" for w in words], idx), valid)


def free_text(rng: np.random.Generator, words: Sequence[str], idx: np.ndarray,
              rate: float) -> pa.Array:
    """Canonical words, a fraction ``rate`` spelled in another case or with spaces."""
    forms = []
    for w in words:
        forms += [w, w.capitalize(), w.upper(), " " + w, w + " "]
    var = np.where(rng.random(idx.size) < rate, rng.integers(1, 5, idx.size), 0)
    return tx.to_arrow(tx.vocab(forms, idx * 5 + var))


def allocate(rng: np.random.Generator, n: int, kinds: Sequence[str], rate: float,
             floor: int = 3) -> dict[str, np.ndarray]:
    """Disjoint sets of row indices, one per dirt kind, each about ``rate * n`` rows."""
    if rate <= 0 or n == 0:
        return {k: np.zeros(0, dtype=np.int64) for k in kinds}
    each = max(floor, int(round(rate * n)))
    if each * len(kinds) > n:
        each = n // len(kinds)
    rows = rng.choice(n, size=each * len(kinds), replace=False)
    return {k: np.sort(rows[i * each:(i + 1) * each]) for i, k in enumerate(kinds)}


def ts_style(n: int, d: dict[str, np.ndarray]) -> np.ndarray:
    st = np.zeros(n, dtype=np.int64)
    st[d["ts_T"]] = tx.TS_T
    st[d["ts_frac"]] = tx.TS_FRAC
    st[d["ts_Z"]] = tx.TS_Z
    off = d["ts_offset"]
    st[off] = np.where(np.arange(off.size) % 2 == 0, tx.TS_PLUS, tx.TS_MINUS)
    st[d["ts_date"]] = tx.TS_DATE
    return st


def cycle_words(words: Sequence[str], k: int) -> pa.Array:
    return tx.to_arrow(tx.vocab(words, np.arange(k) % len(words)))


def bad_times(rng: np.random.Generator, k: int, future: bool) -> pa.Array:
    """Far-future (2099) or ancient (1999 / 1970-01-01) timestamps."""
    if future:
        secs = T2099 + rng.integers(0, 300 * DAY, k)
    else:
        secs = np.where(np.arange(k) % 2 == 0, T1999 + rng.integers(0, 360 * DAY, k), 0)
    return tx.to_arrow(tx.timestamp(secs))


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    n = numbers.size
    return tx.to_arrow(tx.cat(tx.const(prefix, n), tx.digits(numbers, width)))


def set_col(t: pa.Table, name: str, arr: pa.Array) -> pa.Table:
    return t.set_column(t.schema.get_field_index(name), name, arr)


def table(columns: dict[str, pa.Array], name: str) -> pa.Table:
    return pa.table({c: columns[c] for c in vb.COLUMNS[name]})


def take_or_null(arr: pa.Array, idx: np.ndarray) -> pa.Array:
    """``arr[idx]``, null where ``idx < 0``."""
    return arr.take(pa.array(np.maximum(idx, 0), mask=idx < 0))


def styled(pt: tx.Patcher, col: str, secs: np.ndarray, d: dict[str, np.ndarray]) -> None:
    """Rows of the ``ts_*`` dirt kinds get another valid ISO spelling of the same instant."""
    style = ts_style(secs.size, d)
    rows = np.flatnonzero(style)
    pt.set(col, rows, tx.to_arrow(tx.timestamp(secs[rows], style[rows])))


def common_dirt(g: GenConfig, rng: np.random.Generator, st: GenState, name: str,
                pt: tx.Patcher, d: dict[str, np.ndarray], id_col: str, ts_col: str,
                fk_cols: Sequence[str] = ("customer_id",), unknown_customer: bool = True) -> None:
    """Dirt every table with events shares: spaced ids, unknown customers, bad timestamps."""
    pt.spaced(id_col, d["id_spaces"])
    if fk_cols:
        for c, rows in zip(fk_cols, np.array_split(d["fk_spaces"], len(fk_cols)), strict=True):
            pt.spaced(c, rows)
    if unknown_customer:
        rows = d["unknown_customer"]
        pt.set("customer_id", rows, ids("C", g.customers + 1 + rng.integers(
            0, max(g.customers, 1000), rows.size), g.w_cust))
    r = d["unparseable_ts"]
    pt.set(ts_col, r, cycle_words(BAD_TIMESTAMPS, r.size))
    pt.set(ts_col, d["future_ts"], bad_times(rng, d["future_ts"].size, True))
    pt.set(ts_col, d["ancient_ts"], bad_times(rng, d["ancient_ts"].size, False))
    for kind, rows in d.items():
        if not kind.startswith("dup_"):
            st.count(name, kind, rows.size)


def append_copies(st: GenState, name: str, t: pa.Table,
                  copies: dict[str, pa.Table]) -> pa.Table:
    for kind, c in copies.items():
        st.count(name, kind, c.num_rows)
    return pa.concat_tables([t, *copies.values()])


def null_rows(pt: tx.Patcher, rows: np.ndarray, cols: Sequence[str]) -> None:
    """Missing required values: row ``rows[i]`` loses column ``cols[i % len(cols)]``
    (null, or whitespace only for every other id column)."""
    for j, c in enumerate(cols):
        value = "  " if (c.endswith("_id") and j % 2 == 1) else None
        pt.set(c, rows[j::len(cols)], value)


# ---------------------------------------------------------------- customers
CUSTOMER_DIRT = ["id_spaces", "missing_required", "unparseable_ts", "future_ts", "ancient_ts",
                 *TS_KINDS, "bad_email", "email_case_spaces", "bad_country", "bad_birth_date",
                 "bad_boolean", "bad_optional", "dup_update", "dup_exact", "dup_tie"]


def _emails(rng: np.random.Generator, num: np.ndarray) -> tx.Piece:
    n = num.size
    name = tx.vocab(vb.FIRST_NAMES, rng.integers(0, len(vb.FIRST_NAMES), n))
    dom = tx.vocab(vb.EMAIL_DOMAINS, rng.integers(0, len(vb.EMAIL_DOMAINS), n))
    return tx.cat(name, tx.const(".", n), tx.digits(num), tx.const("@", n), dom)


def _phones(rng: np.random.Generator, country: np.ndarray) -> tx.Piece:
    n = country.size
    cc = tx.vocab([c[2] for c in vb.COUNTRIES], country)
    a = tx.digits(rng.integers(100, 1000, n))
    b = tx.digits(rng.integers(100, 1000, n))
    c = tx.digits(rng.integers(0, 10_000, n), pad=4)

    def k(s: str) -> tx.Piece:
        return tx.const(s, n)

    forms = [
        tx.cat(k("+"), cc, k(" "), a, k(" "), b, k(" "), c),  # +98 912 345 6789
        tx.cat(k("0"), a, b, c),  # 09123456789
        tx.cat(k("("), a, k(") "), b, k("-"), c),  # (555) 123-4567
        tx.cat(a, k("."), b, k("."), c),  # 555.123.4567
        tx.cat(k("00"), cc, a, b, c),  # 0098912...
        tx.cat(k("+"), cc, k("-"), a, k("-"), b, c),
    ]
    f = rng.integers(0, len(forms), n)
    out = forms[0]
    for j in range(1, len(forms)):
        out = tx.where(f == j, forms[j], out)
    return out


def customers_chunk(g: GenConfig, rng: np.random.Generator, st: GenState, start: int,
                    n: int) -> tuple[pa.Table, pa.Array, np.ndarray]:
    """Customer rows of customers ``start+1 .. start+n``; returns (table, clean ids,
    registered_at seconds)."""
    num = start + 1 + np.arange(n, dtype=np.int64)
    clean_ids = ids("C", num, g.w_cust)
    reg = g.as_of - 2 - (SPAN * rng.random(n) ** 0.8).astype(np.int64)
    d = allocate(rng, n, CUSTOMER_DIRT, g.dirt_rate)
    upd = np.where(rng.random(n) < 0.3,
                   reg + ((g.as_of - 2 - reg) * rng.random(n)).astype(np.int64), reg)
    country = pick(rng, n, [c[1] for c in vb.COUNTRIES])
    ncity = np.array([len(c[3]) for c in vb.COUNTRIES])
    first = np.concatenate([[0], np.cumsum(ncity)[:-1]])
    places = [p for c in vb.COUNTRIES for p in c[3]]
    cities = [p[1] for p in places]
    city = first[country] + (rng.random(n) * ncity[country]).astype(np.int64)
    wcity = first[country] + (rng.random(n) * ncity[country]).astype(np.int64)
    ctype = pick(rng, n, vb.CUSTOMER_TYPE_P)
    is_company = (ctype == 3) | (ctype == 4)
    birth = (-9131 + rng.integers(0, 62 * 365, n)).astype(np.int64)  # 1945-01-01 + 62 years
    income = (np.round(rng.lognormal(10.6, 0.55, n) / 100) * 100).astype(np.int64)
    sms = np.where(rng.random(n) < 0.45, 0, 7) + rng.integers(0, 7, n)
    mail = np.where(rng.random(n) < 0.6, 0, 7) + rng.integers(0, 7, n)
    bools = vb.BOOLS_TRUE + vb.BOOLS_FALSE
    company = pick(rng, n, vb.COMPANY_TYPE_P)
    company = np.where(is_company, company, len(vb.COMPANY_TYPES) - 1)
    cols: dict[str, pa.Array] = {
        "customer_id": clean_ids,
        "email": tx.to_arrow(_emails(rng, num), rng.random(n) >= 0.05),
        "phone": tx.to_arrow(_phones(rng, country), rng.random(n) >= 0.1),
        "gender": choice_text(vb.GENDERS, pick(rng, n, vb.GENDER_P)),
        "birth_date": tx.to_arrow(tx.date(birth), rng.random(n) >= 0.12),
        "registered_at": tx.to_arrow(tx.timestamp(reg)),
        "updated_at": tx.to_arrow(tx.timestamp(upd), rng.random(n) >= 0.1),
        "country_code": tx.to_arrow(tx.vocab([c[0] for c in vb.COUNTRIES], country)),
        "region": tx.to_arrow(tx.vocab([p[0] for p in places], city), rng.random(n) >= 0.05),
        "city": tx.to_arrow(tx.vocab(cities, city), rng.random(n) >= 0.03),
        "work_city": tx.to_arrow(tx.vocab(cities, wcity), rng.random(n) < 0.45),
        "acquisition_channel": choice_text(vb.CHANNELS, pick(rng, n, vb.CHANNEL_P)),
        "customer_type": choice_text(vb.CUSTOMER_TYPES, ctype),
        "company_type": choice_text(vb.COMPANY_TYPES, company),
        "education": choice_text(vb.EDUCATION, pick(rng, n, vb.EDUCATION_P)),
        "occupation": choice_text(vb.OCCUPATIONS, pick(rng, n, vb.OCCUPATION_P)),
        "marital_status": choice_text(vb.MARITAL, pick(rng, n, vb.MARITAL_P)),
        "children_count": tx.to_arrow(tx.digits(np.minimum(rng.poisson(1.1, n), 7)),
                                      rng.random(n) >= 0.4),
        "annual_income": tx.to_arrow(
            tx.where(rng.random(n) < 0.5, tx.money(income * 100), tx.digits(income)),
            rng.random(n) >= 0.45),
        "sms_opt_in": tx.to_arrow(tx.vocab(bools, sms), rng.random(n) >= 0.05),
        "email_opt_in": tx.to_arrow(tx.vocab(bools, mail), rng.random(n) >= 0.05),
    }
    pt = tx.Patcher(cols)
    pt.spaced("city", np.flatnonzero(rng.random(n) < 0.03), " ", "")  # free text ' Paris'
    styled(pt, "registered_at", reg, d)
    null_rows(pt, d["missing_required"], ["customer_id", "customer_id", "registered_at"])
    r = d["bad_email"]
    pt.set("email", r, cycle_words(vb.BAD_EMAILS, r.size))
    r = d["email_case_spaces"]
    pt.set("email", r, pc.binary_join_element_wise(
        " ", pc.utf8_upper(cols["email"].take(pa.array(r))), " ", ""))
    r = d["bad_country"]
    pt.set("country_code", r, cycle_words(vb.COUNTRY_DIRT, r.size))
    r = d["bad_birth_date"]
    even = np.arange(r.size) % 2 == 0
    bad_birth = np.where(even, g.as_of // DAY + rng.integers(30, 4000, r.size),  # future
                         -25_567 - rng.integers(1, 20_000, r.size))  # before 1900-01-01
    pt.set("birth_date", r, tx.to_arrow(tx.date(bad_birth)))
    r = d["bad_boolean"]
    pt.set("sms_opt_in", r, cycle_words(vb.BOOL_JUNK, r.size))
    r = d["bad_optional"]
    pt.set("children_count", r[0::3], "two")
    pt.set("annual_income", r[1::3], "n/a")
    pt.set("updated_at", r[2::3], "garbage")
    common_dirt(g, rng, st, "customers", pt, d, "customer_id", "registered_at", fk_cols=(),
                unknown_customer=False)
    t = table(pt.apply(), "customers")
    # duplicates: re-exports with a later updated_at and changed fields, exact copies, ties
    copies: dict[str, pa.Table] = {}
    r = d["dup_update"]
    c = t.take(pa.array(r))
    base = np.maximum(upd[r], reg[r])
    later = np.minimum(base + rng.integers(3600, 90 * DAY, r.size), g.as_of - 2)
    c = set_col(c, "updated_at", tx.to_arrow(tx.timestamp(later)))
    c = set_col(c, "email", tx.to_arrow(_emails(rng, num[r] + 7)))
    c = set_col(c, "sms_opt_in", tx.to_arrow(tx.vocab(bools, rng.integers(0, 14, r.size))))
    c = set_col(c, "city", tx.to_arrow(tx.vocab(cities, first[country[r]])))
    cp = tx.Patcher({"customer_id": c.column("customer_id").combine_chunks()})
    cp.spaced("customer_id", np.arange(0, r.size, 2))
    copies["dup_update"] = set_col(c, "customer_id", cp.apply()["customer_id"])
    copies["dup_exact"] = t.take(pa.array(d["dup_exact"]))
    r = d["dup_tie"]
    c = t.take(pa.array(r))
    c = set_col(c, "email", tx.to_arrow(_emails(rng, num[r] + 11)))
    c = set_col(c, "marital_status", cycle_words(["married", "single"], r.size))
    copies["dup_tie"] = c
    t = append_copies(st, "customers", t, copies)
    return t, clean_ids, reg


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


# ---------------------------------------------------------------- products
def products_table(g: GenConfig, st: GenState) -> pa.Table:
    """The fixed catalogue, with a few dirty rows when dirt is on."""
    pids, names, cats, prices, _ = vb.catalogue()
    n = len(pids)
    idx = np.arange(n)
    cat_forms = [c for c in vb.CATEGORIES]
    ci = np.array([cat_forms.index(c) for c in cats])
    forms: list[str] = []
    for c in cat_forms:
        forms += [c, c.title(), c.upper(), " " + c + " "]
    var = np.where(idx % 9 == 4, 1, 0) + np.where(idx % 17 == 5, 2, 0) + np.where(
        idx % 23 == 7, 3, 0)
    var = np.minimum(var, 3)
    cols = {
        "product_id": tx.to_arrow(tx.vocab(pids, idx)),
        "product_name": tx.to_arrow(tx.vocab(names, idx)),
        "category": tx.to_arrow(tx.vocab(forms, ci * 4 + var)),
        "list_price": tx.to_arrow(tx.money(prices)),
    }
    t = table(cols, "products")
    if g.dirt_rate <= 0:
        return t
    s = pa.string()
    extra = pa.table({
        "product_id": pa.array([pids[2], " " + pids[4] + " ", None, pids[9], "  "], s),
        "product_name": pa.array([names[2], names[4], "mystery item", names[9], "blank id"], s),
        "category": pa.array([cats[2], cats[4], "home", None, "books"], s),
        "list_price": pa.array([f"{prices[2] / 100:.2f}", f"{prices[4] / 100 + 5:.2f}", "9.99",
                                "abc", "1.00"], s),
    })
    for kind, k in [("dup_exact", 1), ("id_spaces_dup", 1), ("missing_required", 2),
                    ("bad_optional", 1)]:
        st.count("products", kind, k)
    rest = t.filter(pa.array(idx != 9))
    return pa.concat_tables([rest, extra]).combine_chunks()
