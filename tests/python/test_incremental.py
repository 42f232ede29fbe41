"""An incremental run after a new full export gives exactly what a full refresh gives.

Generates a small shop, builds it in full, then re-exports it as a new day would: one day
of new data (new orders, lines, sessions, carts, late-arriving orders inside the lookback
window and re-exported orders with a later updated_at and another status; see
segwh.bench.ensure_next_day) *and deletions* (spec raw-data.md: "a full export is the
whole truth: an id that is no longer in it has been deleted"): one customer with every
order, order line, session and cart of theirs; a second customer whose customer row alone
is gone (their orders, sessions and carts stay in the export and are quarantined as
unknown_customer); and one order line, one session and one cart of other customers. Then
`dbt build` runs again (incremental on DuckDB) — twice, the second on a copy — and every
staging, quarantine, segment and mart table is compared with a full refresh of the same
files (run-marker columns aside: RUN_COLUMNS). Erasures: one customer is in the
erasures file of the first build, another joins them in the re-export's (the re-export
still holds both customers' rows: they are erased again, not counted twice).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
import raw_layouts
from conftest import (
    BUILD_WITHOUT_UNIT_TESTS,
    FIXTURE_AS_OF,
    RAW_TABLES,
    REPO_ROOT,
    output_tail,
    run_dbt,
)

from segwh.bench import ensure_next_day, raw_source

SCHEMAS = ("staging", "quarantine", "intermediate", "segments", "marts")
HISTORY = {"segment_membership_history", "segment_transitions"}  # depend on run history
# run markers: when a run wrote the row (`_loaded_at`, the ledger's `loaded_at`) and the
# ledger's size and the as_of then (`_refresh_sources`, `_refresh_as_of` of the incremental
# customer-grain models)
RUN_COLUMNS = ("_loaded_at", "loaded_at", "_refresh_sources", "_refresh_as_of")
# events at least this long before the data's as_of: far outside the refresh window, so an
# incremental run does not read the deleted rows' ids again for any other reason
OLD_DAYS = 15


@dataclass(frozen=True)
class Removed:
    """What the re-export leaves out (every id trimmed, as staging keeps it)."""

    customer: str  # the customer and every row of theirs
    orphaned_customer: str  # only the customer row: their other rows stay in the export
    order_item: str
    session: str
    cart: str
    product: str  # a product whose old order lines stay in the export: unknown_product


@dataclass(frozen=True)
class Erased:
    """The erased customers (trimmed ids) and every raw id of their rows."""

    early: str  # in the erasures file of the first build and of the re-export
    later: str  # in the re-export's erasures file only
    ids: frozenset[str]  # the customers, their orders, lines, sessions and carts


@dataclass(frozen=True)
class Builds:
    incremental: Path  # full build, then one incremental build on the re-export
    second: Path  # a copy of `incremental` after a second incremental build
    full: Path  # a full build of the re-export
    reexport: Path  # the re-exported raw files
    removed: Removed
    before: dict[str, int]  # the removed rows in the first (full) build
    # each incremental build: its process and its run_results.json
    incremental_runs: dict[str, tuple[subprocess.CompletedProcess[str], dict]]
    run_sql: Path  # target/run of the first incremental build: the SQL dbt ran
    erased: Erased


def _id(column: str) -> str:
    """A raw id as staging reads it (clean_text: spaces, tabs and line breaks trimmed)."""
    return f"nullif(trim({column}, ' ' || chr(9) || chr(10) || chr(13)), '')"


def _ts(column: str) -> str:
    return f"try_cast({_id(column)} as timestamp)"


def _pick_removals(con: duckdb.DuckDBPyConnection, raw: Path, as_of: str) -> Removed:
    """Customers and rows whose every event is old (outside the refresh window)."""
    old = f"timestamp '{as_of}' - interval {OLD_DAYS} day"

    def src(table: str) -> str:
        return raw_source(raw, table)

    # per customer: events all parse and are old; at least one order, session and cart
    customers = con.execute(f"""
        with events as (
            select {_id('customer_id')} as customer_id, 'order' as kind,
                   least({_ts('ordered_at')}, {_ts('updated_at')}) as first_at,
                   greatest({_ts('ordered_at')}, {_ts('updated_at')}) as last_at
            from {src('orders')}
            union all
            select {_id('customer_id')}, 'session', {_ts('started_at')}, {_ts('started_at')}
            from {src('sessions')}
            union all
            select {_id('customer_id')}, 'cart', least({_ts('created_at')}, {_ts('updated_at')}),
                   greatest({_ts('created_at')}, {_ts('updated_at')})
            from {src('carts')}
        )
        select customer_id
        from events
        where customer_id like 'C%'
        group by customer_id
        having count(distinct kind) = 3 and count(*) = count(first_at)
            and max(last_at) < {old}
        order by sum(case when kind = 'order' then 1 else 0 end) desc, customer_id
        limit 2
    """).fetchall()
    assert len(customers) == 2, "the generated shop has no two customers to delete"
    gone = tuple(row[0] for row in customers)

    def one_old(table: str, key: str, event: str) -> str:
        row = con.execute(f"""
            select {_id(key)} from {src(table)}
            where {_id('customer_id')} like 'C%' and {_id('customer_id')} not in {gone}
                and {_ts(event)} < {old}
            group by {_id(key)} having count(*) = 1
            order by 1 limit 1
        """).fetchone()
        assert row, f"no old {table} row to delete"
        return row[0]

    order = one_old("orders", "order_id", "ordered_at")
    item = con.execute(
        f"select min({_id('order_item_id')}) from {src('order_items')} "
        f"where {_id('order_id')} = '{order}'").fetchone()[0]
    assert item, f"order {order} has no line"
    # a product of the products export sold in old orders too (lines no window re-reads)
    product = con.execute(f"""
        select {_id('product_id')} from {src('order_items')} as lines
        inner join {src('orders')} as orders
            on {_id('lines.order_id')} = {_id('orders.order_id')}
        where {_id('product_id')} in (select {_id('product_id')} from {src('products')})
        group by {_id('product_id')}
        having count(*) filter (where {_ts('orders.ordered_at')} < {old}) > 0
        order by count(*), 1 limit 1
    """).fetchone()
    assert product, "no product sold in old orders to delete"
    return Removed(customer=gone[0], orphaned_customer=gone[1], order_item=item,
                   session=one_old("sessions", "session_id", "started_at"),
                   cart=one_old("carts", "cart_id", "created_at"), product=product[0])


def _pick_erased(con: duckdb.DuckDBPyConnection, raw: Path, removed: Removed) -> Erased:
    """Two customers with orders (with lines), sessions and carts, none of whose rows the
    re-export removes."""
    def owners(table: str) -> str:
        return f"select {_id('customer_id')} from {raw_source(raw, table)}"

    def owner_of(table: str, key: str, value: str) -> str:
        return f"{owners(table)} where {_id(key)} = '{value}'"

    order_of_item = (f"select {_id('order_id')} from {raw_source(raw, 'order_items')} "
                     f"where {_id('order_item_id')} = '{removed.order_item}'")
    customers = con.execute(f"""
        select customer_id from ({owners('orders')}) as o(customer_id)
        where customer_id like 'C%'
            and customer_id in ({owners('sessions')}) and customer_id in ({owners('carts')})
            and customer_id not in ('{removed.customer}', '{removed.orphaned_customer}')
            and customer_id not in ({owner_of('sessions', 'session_id', removed.session)})
            and customer_id not in ({owner_of('carts', 'cart_id', removed.cart)})
            and customer_id not in (select {_id('customer_id')} from
                {raw_source(raw, 'orders')} where {_id('order_id')} in ({order_of_item}))
        group by customer_id order by md5(customer_id) limit 2""").fetchall()
    assert len(customers) == 2, "the generated shop has no two customers to erase"
    early, later = (row[0] for row in customers)
    ids = frozenset().union(*(raw_layouts.erased_ids(con, customer,
                                                     lambda table: raw_source(raw, table))
                              for customer in (early, later)))
    return Erased(early, later, ids)


def _write_erasures(directory: Path, customers: list[str]) -> None:
    with duckdb.connect() as con:
        con.execute("copy (select unnest(?) as customer_id, '2025-01-01' as requested_at) "
                    f"to '{directory / 'erasures.parquet'}' (format parquet)", [customers])


def _reexport(source: Path, target: Path, removed: Removed) -> None:
    """A copy of the parquet raw files of `source` without the rows of `removed`."""
    target.mkdir()
    gone_orders = (f"select {_id('order_id')} from {raw_source(source, 'orders')} "
                   f"where {_id('customer_id')} = '{removed.customer}'")
    keep = {
        "customers": f"coalesce({_id('customer_id')}, '') not in ('{removed.customer}', "
                     f"'{removed.orphaned_customer}')",
        "orders": f"coalesce({_id('customer_id')}, '') != '{removed.customer}'",
        "order_items": f"coalesce({_id('order_item_id')}, '') != '{removed.order_item}' "
                       f"and coalesce({_id('order_id')}, '') not in ({gone_orders})",
        "products": f"coalesce({_id('product_id')}, '') != '{removed.product}'",
        "sessions": f"coalesce({_id('customer_id')}, '') != '{removed.customer}' "
                    f"and coalesce({_id('session_id')}, '') != '{removed.session}'",
        "carts": f"coalesce({_id('customer_id')}, '') != '{removed.customer}' "
                 f"and coalesce({_id('cart_id')}, '') != '{removed.cart}'",
    }
    with duckdb.connect() as con:
        for table, condition in keep.items():
            con.execute(f"copy (select * from {raw_source(source, table)} where {condition}) "
                        f"to '{target / (table + '.parquet')}' (format parquet)")


def _presence(duckdb_path: Path, removed: Removed) -> dict[str, int]:
    """Rows of the removed ids in the staging tables and the marts."""
    checks = {
        "customer profile": ("marts.customer_profile", "customer_id", removed.customer),
        "customer orders": ("staging.stg_shop__orders", "customer_id", removed.customer),
        "customer sessions": ("staging.stg_shop__sessions", "customer_id", removed.customer),
        "customer carts": ("staging.stg_shop__carts", "customer_id", removed.customer),
        "orphaned customer orders": ("staging.stg_shop__orders", "customer_id",
                                     removed.orphaned_customer),
        "orphaned customer sessions": ("staging.stg_shop__sessions", "customer_id",
                                       removed.orphaned_customer),
        "orphaned customer carts": ("staging.stg_shop__carts", "customer_id",
                                    removed.orphaned_customer),
        "order line": ("staging.stg_shop__order_items", "order_item_id", removed.order_item),
        "session": ("staging.stg_shop__sessions", "session_id", removed.session),
        "cart": ("staging.stg_shop__carts", "cart_id", removed.cart),
    }
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        return {name: con.execute(f"select count(*) from {relation} where {column} = ?",
                                  [value]).fetchone()[0]
                for name, (relation, column, value) in checks.items()}


def _run_results(tmp_dir: Path) -> dict:
    return json.loads((tmp_dir / "target" / "run_results.json").read_text())


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    tmp = tmp_path_factory.mktemp("incremental")
    raw = tmp / "raw"
    subprocess.run([sys.executable, "-m", "segwh.generate", "--customers", "1000",
                    "--format", "parquet", "--out", str(raw), "--quiet"],
                   cwd=REPO_ROOT, check=True)
    manifest = json.loads((raw / "generator_manifest.json").read_text())
    next_day = ensure_next_day(raw, manifest)
    with duckdb.connect() as con:
        removed = _pick_removals(con, next_day, manifest["as_of"])
        erased = _pick_erased(con, next_day, removed)
    reexport = tmp / "reexport"
    _reexport(next_day, reexport, removed)
    _write_erasures(raw, [erased.early])
    _write_erasures(reexport, [erased.early, erased.later])
    build = list(BUILD_WITHOUT_UNIT_TESTS)

    incremental = tmp / "incremental.duckdb"
    run_dbt(build, incremental, tmp / "a", vars={"raw_path": str(raw)})
    before = _presence(incremental, removed)
    # the incremental builds may fail a test (checked below) and still build the rest
    first_run = run_dbt(build, incremental, tmp / "b", vars={"raw_path": str(reexport)},
                        check=False)
    # the second incremental build runs on a copy (the views name their database: same name)
    second = tmp / "second" / incremental.name
    second.parent.mkdir()
    shutil.copyfile(incremental, second)
    second_run = run_dbt(build, second, tmp / "d", vars={"raw_path": str(reexport)},
                         check=False)
    full = tmp / "full.duckdb"
    # the full build only needs its tables (the incremental builds run every data test)
    run_dbt(["build", "--resource-type", "seed", "--resource-type", "model"], full, tmp / "c",
            vars={"raw_path": str(reexport)})
    return Builds(incremental, second, full, reexport, removed, before,
                  {"first incremental": (first_run, _run_results(tmp / "b")),
                   "second incremental": (second_run, _run_results(tmp / "d"))},
                  tmp / "b" / "target" / "run", erased)


def test_next_day_has_new_changed_and_deleted_rows(builds: Builds) -> None:
    with duckdb.connect(str(builds.full), read_only=True) as con:
        new = con.execute("select count(*) from staging.stg_shop__orders "
                          "where order_id like 'N1-%'").fetchone()[0]
        late = con.execute("select count(*) from staging.stg_shop__orders "
                           "where order_id like 'L1-%'").fetchone()[0]
        reexported = con.execute(
            "select count(*) from staging.base_shop__orders where reject_reason is null "
            "group by order_id having count(*) > 1 limit 1").fetchall()
    assert new > 0 and late > 0 and reexported
    # every removed id was in the first build (clean), so the re-export deletes something
    assert all(count > 0 for count in builds.before.values()), builds.before


@pytest.mark.parametrize("build", ["incremental", "second"])
def test_incremental_equals_full_refresh(builds: Builds, build: str) -> None:
    incremental, full = getattr(builds, build), builds.full
    differences = []
    with duckdb.connect(str(incremental), read_only=True) as con:
        con.execute(f"attach '{full}' as full_db (read_only)")
        catalog = con.execute("select current_database()").fetchone()[0]
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_catalog = '{catalog}' and table_schema in {SCHEMAS} "
            "and table_type = 'BASE TABLE' order by 1, 2"
        ).fetchall()
        assert len(relations) > 20
        for schema, table in relations:
            if table in HISTORY:
                continue  # history depends on runs
            columns = [row[0] for row in con.execute(
                "select column_name from information_schema.columns where table_catalog = ? "
                "and table_schema = ? and table_name = ? order by ordinal_position",
                [catalog, schema, table]).fetchall() if row[0] not in RUN_COLUMNS]
            select = ", ".join(f'"{c}"' for c in columns)
            ours = f'select {select} from "{catalog}"."{schema}"."{table}"'
            theirs = f'select {select} from full_db."{schema}"."{table}"'
            count = "select count(*) from ({} except all {})"
            extra = con.execute(count.format(ours, theirs)).fetchone()[0]
            missing = con.execute(count.format(theirs, ours)).fetchone()[0]
            if extra or missing:
                differences.append(f"{schema}.{table}: {extra} rows only incremental, "
                                   f"{missing} only full")
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("build", ["incremental", "second", "full"])
def test_deleted_rows_are_gone(builds: Builds, build: str) -> None:
    """The deleted customer's id, and every raw id of the erased customers' rows (customer,
    orders, lines, sessions, carts), are in no column of any relation of the built file
    (history and quarantine included); the single deleted line, session and cart are in
    no staging or quarantine relation."""
    removed = builds.removed
    word = "(^|[^A-Za-z0-9_-])({})([^A-Za-z0-9_-]|$)"
    everywhere = word.format("|".join(re.escape(x) for x in
                                      sorted({removed.customer, *builds.erased.ids})))
    rows = word.format("|".join(re.escape(x) for x in
                                (removed.order_item, removed.session, removed.cart)))
    found = []
    with duckdb.connect(str(getattr(builds, build)), read_only=True) as con:
        catalog = con.execute("select current_database()").fetchone()[0]
        text_columns = con.execute(
            "select table_schema, table_name, list(column_name order by ordinal_position) "
            "from information_schema.columns where table_catalog = ? "
            "and data_type = 'VARCHAR' group by 1, 2 order by 1, 2", [catalog]).fetchall()
        assert {schema for schema, _, _ in text_columns} >= {*SCHEMAS, "history"}
        for schema, table, columns in text_columns:
            pattern = everywhere if schema not in ("staging", "quarantine") else \
                f"{everywhere}|{rows}"
            condition = " or ".join(f'regexp_matches("{c}", ?)' for c in columns)
            hits = con.execute(f'select count(*) from "{schema}"."{table}" where {condition}',
                               [pattern] * len(columns)).fetchone()[0]
            if hits:
                found.append(f"{schema}.{table}: {hits} rows")
    assert not found, f"deleted or erased ids still in {build}:\n" + "\n".join(found)


@pytest.mark.parametrize("build", ["incremental", "second", "full"])
def test_rows_of_a_deleted_customer_left_in_the_export_are_quarantined(
    builds: Builds, build: str
) -> None:
    """Orders, sessions and carts naming a customer no longer exported: unknown_customer;
    the lines of those orders: unknown_order. Nothing of theirs stays clean."""
    customer = builds.removed.orphaned_customer
    with duckdb.connect() as raw:
        expected = {
            table: raw.execute(f"select count(*) from {raw_source(builds.reexport, table)} "
                               f"where {_id('customer_id')} = ?", [customer]).fetchone()[0]
            for table in ("orders", "sessions", "carts")
        }
        expected_lines = raw.execute(
            f"select count(*) from {raw_source(builds.reexport, 'order_items')} "
            f"where {_id('order_id')} in (select {_id('order_id')} from "
            f"{raw_source(builds.reexport, 'orders')} where {_id('customer_id')} = ?)",
            [customer]).fetchone()[0]
    assert all(expected.values()) and expected_lines, (expected, expected_lines)
    with duckdb.connect(str(getattr(builds, build)), read_only=True) as con:
        rejected, unknown_customer, clean = (
            {table: con.execute(f"select count(*) from staging.{prefix}{table} "
                                f"where customer_id = ? {condition}", [customer]).fetchone()[0]
             for table in expected}
            for prefix, condition in (
                ("base_shop__", "and reject_reason is not null"),
                ("base_shop__", "and reject_reason = 'unknown_customer'"),
                ("stg_shop__", ""),
            )
        )
        lines, unknown_order = con.execute(
            "select count(*), count(*) filter (where reject_reason = 'unknown_order') "
            "from staging.base_shop__order_items "
            "where reject_reason is not null and order_id in (select order_id "
            "from staging.base_shop__orders where customer_id = ?)",
            [customer]).fetchone()
    # every row of theirs is quarantined (unknown_customer / unknown_order unless an
    # earlier reason applies to the row)
    assert rejected == expected and all(unknown_customer.values()), (rejected, unknown_customer)
    assert lines == expected_lines and unknown_order > 0, (lines, unknown_order, expected_lines)
    assert not any(clean.values()), clean


@pytest.mark.parametrize("run", ["first incremental", "second incremental"])
def test_incremental_builds_pass_the_reconciliation(builds: Builds, run: str) -> None:
    """Both incremental builds passed, the reconciliation test among the rest."""
    process, run_results = builds.incremental_runs[run]
    results = run_results["results"]
    failed = [(r["unique_id"], r["status"]) for r in results
              if r["status"] not in ("success", "pass", "no-op")]
    reconciliation = [r for r in results if r["unique_id"].startswith("test.")
                      and "quarantine_reconciliation" in r["unique_id"]]
    assert reconciliation, "no reconciliation test ran"
    assert all(r["status"] == "pass" for r in reconciliation), \
        [(r["unique_id"], r["status"], r.get("message")) for r in reconciliation]
    assert process.returncode == 0 and not failed, (failed, output_tail(process))


def test_unchanged_reexport_rewrites_nothing(builds: Builds) -> None:
    """The second incremental build reads the same (unchanged) export files: the ledger
    reads no source again (but the erasures, read by every run) and no staging row is
    written again."""
    def run_markers(path: Path) -> list[tuple]:
        with duckdb.connect(str(path), read_only=True) as con:
            return [con.execute(f"select max({column}) from staging.{table} "
                                "where source_table != 'erasures'").fetchone()
                    for table, column in [("stg_shop__raw_sources", "loaded_at")]] + [
                con.execute(f"select max(_loaded_at) from staging.base_shop__{t}").fetchone()
                for t in RAW_TABLES]

    assert run_markers(builds.second) == run_markers(builds.incremental)


@pytest.mark.parametrize("table,key", [("orders", "order_id"), ("sessions", "session_id"),
                                       ("carts", "cart_id")])
def test_reexport_rewrites_only_the_ids_whose_rows_changed(builds: Builds, table: str,
                                                          key: str) -> None:
    """The re-export is a changed file, read again whole; staging finds the ids whose raw
    rows differ from the stored ones from each row's id and fingerprint alone
    (changed_ids) and writes only those again. An id whose raw rows are the same in both
    exports, and whose customer's rows are too (their reference standing is unchanged),
    keeps the rows of the first build. Fails if the fingerprint of a re-read row differs
    from the stored one for the same raw row (every id would be written again)."""
    first = builds.reexport.parent / "raw"

    def differing(raw_table: str, column: str) -> str:
        """The ids (`column`, trimmed) of the raw rows of `raw_table` that are in one export
        and not in the other (every value compared as exported)."""
        before, after = raw_source(first, raw_table), raw_source(builds.reexport, raw_table)
        return (f"select {_id(column)} from (select * from {before} except all "
                f"select * from {after}) union select {_id(column)} from "
                f"(select * from {after} except all select * from {before})")

    excluded = (builds.removed.customer, builds.removed.orphaned_customer,
                builds.erased.early, builds.erased.later)
    with duckdb.connect() as con:
        changed = {row[0] for row in con.execute(differing(table, key)).fetchall()}
        unchanged = {row[0] for row in con.execute(f"""
            select {_id(key)} from {raw_source(builds.reexport, table)}
            where {_id(key)} is not null
                and coalesce({_id('customer_id')}, '') not in {excluded}
                and coalesce({_id('customer_id')}, '') not in
                    ({differing('customers', 'customer_id')})""").fetchall()
        } - changed
    with duckdb.connect(str(builds.incremental), read_only=True) as con:
        rewritten = {row[0] for row in con.execute(f"""
            select {key} from staging.base_shop__{table}
            where _loaded_at = (select max(_loaded_at) from staging.base_shop__{table})""")
            .fetchall()}
    assert changed and unchanged and rewritten, (len(changed), len(unchanged), len(rewritten))
    assert not rewritten & unchanged, (
        f"{len(rewritten & unchanged)} of {len(unchanged)} unchanged ids of {table} written "
        f"again, e.g. {sorted(rewritten & unchanged)[:3]}")


def test_latest_load_tests_read_the_rows_of_the_latest_load(
    builds: Builds, tmp_path: Path
) -> None:
    """The stg event views' tests (meta latest_load_only) see the rows the latest run loaded.

    A duplicated session id among the rows of an older load is outside their scope; the
    same duplicate in the latest load fails `unique`. The test's SQL is the one dbt ran in
    the incremental build (target/run), executed on a copy of its warehouse.
    """
    [test_sql] = builds.run_sql.rglob("unique_stg_shop__sessions_session_id.sql")
    warehouse = tmp_path / builds.incremental.name  # the SQL names the database: same name
    warehouse.write_bytes(builds.incremental.read_bytes())
    with duckdb.connect(str(warehouse)) as con:
        base = "staging.base_shop__sessions"
        latest_load = f"(select max(_loaded_at) from {base})"
        loads = con.execute(f"select count(distinct _loaded_at) from {base}").fetchone()[0]
        assert loads == 2, "the incremental run loaded some rows again, not all"

        def duplicate_a_row(latest: bool) -> int:
            """Inserts a copy of a clean row of the latest / an older load; dbt's failures."""
            condition = f"_loaded_at {'=' if latest else '<'} {latest_load}"
            inserted = con.execute(
                f"insert into {base} select * from {base} "
                f"where is_current and not is_tombstone and {condition} limit 1").fetchone()[0]
            assert inserted == 1
            return con.execute(test_sql.read_text()).fetchone()[0]

        assert con.execute(test_sql.read_text()).fetchone()[0] == 0
        assert duplicate_a_row(latest=False) == 0
        assert duplicate_a_row(latest=True) == 1


