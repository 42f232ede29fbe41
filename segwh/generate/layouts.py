"""The raw layouts a loader delivers, made from the generated full exports.

* ``export``: one file per table, the whole table (what the generator writes first).
* ``deliveries``: the event tables (``DELIVERED``) as a folder ``<table>/`` of one file per
  day, ``orders/2025-06-30.parquet``: the rows whose version time (``updated_at``, else the
  event time; UTC) falls on that day, as a daily exporter drops them. Rows without a
  readable version time between ``MIN_DAY`` and as_of come with the last day; an order line
  comes with the first delivery of its order (lines of no known order: the last day).
  Customers and products stay full exports (the whole truth: an id absent is deleted).
  Optional tombstones: rows with ``_deleted`` = ``true`` (a column every file of the
  table then has) that delete their id (raw-data.md, "What a refresh reads").
* ``erasures.<format>`` (any layout): ``customer_id, requested_at`` of customers who asked
  to be forgotten.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from segwh.generate import vocab as vb
from segwh.generate.sinks import CsvSink, ParquetSink
from segwh.generate.timefmt import fmt_epoch

LAYOUTS = ("export", "deliveries")
DELIVERED = ("orders", "order_items", "sessions", "carts")
# table -> (id, version column or None, event column): what a day and a tombstone read
VERSIONS = {"orders": ("order_id", "updated_at", "ordered_at"),
            "sessions": ("session_id", None, "started_at"),
            "carts": ("cart_id", "updated_at", "created_at")}
TOMBSTONED = ("orders", "carts")  # tables with a version column a tombstone can be later in
DELETED = "_deleted"
MIN_DAY = "2000-01-01"  # the contract's default min_valid_date
MEMORY_LIMIT, SPILL = "2GB", ".generate_tmp"  # DuckDB's memory and spill folder (removed)


def _connect(out: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that sorts 300M rows (10M customers) in bounded memory."""
    con = duckdb.connect()
    for key, value in (("TimeZone", "UTC"), ("preserve_insertion_order", "false"),
                       ("memory_limit", MEMORY_LIMIT), ("temp_directory", str(out / SPILL))):
        con.execute(f"set {key} = '{value}'")
    return con


def _read(path: Path) -> str:
    if path.suffix == ".csv":
        return (f"read_csv('{path}', header = true, all_varchar = true, delim = ',', "
                "quote = '\"', escape = '\"')")
    return f"read_parquet('{path}')"


def _ts(column: str) -> str:
    return f"try_cast(trim({column}) as timestamptz)"


def _sample(column: str, rate: float, seed: int) -> str:
    """A seeded, repeatable choice of about `rate` of the values of `column`."""
    threshold = format(min(int(rate * 16**8), 16**8 - 1), "08x")
    return f"substr(md5(trim({column}) || ':{seed}'), 1, 8) < '{threshold}'"


def _tombstones(table: str, source: str, columns: list[str], rate: float, seed: int,
                as_of: str) -> str:
    """For about `rate` of the ids of random customers: a copy of the id's latest version,
    one hour later (before as_of), with _deleted true."""
    key, version, event = VERSIONS[table]
    at = f"coalesce({_ts(version)}, {_ts(event)})"
    select = ", ".join(
        f"strftime(least(latest + interval 1 hour, timestamptz '{as_of}' - interval 1 second),"
        f" '%Y-%m-%d %H:%M:%S') as {c}" if c == version else c for c in columns)
    return f"""
        select {select}, 'true' as {DELETED}
        from (
            select *, max({at}) over (partition by trim({key})) as latest,
                   row_number() over (partition by trim({key}) order by {at} desc nulls last,
                                      md5(concat_ws('|', {', '.join(columns)}))) as version_rank
            from {source}
            where trim(customer_id) like 'C%' and {_sample(key, rate, seed)}
        )
        where version_rank = 1 and latest <= timestamptz '{as_of}'"""


def _day(expression: str, as_of: str) -> str:
    """The delivery day of a version time: its UTC date, or as_of's when out of range."""
    return (f"coalesce(case when {expression} between timestamptz '{MIN_DAY}' and "
            f"timestamptz '{as_of}' then strftime({expression}, '%Y-%m-%d') end, "
            f"'{as_of[:10]}')")


