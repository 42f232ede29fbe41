"""The deletion day: a deletion, a tombstone and an erasure, and the planted checks after it.

On top of the next day's deliveries (segwh.bench.next_day), ``<data>-deletions`` holds:

* a **deletion**: one customer is no longer in the customers export (the whole truth);
* a **tombstone**: one more orders file, ``orders/<day>.parquet``, with a later version of
  one order whose ``_deleted`` is true;
* an **erasure**: one more customer in ``erasures.parquet``.

After a refresh on it, ``check_deletions`` proves the outcome on the built file: the erased
customer's id is in no ``customer_id`` column of any relation, none of their orders is in
any ``order_id`` / ``completed_order_id`` column, no text column of the quarantine holds the
id; the deleted customer and the tombstoned order have no clean row; the reconciliation test
passed, and the reconciliation counts the deleted and the erased rows.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from segwh.bench.data import column_names, link_tree, raw_source, scratch
from segwh.bench.next_day import DELETED

PICKS = "DELETIONS.json"


def _ids(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    return [row[0] for row in con.execute(sql).fetchall()]


def _pick(con: duckdb.DuckDBPyConnection, raw: Path) -> dict[str, Any]:
    """Two random customers with orders, sessions and carts, and an order seen once."""
    def ids(table: str) -> str:
        return f"select distinct trim(customer_id) as c from {raw_source(raw, table)}"

    # customers erased already (the generator's erasures) are left alone: erasure wins
    erased_before = (f"select trim(customer_id) from {raw_source(raw, 'erasures')} "
                     "where customer_id is not null"
                     if (raw / "erasures.parquet").exists() else "select '' where false")
    customers = _ids(con, f"""
        select c from ({ids('customers')}) join ({ids('orders')}) using (c)
            join ({ids('sessions')}) using (c) join ({ids('carts')}) using (c)
        where c like 'C%' and c not in ({erased_before}) order by md5(c) limit 2""")
    if len(customers) < 2:
        raise RuntimeError(f"{raw}: no two customers with orders, sessions and carts")
    erased, deleted = customers
    order = con.execute(f"""
        select trim(order_id) from {raw_source(raw, 'orders')}
        where trim(customer_id) like 'C%' and trim(customer_id) not in ('{erased}', '{deleted}')
            and trim(customer_id) not in ({erased_before})
            and lower(trim(status)) = 'completed' and try_cast(order_total as double) >= 0
            and try_cast(trim(ordered_at) as timestamp) is not null
        group by 1 having count(*) = 1 order by md5(trim(order_id)) limit 1""").fetchone()
    erased_orders = _ids(con, f"select distinct trim(order_id) from "
                              f"{raw_source(raw, 'orders')} where trim(customer_id) = '{erased}'"
                              " and order_id is not null")
    return {"erased_customer": erased, "erased_orders": erased_orders,
            "deleted_customer": deleted, "tombstoned_order": order[0]}


def ensure_deletion_day(directory: Path, as_of: str) -> tuple[Path, dict[str, Any]]:
    """`directory` (deliveries) with a deletion, a tombstone and an erasure (cached)."""
    target = directory.parent / f"{directory.name}-deletions"
    if (target / PICKS).exists():
        return target, json.loads((target / PICKS).read_text())
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    con = scratch(directory)
    picks = _pick(con, directory)
    link_tree(directory, target, skip={"customers.parquet", "erasures.parquet", "DONE"})
    con.execute(f"copy (select * from {raw_source(directory, 'customers')} "
                f"where trim(customer_id) is distinct from '{picks['deleted_customer']}') "
                f"to '{target / 'customers.parquet'}' (format parquet)")
    requested = (datetime.fromisoformat(as_of) + timedelta(days=1)).strftime("%Y-%m-%d")
    earlier = (f"select customer_id, requested_at from {raw_source(directory, 'erasures')} "
               "union all " if (directory / "erasures.parquet").exists() else "")
    con.execute(f"copy ({earlier}select '{picks['erased_customer']}' as customer_id, "
                f"'{requested} 08:00:00' as requested_at)"
                f" to '{target / 'erasures.parquet'}' (format parquet)")
    columns = [c for c in column_names(con, raw_source(directory, "orders")) if c != DELETED]
    tomb = ", ".join(f"'{requested} 09:00:00' as updated_at" if c == "updated_at" else c
                     for c in columns)
    day = (datetime.fromisoformat(as_of) + timedelta(days=2)).strftime("%Y-%m-%d")
    con.execute(f"copy (select {tomb}, 'true' as {DELETED} from "
                f"{raw_source(directory, 'orders')} "
                f"where trim(order_id) = '{picks['tombstoned_order']}') "
                f"to '{target / 'orders' / day}.parquet' (format parquet)")
    con.close()
    (target / PICKS).write_text(json.dumps(picks, indent=2))
    return target, picks


def _count(con: duckdb.DuckDBPyConnection, relation: str, condition: str,
           values: list[str]) -> int | str:
    try:
        return con.execute(f"select count(*) from {relation} where {condition}",
                           [values]).fetchone()[0]
    except duckdb.Error as error:  # a relation that cannot be read is a finding too
        return " ".join(str(error).split())[:200]


def check_deletions(duckdb_path: Path, picks: dict[str, Any], target: Path) -> dict[str, Any]:
    """The planted checks after the deletion day's refresh (see the module's docstring)."""
    erased, orders = picks["erased_customer"], picks["erased_orders"] or ["-"]
    problems: list[str] = []
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        columns = con.execute("""
            select table_schema, table_name, column_name, data_type
            from information_schema.columns
            where table_catalog = current_database()
                and table_schema not in ('information_schema', 'pg_catalog')""").fetchall()
        for schema, table, column, data_type in columns:
            relation, quoted = f'"{schema}"."{table}"', f'"{column}"'
            checks = []
            if column == "customer_id":
                checks.append((f"cast({quoted} as varchar) = any(?)", [erased]))
            if column in ("order_id", "completed_order_id"):
                checks.append((f"cast({quoted} as varchar) = any(?)", orders))
            if schema == "quarantine" and data_type == "VARCHAR":
                checks.append((f"contains({quoted}, ?[1])", [erased]))
            for condition, values in checks:
                found = _count(con, relation, condition, values)
                if found != 0:
                    problems.append(f"erased customer in {schema}.{table}.{column}: {found}")
        for relation, column, value, what in (
                ("staging.stg_shop__customers", "customer_id", picks["deleted_customer"],
                 "deleted customer"),
                ("staging.stg_shop__orders", "order_id", picks["tombstoned_order"],
                 "tombstoned order")):
            found = _count(con, relation, f"{column} = any(?)", [value])
            if found != 0:
                problems.append(f"{what} {value} has a clean row: {found}")
        problems += _reconciliation(con)
    results = json.loads((target / "run_results.json").read_text())["results"] \
        if (target / "run_results.json").exists() else []
    tests = [r for r in results if "reconciliation" in r["unique_id"]
             and r["unique_id"].startswith("test.")]
    if not tests or any(r["status"] != "pass" for r in tests):
        problems.append(f"reconciliation test: {[r['status'] for r in tests] or 'not run'}")
    return {"checks": picks, "problems": problems, "ok": not problems}


def _reconciliation(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The reconciliation counts the tombstoned order as deleted, the erasure as erased."""
    try:
        rows = con.execute("select * from quarantine.quarantine_reconciliation")
        names = [d[0] for d in rows.description]
        counts = {row[0]: dict(zip(names, row, strict=True)) for row in rows.fetchall()}
    except duckdb.Error as error:
        return [f"quarantine_reconciliation: {' '.join(str(error).split())[:200]}"]
    missing = {"deleted_rows", "erased_rows"} - set(names)
    if missing:
        return [f"quarantine_reconciliation has no {', '.join(sorted(missing))} column"]
    problems = []
    if not counts.get("orders", {}).get("deleted_rows"):
        problems.append("reconciliation counts no deleted order")
    if not counts.get("customers", {}).get("erased_rows"):
        problems.append("reconciliation counts no erased customer")
    return problems
