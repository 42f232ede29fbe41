"""One more day of raw data, delivered the way the data came: new files, or a full re-export.

The new day repeats the clean events of the data's last day one day later under new ids
(``N1-`` prefix), adds late-arriving orders (and their lines) two days before the old as_of
(``L1-``) and delivers 0.1 % of the orders again with a changed status and a later
``updated_at``. Data in the export layout gets every table re-exported whole (the old rows
and the new ones); data in the deliveries layout keeps its files (hard links: the same size
and modification time) and gets one new file per event table, ``<table>/<day>.parquet``.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from segwh.bench.data import column_names, link_tree, raw_source, scratch

EVENT_TABLES = ("orders", "order_items", "sessions", "carts")
DELETED = "_deleted"  # the tombstone column of deliveries (raw-data.md)


def _ts(column: str) -> str:
    return f"try_cast(trim({column}) as timestamp)"


def _fmt(expression: str) -> str:
    return f"strftime({expression}, '%Y-%m-%d %H:%M:%S')"


def _share(key: str, share: float, salt: str) -> str:
    """About `share` of the ids, the same ones whatever the layout (not a row sample)."""
    return f"substr(md5(trim({key}) || ':{salt}'), 1, 8) < '{int(share * 16**8):08x}'"


def _shifted(columns: list[str], replace: dict[str, str]) -> str:
    replace = {DELETED: "cast(null as varchar)", **replace}
    return ", ".join(f"{replace[c]} as {c}" if c in replace else c for c in columns)


def new_day_rows(con: duckdb.DuckDBPyConnection, directory: Path, as_of: str
                 ) -> dict[str, str]:
    """SQL of the new day's rows per event table (a temp table `new_orders` is made)."""

    def raw(table: str) -> str:
        return raw_source(directory, table)

    last_day = f"{_ts('ordered_at')} > timestamp '{as_of}' - interval 1 day " \
               f"and {_ts('ordered_at')} <= timestamp '{as_of}'"
    late = f"{_ts('ordered_at')} > timestamp '{as_of}' - interval 3 day " \
           f"and {_ts('ordered_at')} <= timestamp '{as_of}' - interval 2 day"
    con.execute(f"""
        create or replace temp table new_orders as
        select 'N1-' || trim(order_id) as new_id, trim(order_id) as old_id,
               interval 1 day as shift, * exclude (order_id)
        from {raw('orders')} where {last_day} and trim(customer_id) like 'C%'
        union all
        select 'L1-' || trim(order_id), trim(order_id), interval 0 day, * exclude (order_id)
        from {raw('orders')} where {late} and {_share('order_id', 0.05, 'late')}
    """)
    order_columns = column_names(con, raw("orders"))
    later = f"timestamp '{as_of}' + interval 12 hour"
    rows = {
        "orders": f"""
            select {_shifted(order_columns, {
                'order_id': 'new_id',
                'ordered_at': _fmt(_ts('ordered_at') + ' + shift'),
                'updated_at': _fmt(_ts('updated_at') + ' + shift')})}
            from new_orders
            union all
            select {_shifted(order_columns, {'status': "'completed'",
                                            'updated_at': _fmt(later)})}
            from {raw('orders')}
            where {_ts('ordered_at')} <= timestamp '{as_of}'
                and {_share('order_id', 0.001, 'again')}""",
        "order_items": f"""
            select {_shifted(column_names(con, raw('order_items')), {
                'order_item_id': "left(new_orders.new_id, 3) || trim(items.order_item_id)",
                'order_id': 'new_orders.new_id'})}
            from {raw('order_items')} as items
            inner join new_orders on trim(items.order_id) = new_orders.old_id""",
    }
    for table, key, event, extra in (
        ("sessions", "session_id", "started_at", ["ended_at"]),
        ("carts", "cart_id", "created_at", ["updated_at"]),
    ):
        replace = {key: f"'N1-' || trim({key})",
                   event: _fmt(_ts(event) + " + interval 1 day")}
        replace.update({c: _fmt(_ts(c) + " + interval 1 day") for c in extra})
        if table == "carts":
            replace["completed_order_id"] = (
                "case when completed_order_id is not null "
                "then 'N1-' || trim(completed_order_id) end")
        rows[table] = f"""
            select {_shifted(column_names(con, raw(table)), replace)}
            from {raw(table)}
            where {_ts(event)} > timestamp '{as_of}' - interval 1 day
                and {_ts(event)} <= timestamp '{as_of}'"""
    return rows


def next_day_name(as_of: str) -> str:
    """The file name of the day after as_of's: ``2025-07-02`` for as_of 2025-07-01."""
    return (datetime.fromisoformat(as_of) + timedelta(days=1)).strftime("%Y-%m-%d")


def ensure_next_day(directory: Path, manifest: dict[str, Any]) -> Path:
    """`directory` with one more day of data, in the same layout (cached beside it)."""
    target = directory.parent / f"{directory.name}-plus1day"
    done = target / "DONE"
    if done.exists() and "rows_added" in json.loads(done.read_text()):
        return target  # (a next day cached by an earlier bench, without rows_added, is
        # made again: its late and re-delivered orders were a row sample, not these ids)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    deliveries = (directory / "orders").is_dir()
    con = scratch(directory)
    rows = new_day_rows(con, directory, manifest["as_of"])
    added = {}
    if deliveries:
        link_tree(directory, target, skip={"DONE"})
        day = next_day_name(manifest["as_of"])
        for table in EVENT_TABLES:
            con.execute(f"create or replace temp table day_rows as {rows[table]}")
            con.execute(f"copy day_rows to '{target / table / day}.parquet' (format parquet)")
            added[table] = con.execute("select count(*) from day_rows").fetchone()[0]
    else:
        link_tree(directory, target, skip={f"{t}.parquet" for t in EVENT_TABLES} | {"DONE"})
        for table in EVENT_TABLES:
            con.execute(f"create or replace temp table day_rows as {rows[table]}")
            con.execute(f"copy (select * from {raw_source(directory, table)} union all "
                        f"select * from day_rows) to '{target / table}.parquet' "
                        "(format parquet)")
            added[table] = con.execute("select count(*) from day_rows").fetchone()[0]
    (target / "DONE").write_text(json.dumps({"rows_added": added}))
    con.close()
    return target