# --- the deliveries and loaded-at layouts (tests/python/raw_layouts.py) ---------------------

@dataclass(frozen=True)
class LayoutBuilds:
    """Per layout: the warehouse after day 1, after the day-2 refresh, and a full build."""

    day1: dict[str, Path]
    incremental: dict[str, Path]
    full: dict[str, Path]
    raw_dir: Path
    plan: raw_layouts.Plan


LAYOUTS = ("deliveries", "loaded_at")


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory) -> LayoutBuilds:
    tmp = tmp_path_factory.mktemp("layouts")
    raw_dir = tmp / "deliveries"
    run = ["build", "--resource-type", "seed", "--resource-type", "model"]  # no tests
    as_of = {"as_of": FIXTURE_AS_OF}
    with duckdb.connect() as con:
        plan = raw_layouts.plan_days(con)
        raw_layouts.write_deliveries(con, raw_dir, 1, plan)
    day1, incremental, full = {}, {}, {}
    # deliveries: day 1, the day-2 refresh, a full build of day 2
    incremental["deliveries"] = tmp / "deliveries.duckdb"
    run_dbt(run, incremental["deliveries"], tmp / "d1", vars={"raw_path": str(raw_dir), **as_of})
    day1["deliveries"] = tmp / "day1" / "deliveries.duckdb"
    day1["deliveries"].parent.mkdir()
    shutil.copyfile(incremental["deliveries"], day1["deliveries"])
    with duckdb.connect() as con:
        raw_layouts.write_deliveries(con, raw_dir, 2, plan)
    run_dbt(run, incremental["deliveries"], tmp / "d2", vars={"raw_path": str(raw_dir), **as_of})
    full["deliveries"] = tmp / "full" / "deliveries.duckdb"
    full["deliveries"].parent.mkdir()
    run_dbt(run, full["deliveries"], tmp / "d3", vars={"raw_path": str(raw_dir), **as_of})
    # loaded-at tables in a raw_schema of the warehouse itself
    landing = {"raw_schema": "landing", **as_of}
    incremental["loaded_at"] = tmp / "loaded_at.duckdb"
    with duckdb.connect(str(incremental["loaded_at"])) as con:
        raw_layouts.write_landing_tables(con, "landing", (1,), plan)
    run_dbt(run, incremental["loaded_at"], tmp / "l1", vars=landing)
    day1["loaded_at"] = tmp / "day1" / "loaded_at.duckdb"
    shutil.copyfile(incremental["loaded_at"], day1["loaded_at"])
    with duckdb.connect(str(incremental["loaded_at"])) as con:
        raw_layouts.write_landing_tables(con, "landing", (1, 2), plan)
    run_dbt(run, incremental["loaded_at"], tmp / "l2", vars=landing)
    full["loaded_at"] = tmp / "full" / "loaded_at.duckdb"
    with duckdb.connect(str(full["loaded_at"])) as con:
        raw_layouts.write_landing_tables(con, "landing", (1, 2), plan)
    run_dbt(run, full["loaded_at"], tmp / "l3", vars=landing)
    return LayoutBuilds(day1, incremental, full, raw_dir, plan)


