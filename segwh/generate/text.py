"""Vectorized text building for the generator.

A :class:`Piece` is a batch of ``n`` short byte strings held as a ``uint8`` matrix
``(n, width)`` plus a boolean mask of the same shape that says which bytes belong to each
string. Concatenating pieces is a horizontal stack; turning a piece into an Arrow string
array is one boolean index (row-major, so each row's selected bytes come out in order).
No Python loop ever runs per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SECONDS_PER_DAY = 86_400


@dataclass
class Piece:
    """``n`` byte strings: ``mat[i, mask[i]]`` is string ``i``."""

    mat: np.ndarray
    mask: np.ndarray

    @property
    def n(self) -> int:
        return int(self.mat.shape[0])


def const(text: str, n: int) -> Piece:
    raw = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    mat = np.broadcast_to(raw, (n, raw.size))
    return Piece(mat, np.ones((n, raw.size), dtype=bool))


def vocab(words: Sequence[str], idx: np.ndarray) -> Piece:
    """String ``words[idx[i]]`` for each row."""
    enc = [w.encode("utf-8") for w in words]
    width = max(1, max(len(e) for e in enc))
    table = np.zeros((len(enc), width), dtype=np.uint8)
    lens = np.zeros(len(enc), dtype=np.int64)
    for k, e in enumerate(enc):
        if e:
            table[k, : len(e)] = np.frombuffer(e, dtype=np.uint8)
        lens[k] = len(e)
    tmask = np.arange(width)[None, :] < lens[:, None]
    idx = np.asarray(idx, dtype=np.int64)
    return Piece(table[idx], tmask[idx])


_LUT2 = np.array([[48 + i // 10, 48 + i % 10] for i in range(100)], dtype=np.uint8)
_LUT4 = np.array([[48 + i // 1000, 48 + i // 100 % 10, 48 + i // 10 % 10, 48 + i % 10]
                  for i in range(10_000)], dtype=np.uint8)
_POW10 = np.array([10**j for j in range(1, 19)], dtype=np.int64)


def _put(mat: np.ndarray, start: int, width: int, values: np.ndarray) -> None:
    """Write ``values`` as ``width`` zero-padded digits into ``mat[:, start:start+width]``
    (four digits per division, in 32 bits when the values allow)."""
    rest = np.asarray(values)
    if width == 2 and rest.size and int(rest.max()) < 100 and int(rest.min()) >= 0:
        mat[:, start:start + 2] = _LUT2[rest]
        return
    if width <= 9:
        rest = rest.astype(np.uint32)
    j = start + width
    while j - start >= 4:
        rest, four = np.divmod(rest, rest.dtype.type(10_000))
        mat[:, j - 4:j] = _LUT4[four]
        j -= 4
    while j > start:
        rest, one = np.divmod(rest, rest.dtype.type(10))
        mat[:, j - 1] = one.astype(np.uint8) + 48
        j -= 1


def digits(values: np.ndarray, pad: int = 1) -> Piece:
    """Decimal digits of non-negative integers, left-padded with zeros to ``pad``."""
    v = np.asarray(values, dtype=np.int64)
    n = v.size
    vmax = int(v.max()) if n else 0
    width = max(pad, len(str(vmax)))
    mat = np.empty((n, width), dtype=np.uint8)
    _put(mat, 0, width, v)
    if width == pad:
        return Piece(mat, np.ones((n, width), dtype=bool))
    lens = np.maximum(np.searchsorted(_POW10, v, side="right") + 1, pad)
    mask = np.arange(width)[None, :] >= (width - lens)[:, None]
    return Piece(mat, mask)


def signed(values: np.ndarray, pad: int = 1) -> Piece:
    v = np.asarray(values, dtype=np.int64)
    minus = masked(const("-", v.size), v < 0)
    return cat(minus, digits(np.abs(v), pad))


def money(cents: np.ndarray) -> Piece:
    """``-123.45`` style decimals from integer cents."""
    c = np.asarray(cents, dtype=np.int64)
    a = np.abs(c)
    return cat(masked(const("-", c.size), c < 0), digits(a // 100), const(".", c.size),
               digits(a % 100, pad=2))


def masked(p: Piece, keep: np.ndarray) -> Piece:
    """Rows where ``keep`` is false become the empty string."""
    return Piece(p.mat, p.mask & np.asarray(keep, dtype=bool)[:, None])


def cat(*pieces: Piece) -> Piece:
    return Piece(np.hstack([p.mat for p in pieces]), np.hstack([p.mask for p in pieces]))


def _widen(p: Piece, width: int) -> Piece:
    extra = width - p.mat.shape[1]
    if extra <= 0:
        return p
    n = p.n
    return Piece(np.hstack([p.mat, np.zeros((n, extra), np.uint8)]),
                 np.hstack([p.mask, np.zeros((n, extra), bool)]))


def where(cond: np.ndarray, a: Piece, b: Piece) -> Piece:
    """Row-wise choice: ``a`` where ``cond`` else ``b``."""
    width = max(a.mat.shape[1], b.mat.shape[1])
    a2, b2 = _widen(a, width), _widen(b, width)
    c = np.asarray(cond, dtype=bool)[:, None]
    return Piece(np.where(c, a2.mat, b2.mat), np.where(c, a2.mask, b2.mask))


def civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Proleptic Gregorian (year, month, day) from days since 1970-01-01 (H. Hinnant)."""
    z = np.asarray(days, dtype=np.int64) + 719_468
    if z.size and int(z.min()) >= 0 and int(z.max()) < 2**31:
        z = z.astype(np.int32)  # faster arithmetic; dates 0000-03-01 .. far future
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = np.where(mp < 10, mp + 3, mp - 9)
    y = yoe + era * 400 + (m <= 2)
    return y, m, d