def _split_by_day(sorted_file: Path, folder: Path, fmt: str, schema: pa.Schema) -> int:
    """Streams a file sorted by `_day` into one file per day; returns the number of files."""
    folder.mkdir(parents=True, exist_ok=True)
    sink_cls = CsvSink if fmt == "csv" else ParquetSink
    sink, current, files = None, None, 0
    for batch in pq.ParquetFile(sorted_file).iter_batches(batch_size=100_000):
        days = batch.column("_day").to_numpy(zero_copy_only=False)
        cuts = [0, *(np.flatnonzero(days[1:] != days[:-1]) + 1), len(days)]
        rows = sink_cls.encode(pa.Table.from_batches([batch]).drop_columns(["_day"]))
        for start, end in zip(cuts[:-1], cuts[1:], strict=True):
            if days[start] != current:
                if sink:
                    sink.close()
                current, files = days[start], files + 1
                sink = sink_cls(folder / f"{current}.{fmt}", schema)
            sink.write_encoded(rows.slice(start, end - start))
    if sink:
        sink.close()
    return files


def deliver(out: Path, fmt: str, as_of: int, tombstone_rate: float, seed: int
            ) -> dict[str, Any]:
    """Turns the export files of the delivered tables into folders of daily files."""
    as_of_text = fmt_epoch(as_of)
    con = _connect(out)
    files: dict[str, int] = {}
    tombstones: dict[str, int] = {}
    order_days = out / ".order_days.parquet"
    try:
        for table in DELIVERED:
            export = out / f"{table}.{fmt}"
            columns = list(vb.COLUMNS[table])
            source = _read(export)
            deleted = f", cast(null as varchar) as {DELETED}" if tombstone_rate > 0 else ""
            if table == "order_items":
                day = f"coalesce(days.day, '{as_of_text[:10]}')"
                rows = (f"select items.*{deleted}, {day} as _day from {source} as items "
                        f"left join read_parquet('{order_days}') as days "
                        "on days.order_id = trim(items.order_id)")
            else:
                _key, version, event = VERSIONS[table]
                at = f"coalesce({_ts(version)}, {_ts(event)})" if version else _ts(event)
                rows = f"select *{deleted}, {_day(at, as_of_text)} as _day from {source}"
            if tombstone_rate > 0 and table in TOMBSTONED:
                tomb = _tombstones(table, source, columns, tombstone_rate, seed, as_of_text)
                tombstones[table] = con.execute(f"select count(*) from ({tomb})").fetchone()[0]
                rows += (f" union all select *, {_day(_ts(VERSIONS[table][1]), as_of_text)} "
                         f"from ({tomb})")
            out_columns = [*columns, DELETED] if tombstone_rate > 0 else columns
            staged = out / f".{table}.sorted.parquet"
            con.execute(f"copy (select {', '.join(out_columns)}, _day from ({rows}) "
                        f"order by _day) to '{staged}' (format parquet)")
            if table == "orders":
                con.execute(f"copy (select trim(order_id) as order_id, min(_day) as day "
                            f"from read_parquet('{staged}') where order_id is not null "
                            f"group by 1) to '{order_days}' (format parquet)")
            schema = pa.schema([(c, pa.string()) for c in out_columns])
            files[table] = _split_by_day(staged, out / table, fmt, schema)
            staged.unlink()
            export.unlink()
    finally:
        con.close()
        order_days.unlink(missing_ok=True)
        shutil.rmtree(out / SPILL, ignore_errors=True)
    return {"files": files, "tombstones": tombstones}


def write_erasures(out: Path, fmt: str, count: int, seed: int, as_of: int) -> list[str]:
    """`count` customers of the customers file (random ones, seeded) in erasures.<fmt>."""
    con = _connect(out)
    try:
        ids = [row[0] for row in con.execute(f"""
            select distinct trim(customer_id) as customer_id
            from {_read(out / f'customers.{fmt}')}
            where trim(customer_id) like 'C%'
            order by md5(customer_id || ':{seed}') limit {int(count)}""").fetchall()]
    finally:
        con.close()
        shutil.rmtree(out / SPILL, ignore_errors=True)
    requested = [fmt_epoch(as_of - 3600 * (k + 1)) for k in range(len(ids))]
    schema = pa.schema([("customer_id", pa.string()), ("requested_at", pa.string())])
    sink = (CsvSink if fmt == "csv" else ParquetSink)(out / f"erasures.{fmt}", schema)
    sink.write(pa.table({"customer_id": ids, "requested_at": requested}, schema=schema))
    sink.close()
    return ids