def _differences(ours_path: Path, theirs_path: Path, skip_columns: set[str],
                 skip_tables: set[str]) -> list[str]:
    """Tables of SCHEMAS whose rows differ between two warehouses (columns skipped)."""
    differences = []
    with duckdb.connect(str(ours_path), read_only=True) as con:
        con.execute(f"attach '{theirs_path}' as theirs (read_only)")
        catalog = con.execute("select current_database()").fetchone()[0]
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_catalog = '{catalog}' and table_schema in {SCHEMAS} "
            "and table_type = 'BASE TABLE' order by 1, 2").fetchall()
        assert len(relations) > 20
        for schema, table in relations:
            if table in HISTORY | skip_tables:
                continue
            columns = [row[0] for row in con.execute(
                "select column_name from information_schema.columns where table_catalog = ? "
                "and table_schema = ? and table_name = ? order by ordinal_position",
                [catalog, schema, table]).fetchall() if row[0] not in skip_columns]
            select = ", ".join(f'"{c}"' for c in columns)
            ours = f'select {select} from "{catalog}"."{schema}"."{table}"'
            theirs = f'select {select} from theirs."{schema}"."{table}"'
            count = "select count(*) from ({} except all {})"
            extra = con.execute(count.format(ours, theirs)).fetchone()[0]
            missing = con.execute(count.format(theirs, ours)).fetchone()[0]
            if extra or missing:
                differences.append(f"{schema}.{table}: {extra} rows only incremental, "
                                   f"{missing} only full")
    return differences