# timestamp styles
TS_PLAIN, TS_T, TS_FRAC, TS_Z, TS_PLUS, TS_MINUS, TS_DATE = range(7)
_TS_SUFFIX = ["", "", "", "Z", "+03:30", "-05:00", ""]
_TS_SHIFT = np.array([0, 0, 0, 0, 12_600, -18_000, 0], dtype=np.int64)


def timestamp(secs: np.ndarray, style: np.ndarray | None = None) -> Piece:
    """ISO timestamps of UTC epoch seconds. ``style`` (per row) picks the spelling; every
    spelling denotes the same UTC instant (a fraction adds < 1 s, a bare date truncates)."""
    s = np.asarray(secs, dtype=np.int64)
    n = s.size
    st = np.zeros(n, dtype=np.int64) if style is None else np.asarray(style, dtype=np.int64)
    local = s + _TS_SHIFT[st] if style is not None else s
    days, sod = np.divmod(local, SECONDS_PER_DAY)
    sod = sod.astype(np.int32)
    y, m, d = civil(days)
    mat = np.empty((n, 19), dtype=np.uint8)
    _put(mat, 0, 4, y)
    _put(mat, 5, 2, m)
    _put(mat, 8, 2, d)
    _put(mat, 11, 2, sod // 3600)
    _put(mat, 14, 2, sod // 60 % 60)
    _put(mat, 17, 2, sod % 60)
    mat[:, 4] = mat[:, 7] = ord("-")
    mat[:, 13] = mat[:, 16] = ord(":")
    with_t = (st != TS_PLAIN) & (st != TS_DATE)
    mat[:, 10] = np.where(with_t, ord("T"), ord(" "))
    mask = np.ones((n, 19), dtype=bool)
    if style is None:
        return Piece(mat, mask)
    mask[st == TS_DATE, 10:] = False
    frac = masked(cat(const(".", n), digits((s * 7919) % 1000, pad=3)), st == TS_FRAC)
    return cat(Piece(mat, mask), frac, vocab(_TS_SUFFIX, st))


def date(days: np.ndarray) -> Piece:
    return masked_tail(timestamp(np.asarray(days, dtype=np.int64) * SECONDS_PER_DAY), 10)


def masked_tail(p: Piece, keep_bytes: int) -> Piece:
    mask = p.mask.copy()
    mask[:, keep_bytes:] = False
    return Piece(p.mat, mask)


def to_arrow(p: Piece, valid: np.ndarray | None = None) -> pa.StringArray:
    """Arrow ``string`` array of the piece; rows where ``valid`` is false are null."""
    n = p.n
    mask = p.mask if valid is None else p.mask & np.asarray(valid, dtype=bool)[:, None]
    mat = np.ascontiguousarray(p.mat)
    data = mat[mask]
    lens = mask.sum(axis=1, dtype=np.int64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lens, out=offsets[1:])
    if offsets[-1] >= 2**31:
        raise ValueError("chunk too large for a 32-bit string column; lower --chunk-customers")
    buffers: list[pa.Buffer | None] = [None, pa.py_buffer(offsets.astype(np.int32)),
                                       pa.py_buffer(data)]
    null_count = 0
    if valid is not None:
        v = np.asarray(valid, dtype=bool)
        null_count = int(n - v.sum())
        if null_count:
            buffers[0] = pa.py_buffer(np.packbits(v, bitorder="little"))
    return pa.StringArray.from_buffers(n, buffers[1], buffers[2], buffers[0], null_count)


def null_where(arr: pa.Array, is_null: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(np.asarray(is_null, dtype=bool)), pa.scalar(None, pa.string()),
                      arr)


def replace_rows(arr: pa.Array, idx: np.ndarray, values: pa.Array | str | None) -> pa.Array:
    """Replace the rows ``idx`` (any order) of ``arr`` by ``values`` (one per sorted index,
    or a single value for all)."""
    idx = np.sort(np.asarray(idx, dtype=np.int64))
    if idx.size == 0:
        return arr
    mask = np.zeros(len(arr), dtype=bool)
    mask[idx] = True
    if values is None:
        repl = pa.nulls(idx.size, pa.string())
    elif isinstance(values, str):
        repl = pa.repeat(pa.scalar(values, pa.string()), idx.size)
    else:
        repl = values
    return pc.replace_with_mask(arr, pa.array(mask), repl)


def spaced(arr: pa.Array, idx: np.ndarray, left: str = " ", right: str = " ") -> pa.Array:
    """Rows ``idx`` get stray spaces around their value (nulls stay null)."""
    idx = np.sort(np.asarray(idx, dtype=np.int64))
    if idx.size == 0:
        return arr
    sub = arr.take(pa.array(idx))
    padded = pc.binary_join_element_wise(pa.scalar(left), sub, pa.scalar(right), "")
    return replace_rows(arr, idx, padded)


class Patcher:
    """Collects row replacements per column and applies them in one pass per column."""

    def __init__(self, cols: dict[str, pa.Array]) -> None:
        self.cols = cols
        self.patches: dict[str, list[tuple[np.ndarray, pa.Array]]] = {}

    def set(self, col: str, rows: np.ndarray, values: pa.Array | str | None) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return
        if values is None:
            values = pa.nulls(rows.size, pa.string())
        elif isinstance(values, str):
            values = pa.repeat(pa.scalar(values, pa.string()), rows.size)
        self.patches.setdefault(col, []).append((rows, values))

    def spaced(self, col: str, rows: np.ndarray, left: str = " ", right: str = " ") -> None:
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size:
            sub = self.cols[col].take(pa.array(rows))
            self.set(col, rows, pc.binary_join_element_wise(left, sub, right, ""))

    def apply(self) -> dict[str, pa.Array]:
        out = dict(self.cols)
        for col, lst in self.patches.items():
            idx = np.concatenate([r for r, _ in lst])
            vals = pa.concat_arrays([v.cast(pa.string()) for _, v in lst])
            order = np.argsort(idx, kind="stable")
            s_idx = idx[order]
            last = np.ones(s_idx.size, dtype=bool)
            last[:-1] = s_idx[1:] != s_idx[:-1]  # a later patch of the same row wins
            sel = order[last]
            mask = np.zeros(len(out[col]), dtype=bool)
            mask[idx[sel]] = True
            out[col] = pc.replace_with_mask(out[col], pa.array(mask), vals.take(pa.array(sel)))
        self.patches = {}
        return out
