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


def digits(values: np.ndarray, pad: int = 1) -> Piece:
    """Decimal digits of non-negative integers, left-padded with zeros to ``pad``."""
    v = np.asarray(values, dtype=np.int64)
    n = v.size
    vmax = int(v.max()) if n else 0
    width = max(pad, len(str(vmax)))
    ndig = np.ones(n, dtype=np.int64)
    for j in range(1, width):
        ndig += v >= 10**j
    lens = np.maximum(ndig, pad)
    mat = np.empty((n, width), dtype=np.uint8)
    rest = v.copy()
    for j in range(width - 1, -1, -1):
        mat[:, j] = (rest % 10 + 48).astype(np.uint8)
        rest //= 10
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
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = np.where(mp < 10, mp + 3, mp - 9)
    y = yoe + era * 400 + (m <= 2)
    return y, m, d


def _fill(mat: np.ndarray, start: int, width: int, values: np.ndarray) -> None:
    rest = np.asarray(values, dtype=np.int64).copy()
    for j in range(start + width - 1, start - 1, -1):
        mat[:, j] = (rest % 10 + 48).astype(np.uint8)
        rest //= 10


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
    local = s + _TS_SHIFT[st]
    days = local // SECONDS_PER_DAY
    sod = local - days * SECONDS_PER_DAY
    y, m, d = civil(days)
    mat = np.empty((n, 19), dtype=np.uint8)
    _fill(mat, 0, 4, y)
    _fill(mat, 5, 2, m)
    _fill(mat, 8, 2, d)
    _fill(mat, 11, 2, sod // 3600)
    _fill(mat, 14, 2, sod // 60 % 60)
    _fill(mat, 17, 2, sod % 60)
    mat[:, 4] = mat[:, 7] = ord("-")
    mat[:, 13] = mat[:, 16] = ord(":")
    with_t = (st != TS_PLAIN) & (st != TS_DATE)
    mat[:, 10] = np.where(with_t, ord("T"), ord(" "))
    mask = np.ones((n, 19), dtype=bool)
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