@pytest.mark.parametrize("layout", LAYOUTS)
def test_layout_refresh_equals_full_build(layouts: LayoutBuilds, layout: str) -> None:
    """After late customers, a tombstone, a changed and a removed file (deliveries) and an
    erasure (of a customer with rows without an id stored by day 1: the refresh scrubs
    them), the refresh gives the full build's staging, quarantine, segments and marts.
    A loaded-at refresh reads its rows as a second batch: the batch names (`_source`) and
    the ledger differ by design."""
    skip_columns = set(RUN_COLUMNS) | ({"_source"} if layout == "loaded_at" else set())
    skip_tables = {"stg_shop__raw_sources"} if layout == "loaded_at" else set()
    differences = _differences(layouts.incremental[layout], layouts.full[layout],
                               skip_columns, skip_tables)
    assert not differences, "\n".join(differences)


def _one(path: Path, sql: str, params: list | None = None) -> tuple:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchone()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_late_customers_admit_their_rows(layouts: LayoutBuilds, layout: str) -> None:
    """Carts, orders and sessions that came before their customer are quarantined as
    unknown_customer on day 1 and clean after the refresh that brings the customer (the
    issue's 165 carts); the lines of those orders follow (unknown_order, then clean)."""
    late = "try_cast(substr(customer_id, 2) as integer) % 2 = 1"
    waiting = ("select count(distinct {key}) filter (where reject_reason = 'unknown_customer' "
               "and {late}) from staging.base_shop__{table}")
    for table, key in (("carts", "cart_id"), ("orders", "order_id"), ("sessions", "session_id")):
        query = waiting.format(late=late, table=table, key=key)
        clean = f"select count(*) from staging.stg_shop__{table} where {late}"
        before, after, full = (_one(path, query)[0] for path in (
            layouts.day1[layout], layouts.incremental[layout], layouts.full[layout]))
        clean_before, clean_after = (_one(path, clean)[0] for path in (
            layouts.day1[layout], layouts.incremental[layout]))
        # the few left are rows whose customer row is itself quarantined (as in the full build)
        assert before > 0 and after == full and after * 10 < before, (table, before, after, full)
        assert clean_after - clean_before >= before - after - len(layouts.plan.gone_carts), \
            (table, clean_before, clean_after)
    lines = ("select count(*) from staging.base_shop__order_items where reject_reason = "
             f"'unknown_order' and order_id in (select order_id from staging.base_shop__orders "
             f"where {late})")
    assert _one(layouts.day1[layout], lines)[0] > 0
    assert _one(layouts.incremental[layout], lines)[0] == 0


