"""What every generated table shares: the run's settings and counters, and the dirt helpers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from segwh.generate import text as tx
from segwh.generate import vocab as vb

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
