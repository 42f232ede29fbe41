"""One more day of raw data, as a loader would deliver it the next day."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb

from segwh.bench.data import RAW_TABLES, column_names, raw_source


def _ts(column: str) -> str:
    return f"try_cast(trim({column}) as timestamp)"


def _fmt(expression: str) -> str:
    return f"strftime({expression}, '%Y-%m-%d %H:%M:%S')"


def ensure_next_day(directory: Path, manifest: dict[str, Any]) -> Path:
    """A copy of the raw files with one more day of data appended (cached).

    The new day repeats the clean events of the data's last day one day later under new
    ids (``N1-`` prefix), adds late-arriving rows two days before the old as_of (``L1-``)
    and re-exports 0.1 % of the orders with a changed status and a later updated_at.
    """
    target = directory.parent / f"{directory.name}-plus1day"
    if (target / "DONE").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    as_of = manifest["as_of"]
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = false")

    def raw(table: str) -> str:
        return raw_source(directory, table)

    last_day = f"{_ts('ordered_at')} > timestamp '{as_of}' - interval 1 day " \
               f"and {_ts('ordered_at')} <= timestamp '{as_of}'"
    late = f"{_ts('ordered_at')} > timestamp '{as_of}' - interval 3 day " \
           f"and {_ts('ordered_at')} <= timestamp '{as_of}' - interval 2 day"
    con.execute(f"""
        create temp table new_orders as
        select 'N1-' || trim(order_id) as new_id, trim(order_id) as old_id,
               interval 1 day as shift, * exclude (order_id)
        from {raw('orders')} where {last_day} and trim(customer_id) like 'C%'
        union all
        select 'L1-' || trim(order_id), trim(order_id), interval 0 day, * exclude (order_id)
        from (select * from {raw('orders')} where {late} using sample 5 percent (bernoulli, 7))
    """)
    order_columns = column_names(con, raw("orders"))

    def shifted(columns: list[str], replace: dict[str, str]) -> str:
        return ", ".join(f"{replace[c]} as {c}" if c in replace else c for c in columns)

    later = f"timestamp '{as_of}' + interval 12 hour"
    con.execute(f"""
        copy (
            select * from {raw('orders')}
            union all
            select {shifted(order_columns, {
                'order_id': 'new_id',
                'ordered_at': _fmt(_ts('ordered_at') + ' + shift'),
                'updated_at': _fmt(_ts('updated_at') + ' + shift')})}
            from new_orders
            union all
            select {shifted(order_columns, {'status': "'completed'", 'updated_at': _fmt(later)})}
            from (select * from {raw('orders')} using sample 0.1 percent (bernoulli, 11))
            where {_ts('ordered_at')} <= timestamp '{as_of}'
        ) to '{target / 'orders.parquet'}' (format parquet)
    """)
    item_columns = column_names(con, raw("order_items"))
    con.execute(f"""
        copy (
            select * from {raw('order_items')}
            union all
            select {shifted(item_columns, {
                'order_item_id': "left(new_orders.new_id, 3) || trim(items.order_item_id)",
                'order_id': 'new_orders.new_id'})}
            from {raw('order_items')} as items
            inner join new_orders on trim(items.order_id) = new_orders.old_id
        ) to '{target / 'order_items.parquet'}' (format parquet)
    """)
    for table, key, event, extra in (
        ("sessions", "session_id", "started_at", ["ended_at"]),
        ("carts", "cart_id", "created_at", ["updated_at"]),
    ):
        columns = column_names(con, raw(table))
        replace = {key: f"'N1-' || trim({key})",
                   event: _fmt(_ts(event) + " + interval 1 day")}
        replace.update({c: _fmt(_ts(c) + " + interval 1 day") for c in extra})
        if table == "carts":
            replace["completed_order_id"] = (
                "case when completed_order_id is not null "
                "then 'N1-' || trim(completed_order_id) end")
        con.execute(f"""
            copy (
                select * from {raw(table)}
                union all
                select {shifted(columns, replace)}
                from {raw(table)}
                where {_ts(event)} > timestamp '{as_of}' - interval 1 day
                    and {_ts(event)} <= timestamp '{as_of}'
            ) to '{target / (table + '.parquet')}' (format parquet)
        """)
    for table in ("customers", "products"):
        shutil.copyfile(directory / f"{table}.parquet", target / f"{table}.parquet")
    counts = {t: con.execute(f"select count(*) from {raw_source(target, t)}")
              .fetchone()[0] for t in RAW_TABLES}
    (target / "DONE").write_text(json.dumps(counts))
    con.close()
    return target