def _erased_raw_rows(plan: raw_layouts.Plan, malformed: int) -> dict[str, int]:
    """Per table: the raw rows of the erased customers the two days deliver."""
    customers = f"('{plan.erased_customer}', '{plan.early_erased_customer}')"
    owned = f"{raw_layouts.trimmed('customer_id')} in {customers}"
    with duckdb.connect() as con:
        counts = {table: con.execute(f"select count(*) from {raw_layouts._raw(table)} "
                                     f"where {owned}").fetchone()[0]
                  for table in ("customers", "orders", "sessions", "carts")}
        counts["order_items"] = con.execute(
            f"select count(*) from {raw_layouts._raw('order_items')} "
            f"where {raw_layouts.trimmed('order_id')} in (select "
            f"{raw_layouts.trimmed('order_id')} from {raw_layouts._raw('orders')} "
            f"where {owned})").fetchone()[0]
        for table in raw_layouts.KEYLESS_TABLES:  # their rows without an id, one each
            keyless = con.execute(
                f"select count(*) from ({raw_layouts.keyless_rows(table, plan)})").fetchone()[0]
            assert keyless == 2, table
            counts[table] += keyless
    counts["orders"] += 1  # the re-delivered order
    counts["order_items"] += 1  # and line
    counts["carts"] += malformed
    return counts


