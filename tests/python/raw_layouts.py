"""Raw data of the small-dirty fixture in the deliveries and loaded-at layouts, over two days.

Day 1 holds every row but: the customers of odd number (they arrive on day 2, after their
orders, sessions and carts: late references) and nothing else. Day 2 brings those
customers, a tombstone of one clean order (a later version with `_deleted` true), the
sessions file of day 1 delivered again without a few rows (a changed file), the removal of a
small extra carts file of day 1 (a file that is gone), and an erasure request for one
customer with orders, sessions and carts. Erasures: one customer is erased from day 1 on
(its rows are erased by the first build; day 2 delivers one of their orders and one line of
it again, same ids), another on day 2 (erased by the refresh). The carts file holds a
malformed line (too many fields) naming each erased customer, and the day-1 files of orders,
order lines, sessions and carts a row without its id (missing_required) of each erased
customer (a line: of one of their orders), delivered before the later one's erasure. Test
helpers only: the tests are in test_incremental.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
from conftest import FIXTURE_RAW_DIR, RAW_TABLES

LOADED_AT = {1: "2025-07-01 06:00:00", 2: "2025-07-02 06:00:00"}


def trimmed(column: str) -> str:
    """A raw id as staging reads it (surrounding whitespace removed, empty = null)."""
    return f"nullif(trim({column}, ' ' || chr(9) || chr(10) || chr(13)), '')"


@dataclass(frozen=True)
class Plan:
    """What the two days hold (ids trimmed)."""

    late_customers: int  # customers arriving on day 2
    tombstoned_order: str
    erased_customer: str  # erased on day 2
    early_erased_customer: str  # erased on day 1; one order and line of theirs again on day 2
    redelivered_order: str  # the order of early_erased_customer delivered again on day 2
    redelivered_line: str  # a line of it, delivered again on day 2
    dropped_sessions: tuple[str, ...]  # rows the changed sessions file no longer has
    gone_carts: tuple[str, ...]  # the carts of the file that is gone on day 2


def _raw(table: str) -> str:
    return (f"read_csv('{FIXTURE_RAW_DIR / (table + '.csv')}', all_varchar = true, "
            "header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
            "null_padding = false, columns = "
            + _columns_literal(table) + ")")


def _columns_literal(table: str) -> str:
    header = (FIXTURE_RAW_DIR / f"{table}.csv").read_text().splitlines()[0].split(",")
    return "{" + ", ".join(f"'{name}': 'VARCHAR'" for name in header) + "}"


def plan_days(con: duckdb.DuckDBPyConnection) -> Plan:
    """Picks the tombstoned order, the erased customer and the changed/gone rows."""
    late = con.execute(
        f"select count(*) from {_raw('customers')} "
        f"where try_cast(substr({trimmed('customer_id')}, 2) as integer) % 2 = 1").fetchone()[0]
    # two even customers (delivered on day 1) with an order (with a line), a session and a cart
    erased, early = (row[0] for row in con.execute(f"""
        select c.id from (select distinct {trimmed('customer_id')} as id from {_raw('customers')}
                          where try_cast(substr({trimmed('customer_id')}, 2) as integer) % 2 = 0) c
        where c.id in (select {trimmed('customer_id')} from {_raw('orders')})
          and c.id in (select {trimmed('customer_id')} from {_raw('sessions')})
          and c.id in (select {trimmed('customer_id')} from {_raw('carts')})
        order by c.id limit 2""").fetchall())
    redelivered_order, redelivered_line = con.execute(f"""
        select {trimmed('o.order_id')}, min({trimmed('i.order_item_id')})
        from {_raw('orders')} o join {_raw('order_items')} i
            on {trimmed('o.order_id')} = {trimmed('i.order_id')}
        where {trimmed('o.customer_id')} = '{early}' and {trimmed('i.order_item_id')} is not null
        group by 1 order by 1 limit 1""").fetchone()
    order = con.execute(f"""
        select {trimmed('order_id')} from {_raw('orders')}
        where try_cast(substr({trimmed('customer_id')}, 2) as integer) % 2 = 0
          and {trimmed('customer_id')} not in ('{erased}', '{early}')
          and lower(trim(status)) = 'paid'
          and try_cast(ordered_at as timestamp) is not null
        group by 1 having count(*) = 1 order by 1 limit 1""").fetchone()[0]
    sessions = tuple(row[0] for row in con.execute(f"""
        select {trimmed('session_id')} from {_raw('sessions')}
        where {trimmed('session_id')} is not null
        group by 1 having count(*) = 1 order by 1 desc limit 3""").fetchall())
    carts = tuple(row[0] for row in con.execute(f"""
        select {trimmed('cart_id')} from {_raw('carts')} where {trimmed('cart_id')} is not null
          and {trimmed('customer_id')} not in ('{erased}', '{early}')
        group by 1 having count(*) = 1 order by 1 desc limit 4""").fetchall())
    return Plan(late, order, erased, early, redelivered_order, redelivered_line, sessions,
                carts)


def erased_ids(con: duckdb.DuckDBPyConnection, customer: str,
               source: Callable[[str], str] = _raw) -> set[str]:
    """The raw ids of a customer's rows (`source`: table -> relation; the fixture's files by
    default): the customer, their orders, those orders' lines, their sessions and carts;
    an id that a row of another customer holds too is left out."""
    own, key_of = f"{trimmed('customer_id')} = '{customer}'", {
        "orders": "order_id", "sessions": "session_id", "carts": "cart_id"}
    ids = {customer}
    for table, key in key_of.items():
        ids |= {row[0] for row in con.execute(
            f"select {trimmed(key)} from {source(table)} where {trimmed(key)} is not null "
            f"group by 1 having bool_and(coalesce({own}, false))").fetchall()}
    ids |= {row[0] for row in con.execute(
        f"select {trimmed('order_item_id')} from {source('order_items')} "
        f"where {trimmed('order_item_id')} is not null group by 1 "
        f"having bool_and(coalesce({trimmed('order_id')} in ({', '.join(map(repr, ids))}), "
        "false))").fetchall()}
    return ids


def malformed_lines(plan: Plan) -> str:
    """Lines of the carts file with one field too many, each naming an erased customer."""
    return "".join(f'K99999{n},"{customer}",2025-06-01 05:54:40,2025-06-01 05:54:40,,1.00,USD,1,'
                   "surplus\n"
                   for n, customer in enumerate((plan.early_erased_customer,
                                                 plan.erased_customer)))


KEYLESS_TABLES = {"orders": "order_id", "order_items": "order_item_id",
                  "sessions": "session_id", "carts": "cart_id"}


def keyless_rows(table: str, plan: Plan) -> str:
    """Rows without their id (quarantined missing_required) of the erased customers: per
    customer a copy of one row of theirs (of `table`; order lines: of one of their orders)
    with the id emptied, so its text still names them."""
    key = KEYLESS_TABLES[table]
    selects = []
    for customer in (plan.early_erased_customer, plan.erased_customer):
        owned = f"{trimmed('customer_id')} = '{customer}'"
        if table == "order_items":
            owned = (f"{trimmed('order_id')} in (select {trimmed('order_id')} "
                     f"from {_raw('orders')} where {owned})")
        selects.append(f"(select * replace (cast(null as varchar) as {key}) from {_raw(table)} "
                       f"where {owned} and {trimmed(key)} is not null "
                       f"order by {trimmed(key)} limit 1)")
    return " union all ".join(selects)


def _day_rows(table: str, day: int, plan: Plan) -> dict[str, str]:
    """The row sets of `table` on `day`: {delivery name: select}."""
    everything = f"select * from {_raw(table)}"
    if table in KEYLESS_TABLES:
        everything = f"select * from ({everything} union all {keyless_rows(table, plan)})"
    if table == "customers":
        odd = f"try_cast(substr({trimmed('customer_id')}, 2) as integer) % 2 = 1"
        parts = {"part-1": f"{everything} where not coalesce({odd}, false)"}
        if day == 2:
            parts["part-2"] = f"{everything} where {odd}"
        return parts
    if table == "sessions":
        gone = ", ".join(f"'{s}'" for s in plan.dropped_sessions)
        kept = f" where coalesce({trimmed('session_id')}, '') not in ({gone})"
        condition = kept if day == 2 else ""
        return {"part-1": everything + condition}
    if table == "carts":
        extra = ", ".join(f"'{c}'" for c in plan.gone_carts)
        kept = f"coalesce({trimmed('cart_id')}, '') not in ({extra})"
        parts = {"part-1": f"{everything} where {kept}"}
        if day == 1:
            parts["part-extra"] = f"{everything} where {trimmed('cart_id')} in ({extra})"
        return parts
    if table == "orders" and day == 2:
        tombstone = (f"select * replace (cast(try_cast(ordered_at as timestamp) + interval 40 day "
                     f"as varchar) as updated_at), 'true' as _deleted from {_raw('orders')} "
                     f"where {trimmed('order_id')} = '{plan.tombstoned_order}'")
        again = (f"select *, cast(null as varchar) as _deleted from {_raw('orders')} "
                 f"where {trimmed('order_id')} = '{plan.redelivered_order}'")
        return {"part-1": everything, "part-2": f"{tombstone} union all {again}"}
    if table == "order_items" and day == 2:
        again = f"{everything} where {trimmed('order_item_id')} = '{plan.redelivered_line}'"
        return {"part-1": everything, "part-2": again}
    return {"part-1": everything}


def write_deliveries(con: duckdb.DuckDBPyConnection, directory: Path, day: int,
                     plan: Plan) -> None:
    """The raw_path directory of `day` in the deliveries layout (a folder per table).

    Files are written only when their content changes, so an unchanged delivery keeps
    its size and modification time; the orders tombstone is a parquet file among CSVs."""
    for table in RAW_TABLES:
        folder = directory / table
        folder.mkdir(parents=True, exist_ok=True)
        wanted = _day_rows(table, day, plan)
        for existing in folder.iterdir():
            if existing.stem not in wanted:
                existing.unlink()
        for name, select in wanted.items():
            suffix = "parquet" if (table, name) == ("orders", "part-2") else "csv"
            target = folder / f"{name}.{suffix}"
            scratch = folder.parent / f".{table}-{name}.{suffix}"
            fmt = "(format parquet)" if suffix == "parquet" else "(header, delimiter ',')"
            con.execute(f"copy ({select}) to '{scratch}' {fmt}")
            if (table, name) == ("carts", "part-1"):
                with scratch.open("a") as lines:
                    lines.write(malformed_lines(plan))
            if target.exists() and target.read_bytes() == scratch.read_bytes():
                scratch.unlink()
            else:
                os.replace(scratch, target)
    erasures = f"customer_id,requested_at\n{plan.early_erased_customer},2025-06-30\n"
    if day == 2:
        erasures += f" {plan.erased_customer} ,2025-07-02\n"
    target = directory / "erasures.csv"
    if not target.exists() or target.read_text() != erasures:
        target.write_text(erasures)


def write_landing_tables(con: duckdb.DuckDBPyConnection, schema: str, days: tuple[int, ...],
                         plan: Plan) -> None:
    """The raw_schema tables of `days` in the loaded-at layout, as an EL tool lands them:
    day 1 every row of the day-1 deliveries, day 2 appends the late customers and the
    orders tombstone and the re-delivered order and line (landed rows are never taken back),
    each row with its `_loaded_at`; the erasures table lists the customers erased by then."""
    con.execute(f"create schema if not exists {schema}")
    day_two = {"customers": "part-2", "orders": "part-2", "order_items": "part-2"}
    for table in RAW_TABLES:
        selects = [f"select *, cast(null as varchar) as _deleted, "
                   f"timestamp '{LOADED_AT[1]}' as _loaded_at from ({select})"
                   for select in _day_rows(table, 1, plan).values()]
        if 2 in days and table in day_two:
            select = _day_rows(table, 2, plan)[day_two[table]]
            extra = "" if table == "orders" else ", cast(null as varchar) as _deleted"
            selects.append(f"select *{extra}, timestamp '{LOADED_AT[2]}' as _loaded_at "
                           f"from ({select})")
        con.execute(f"create or replace table {schema}.{table} as "
                    + " union all by name ".join(selects))
    erased = [(plan.early_erased_customer, "2025-06-30")]
    if 2 in days:
        erased.append((plan.erased_customer, "2025-07-02"))
    con.execute(f"create or replace table {schema}.erasures as "
                + " union all ".join(f"select '{customer}' as customer_id, "
                                     f"date '{day}' as requested_at" for customer, day in erased))


# --- the customer grain's refresh (test_incremental.py "customer grain") -------------------

@dataclass(frozen=True)
class GrainPicks:
    """Clean rows of the day-2 warehouse that the customer-grain steps change."""

    moved_order: str  # a counted order with lines, delivered again under other customers
    owners: tuple[str, str, str]  # its customer, the one a new file gives it, then a changed one
    regrouped_product: str  # a product delivered again in another category
    lined_order: str  # a counted order that a new line joins (its order row unchanged)
    line_product: str  # the new line's product


def pick_grain_changes(con: duckdb.DuckDBPyConnection, plan: Plan) -> GrainPicks:
    """Picks the rows from the built warehouse `con` (day 2): customers and orders with one
    raw row each, of customers with no other change, none of them erased."""
    skip = f"('{plan.erased_customer}', '{plan.early_erased_customer}')"
    single = ("select {key} from staging.base_shop__{table} "
              "group by {key} having count(*) = 1")
    orders = con.execute(f"""
        select o.order_id, o.customer_id from intermediate.int_counted_purchases o
        where o.customer_id not in {skip} and o.order_id != '{plan.tombstoned_order}'
          and o.order_id in ({single.format(key='order_id', table='orders')})
          and o.order_id in (select order_id from staging.stg_shop__order_items)
          and o.customer_id in ({single.format(key='customer_id', table='customers')})
        order by o.order_id""").fetchall()
    product = con.execute(f"""
        select p.product_id from staging.stg_shop__products p
        where p.category is not null
          and p.product_id in ({single.format(key='product_id', table='products')})
          and p.product_id in (select product_id from staging.stg_shop__order_items)
        order by p.product_id limit 1""").fetchone()[0]
    buyers = {row[0] for row in con.execute(f"""
        select o.customer_id from staging.stg_shop__orders o
        join staging.stg_shop__order_items i on o.order_id = i.order_id
        where i.product_id = '{product}'""").fetchall()}
    # one order per customer, of customers who bought nothing of the regrouped product
    by_customer: dict[str, str] = {}
    for order_id, customer_id in orders:
        if customer_id not in buyers:
            by_customer.setdefault(customer_id, order_id)
    (c1, moved), (c2, _), (c3, _), (_, lined) = list(by_customer.items())[:4]
    line_product = con.execute(f"""
        select product_id from staging.stg_shop__products
        where product_id != '{product}' order by product_id limit 1""").fetchone()[0]
    return GrainPicks(moved, (c1, c2, c3), product, lined, line_product)


def write_grain_changes(con: duckdb.DuckDBPyConnection, directory: Path, step: int,
                        picks: GrainPicks) -> None:
    """Files `grain.csv` in the deliveries folders (after the day-2 deliveries). Step 1, new
    files only: the moved order under its second owner (a later updated_at than any), the regrouped
    product in category 'zzz regrouped' (its record sorts last: rule 6's winner, products
    have no version column), a new line of the lined order. Step 2 changes the orders file:
    the moved order under its third owner (the second owner's row is replaced, not kept)."""
    owner = picks.owners[step]
    writes = {"orders": (
        f"select * replace ('{owner}' as customer_id, '2026-01-0{step} 00:00:00' as updated_at) "
        f"from {_raw('orders')} "
        f"where {trimmed('order_id')} = '{picks.moved_order}'")}
    if step == 1:
        writes["products"] = (
            f"select * replace ('zzz regrouped' as category) from {_raw('products')} "
            f"where {trimmed('product_id')} = '{picks.regrouped_product}'")
        writes["order_items"] = (
            f"select 'GRAIN-LINE-1' as order_item_id, '{picks.lined_order}' as order_id, "
            f"'{picks.line_product}' as product_id, '2' as quantity, '10.00' as unit_price")
    for table, select in writes.items():
        con.execute(f"copy ({select}) to '{directory / table / 'grain.csv'}' "
                    "(header, delimiter ',')")


def write_later_session(con: duckdb.DuckDBPyConnection, directory: Path, customer: str,
                        started_at: str) -> None:
    """A new file `sessions/grain.csv`: one session of `customer` at `started_at`, later than
    every event (with var as_of unset, as_of moves there and the recent-visits window with
    it)."""
    con.execute(f"""
        copy (select * replace ('GRAIN-SESSION-1' as session_id, '{customer}' as customer_id,
                                '{started_at}' as started_at, '{started_at}' as ended_at)
              from {_raw('sessions')} where {trimmed('session_id')} is not null
              order by {trimmed('session_id')} limit 1)
        to '{directory / 'sessions' / 'grain.csv'}' (header, delimiter ',')""")