@pytest.mark.parametrize("layout", LAYOUTS)
def test_tombstone_and_erasure_are_counted(layouts: LayoutBuilds, layout: str) -> None:
    """The reconciliation holds with deleted and erased rows; the tombstoned order is not
    clean; the erased customers are listed in stg_shop__erasures as a hash only, and each
    raw row of theirs is one erased row."""
    plan = layouts.plan
    expected = _erased_raw_rows(plan, malformed=2 if layout == "deliveries" else 0)
    for path in (layouts.incremental[layout], layouts.full[layout]):
        with duckdb.connect(str(path), read_only=True) as con:
            counts = {row[0]: row[1:] for row in con.execute(
                "select source_table, raw_rows, clean_rows, quarantined_rows, "
                "merged_duplicate_rows, deleted_rows, erased_rows "
                "from quarantine.quarantine_reconciliation").fetchall()}
            assert all(raw == sum(rest) for raw, *rest in counts.values()), counts
            assert counts["orders"][4] >= 2, counts  # the order and its tombstone
            assert all(counts[t][5] > 0 for t in ("customers", "orders", "sessions", "carts"))
            assert con.execute("select count(*) from staging.stg_shop__orders where order_id = ?",
                               [plan.tombstoned_order]).fetchone()[0] == 0
            hashes = con.execute("select * from staging.stg_shop__erasures").fetchall()
            assert sorted(hashes) == sorted(
                (hashlib.sha256(customer.encode()).hexdigest(),)
                for customer in (plan.erased_customer, plan.early_erased_customer))
            # every raw row of theirs counted once: the early one's order and line delivered
            # again on day 2 too, their malformed carts lines (deliveries only: CSV files)
            assert {table: counts[table][5] for table in expected} == expected, counts


@pytest.mark.parametrize("layout", LAYOUTS)
def test_erased_customer_is_in_no_relation(layouts: LayoutBuilds, layout: str) -> None:
    """No raw id of the erased customers' rows (customer, orders, lines, sessions, carts;
    erased before or by the refresh, delivered again after) is in any text column of any
    relation of the built file (malformed lines included)."""
    plan = layouts.plan
    with duckdb.connect() as con:
        ids = sorted(raw_layouts.erased_ids(con, plan.erased_customer)
                     | raw_layouts.erased_ids(con, plan.early_erased_customer))
    assert {plan.redelivered_order, plan.redelivered_line} <= set(ids)
    pattern = f"(^|[^A-Za-z0-9_-])({'|'.join(map(re.escape, ids))})([^A-Za-z0-9_-]|$)"
    for path in (layouts.incremental[layout], layouts.full[layout]):
        found = []
        with duckdb.connect(str(path), read_only=True) as con:
            catalog = con.execute("select current_database()").fetchone()[0]
            for schema, table, columns in con.execute(
                    "select table_schema, table_name, list(column_name) from "
                    "information_schema.columns where table_catalog = ? and data_type = 'VARCHAR' "
                    "and table_schema != 'landing' group by 1, 2", [catalog]).fetchall():
                condition = " or ".join(f'regexp_matches("{c}", ?)' for c in columns)
                hits = con.execute(f'select count(*) from "{schema}"."{table}" where {condition}',
                                   [pattern] * len(columns)).fetchone()[0]
                if hits:
                    found.append(f"{schema}.{table}: {hits}")
        assert not found, (path, found)


def test_refresh_reads_only_new_and_changed_files(layouts: LayoutBuilds) -> None:
    """The day-2 refresh of the deliveries read the new and changed files only (the
    ledger's loaded_at), and the removed carts file is no source any more."""
    with duckdb.connect(str(layouts.incremental["deliveries"]), read_only=True) as con:
        rows = con.execute("select source_table, source_name, loaded_at = max(loaded_at) over () "
                           "from staging.stg_shop__raw_sources").fetchall()
    read_now = {source for _, source, latest in rows if latest}
    assert read_now == {"customers/part-2.csv", "orders/part-2.parquet",
                        "order_items/part-2.csv", "sessions/part-1.csv", "erasures.csv"}, rows
    assert "carts/part-extra.csv" not in {source for _, source, _ in rows}
    assert len(rows) == len(raw_layouts.RAW_TABLES) + 4  # part-1 each, 3 new files, erasures


def test_new_files_recheck_the_rows_naming_what_they_changed(
        layouts: LayoutBuilds, tmp_path: Path) -> None:
    """A day of new files only (deliveries): a customer's tombstone and an order's tombstone.
    The refresh looks at the reference standing of the stored rows naming an id written
    since and of the rows rejected for a reference, not every stored row
    (reference_recheck_since): the customer's sessions, orders and carts become
    unknown_customer, the order's lines unknown_order, as in a full build of the same files."""
    plan = layouts.plan
    raw_dir = tmp_path / "deliveries"
    shutil.copytree(layouts.raw_dir, raw_dir)  # copy2: sizes and modification times kept
    t = raw_layouts.trimmed
    with duckdb.connect() as con:
        raw = raw_layouts._raw
        customer = con.execute(f"""
            select {t('customer_id')} from {raw('customers')}
            where try_cast(substr({t('customer_id')}, 2) as integer) % 2 = 0
              and {t('customer_id')} not in ('{plan.erased_customer}',
                                             '{plan.early_erased_customer}')
              and {t('customer_id')} in (select {t('customer_id')} from {raw('sessions')})
              and {t('customer_id')} in (select {t('customer_id')} from {raw('carts')})
              and {t('customer_id')} in (select {t('o.customer_id')} from {raw('orders')} o
                  join {raw('order_items')} i on {t('o.order_id')} = {t('i.order_id')})
            group by 1
            having count(*) = 1 and max(try_cast(registered_at as timestamp)) is not null
              and coalesce(max(try_cast(updated_at as timestamp)), timestamp '2025-01-01')
                  < timestamp '2025-06-30 12:00:00'
            order by 1 limit 1""").fetchone()[0]
        order = con.execute(f"""
            select {t('o.order_id')} from {raw('orders')} o
            join {raw('order_items')} i on {t('o.order_id')} = {t('i.order_id')}
            where {t('o.customer_id')} != '{customer}'
              and try_cast(substr({t('o.customer_id')}, 2) as integer) % 2 = 0
              and {t('o.customer_id')} not in ('{plan.erased_customer}',
                                               '{plan.early_erased_customer}')
              and {t('o.order_id')} != '{plan.tombstoned_order}'
              and try_cast(o.ordered_at as timestamp) is not null
            group by 1 having count(distinct o.ordered_at) = 1 order by 1 limit 1""").fetchone()[0]
        con.execute(f"""copy (select * replace ('2025-06-30 12:00:00' as updated_at),
                                'true' as _deleted from {raw('customers')}
                              where {t('customer_id')} = '{customer}')
                        to '{raw_dir / "customers" / "part-3.csv"}' (header, delimiter ',')""")
        con.execute(f"""copy (select * replace (cast(try_cast(ordered_at as timestamp)
                                + interval 40 day as varchar) as updated_at),
                                'true' as _deleted from {raw('orders')}
                              where {t('order_id')} = '{order}')
                        to '{raw_dir / "orders" / "part-3.csv"}' (header, delimiter ',')""")
    run = ["build", "--resource-type", "seed", "--resource-type", "model"]
    as_of = {"raw_path": str(raw_dir), "as_of": FIXTURE_AS_OF}
    incremental = tmp_path / "incremental" / "deliveries.duckdb"
    incremental.parent.mkdir()
    shutil.copyfile(layouts.incremental["deliveries"], incremental)
    run_dbt(run, incremental, tmp_path / "refresh", vars=as_of)
    full = tmp_path / "full" / "deliveries.duckdb"
    full.parent.mkdir()
    run_dbt(run, full, tmp_path / "rebuild", vars=as_of)
    compiled = tmp_path / "refresh" / "target" / "compiled" / "segmentation" / "models" \
        / "staging" / "shop" / "base"
    for table in ("sessions", "orders", "carts", "order_items"):  # the few rows, not all
        assert "naming an id written since" in (compiled / f"base_shop__{table}.sql").read_text()
    for table, key in (("sessions", "customer_id"), ("orders", "customer_id"),
                       ("carts", "customer_id")):
        rejected = _one(incremental, f"select count(*), count(*) filter (where reject_reason "
                        f"= 'unknown_customer') from staging.base_shop__{table} "
                        f"where {key} = ? and row_reject_reason is null",
                        [customer])
        assert rejected[0] > 0 and rejected[0] == rejected[1], (table, customer, rejected)
    lines = _one(incremental, "select count(*), count(*) filter (where reject_reason = "
                 "'unknown_order') from staging.base_shop__order_items where order_id = ? "
                 "and row_reject_reason is null",
                 [order])
    assert lines[0] > 0 and lines[0] == lines[1], (order, lines)
    # the raw directory is a copy: a malformed line's file path names the first one
    differences = _differences(incremental, full, set(RUN_COLUMNS) | {"source_file"}, set())
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_built_file_holds_no_plumbing(layouts: LayoutBuilds, layout: str) -> None:
    """No raw_input relation, no view naming the raw directory; every relation answers."""
    with duckdb.connect(str(layouts.incremental[layout]), read_only=True) as con:
        catalog = con.execute("select current_database()").fetchone()[0]
        schemas = {row[0] for row in con.execute(
            "select schema_name from information_schema.schemata where catalog_name = ?",
            [catalog]).fetchall()}
        assert "raw_input" not in schemas
        views = con.execute("select schema_name, view_name, sql from duckdb_views() "
                            "where database_name = ? and not internal", [catalog]).fetchall()
        assert not [v[:2] for v in views if str(layouts.raw_dir) in v[2]
                    or "read_csv" in v[2] or "read_parquet" in v[2]]
        for schema, table in con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_catalog = ?", [catalog]).fetchall():
            con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()


# --- the customer grain (docs/data-path.md "The customer grain") ----------------------------

# the refreshes after day 1 (deliveries layout), in order: the day-2 deliveries (a sessions
# file changed); new files only (an order moved to another customer, a product in another
# category, a new line of an unchanged order); a changed file (the order moved again: its
# second owner's row replaced); the same raw data at another as_of; var as_of unset; a new
# session later than every event (as_of and the recent-visits window move five days)
GRAIN_STEPS = ("day 2", "new files", "changed file", "as_of changed", "as_of unset",
               "later sessions")
# the steps after which a model holds no row of an earlier run: it recomputed every customer
GRAIN_FULL_STEPS = {
    "int_customers_category_spend": {"changed file", "as_of changed", "as_of unset"},
    "int_customers_sessions": {"day 2", "as_of changed", "as_of unset"},
}
GRAIN_MODELS = tuple(GRAIN_FULL_STEPS)
EARLIER_AS_OF = "2025-06-20 00:00:00"


@dataclass(frozen=True)
class GrainBuilds:
    """Per step: the refreshed warehouse, and a copy whose customer-grain models were then
    rebuilt with --full-refresh (every customer recomputed from the same staging)."""

    refreshed: dict[str, Path]
    recomputed: dict[str, Path]
    picks: raw_layouts.GrainPicks


def _copy(source: Path, folder: Path) -> Path:
    """A copy of the warehouse file under the same name (its views name their database)."""
    folder.mkdir(parents=True)
    return Path(shutil.copyfile(source, folder / source.name))


def _step_vars(raw_dir: Path, step: str) -> dict:
    as_of = {"as_of changed": {"as_of": EARLIER_AS_OF}, "as_of unset": {},
             "later sessions": {}}.get(step, {"as_of": FIXTURE_AS_OF})
    return {"raw_path": str(raw_dir), **as_of}


@pytest.fixture(scope="module")
def grain(tmp_path_factory: pytest.TempPathFactory) -> GrainBuilds:
    tmp = tmp_path_factory.mktemp("grain")
    raw_dir = tmp / "deliveries"
    # the customer-grain models and what they read (staging, as_of, population), no tests
    run = ["build", "--resource-type", "seed", "--resource-type", "model",
           "--select", *(f"+{model}" for model in GRAIN_MODELS)]
    warehouse = tmp / "warehouse.duckdb"
    with duckdb.connect() as con:
        plan = raw_layouts.plan_days(con)
        raw_layouts.write_deliveries(con, raw_dir, 1, plan)
    run_dbt(run, warehouse, tmp / "day1", vars=_step_vars(raw_dir, "day 1"))
    refreshed, recomputed, picks = {}, {}, None
    for number, step in enumerate(GRAIN_STEPS):
        with duckdb.connect() as con:
            if step == "day 2":
                raw_layouts.write_deliveries(con, raw_dir, 2, plan)
            elif step in ("new files", "changed file"):
                raw_layouts.write_grain_changes(con, raw_dir, number, picks)
            elif step == "later sessions":
                as_of = _one(warehouse, "select as_of from intermediate.int_as_of_resolved")[0]
                raw_layouts.write_later_session(con, raw_dir, picks.owners[0],
                                                str(as_of + timedelta(days=5)))
        run_dbt(run, warehouse, tmp / f"step{number}", vars=_step_vars(raw_dir, step))
        refreshed[step] = _copy(warehouse, tmp / f"refreshed{number}")
        recomputed[step] = _copy(warehouse, tmp / f"recomputed{number}")
        run_dbt(["run", "--full-refresh", "--select", *GRAIN_MODELS], recomputed[step],
                tmp / f"recompute{number}", vars=_step_vars(raw_dir, step))
        if picks is None:
            with duckdb.connect(str(warehouse), read_only=True) as con:
                picks = raw_layouts.pick_grain_changes(con, plan)
    return GrainBuilds(refreshed, recomputed, picks)


def _grain_rows(path: Path, model: str, where: str = "true") -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        columns = [row[0] for row in con.execute(
            "select column_name from information_schema.columns where table_schema = "
            "'intermediate' and table_name = ? order by ordinal_position", [model]).fetchall()
            if row[0] not in RUN_COLUMNS]
        return sorted(con.execute(
            f"select {', '.join(columns)} from intermediate.{model} where {where}").fetchall(),
            key=repr)


@pytest.mark.parametrize("step", GRAIN_STEPS)
@pytest.mark.parametrize("model", GRAIN_MODELS)
def test_customer_grain_refresh_equals_full_recompute(grain: GrainBuilds, model: str,
                                                      step: str) -> None:
    """After each step the incremental customer-grain model holds what recomputing every
    customer gives (its run-marker columns aside)."""
    ours, theirs = (_grain_rows(path[step], model)
                    for path in (grain.refreshed, grain.recomputed))
    assert ours, (model, step)
    only_ours = [row for row in ours if row not in theirs]
    only_theirs = [row for row in theirs if row not in ours]
    assert not only_ours and not only_theirs, (only_ours[:5], only_theirs[:5])


def test_customer_grain_steps_change_what_they_say(grain: GrainBuilds) -> None:
    """The steps are not vacuous: each changes the figures of the customers it names."""
    picks, spend, visits = grain.picks, "int_customers_category_spend", "int_customers_sessions"
    first, second, third = picks.owners

    def rows(step: str, customer: str, model: str = spend) -> list[tuple]:
        return _grain_rows(grain.recomputed[step], model, f"customer_id = '{customer}'")

    lined = _one(grain.recomputed["day 2"], "select customer_id from "
                 "staging.stg_shop__orders where order_id = ?", [picks.lined_order])[0]
    for customer in (first, second, lined):
        assert rows("day 2", customer) != rows("new files", customer), customer
    regrouped = f"select count(*) from intermediate.{spend} where category = 'zzz regrouped'"
    assert _one(grain.recomputed["day 2"], regrouped)[0] == 0
    assert _one(grain.recomputed["new files"], regrouped)[0] > 0
    for customer in (second, third):
        assert rows("new files", customer) != rows("changed file", customer), customer
    for model in GRAIN_MODELS:
        assert (_grain_rows(grain.recomputed["changed file"], model)
                != _grain_rows(grain.recomputed["as_of changed"], model)), model
    # the later session moves the window: other customers' recent visits change too
    moved = {row[0] for row in set(_grain_rows(grain.recomputed["as_of unset"], visits))
             ^ set(_grain_rows(grain.recomputed["later sessions"], visits))}
    assert first in moved and len(moved) > 1, moved


@pytest.mark.parametrize("step", GRAIN_STEPS)
@pytest.mark.parametrize("model", GRAIN_MODELS)
def test_customer_grain_refresh_rewrites_only_changed_customers(grain: GrainBuilds, model: str,
                                                                step: str) -> None:
    """A refresh rewrites every row only where the model must recompute every customer
    (GRAIN_FULL_STEPS); new deliveries rewrite only their customers' rows (the others keep
    their `_loaded_at`)."""
    rewritten, rows = _one(grain.refreshed[step], (
        "select count(*) filter (where _loaded_at = (select max(loaded_at) "
        f"from staging.stg_shop__raw_sources)), count(*) from intermediate.{model}"))
    assert rows > 0
    if step in GRAIN_FULL_STEPS[model]:
        assert rewritten == rows, (rewritten, rows)
    else:
        assert rewritten < rows, (rewritten, rows)
