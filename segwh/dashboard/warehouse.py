"""The dashboard's access to the warehouse: which files it can read, read-only.

Every query opens its own read-only DuckDB connection and closes it: the refresh publishes a
new file by renaming it onto DUCKDB_PATH, so reopening per rerun picks up a new publish and
never holds a lock that would get in the way. Older publishes kept by the refresh
(`versions/*.duckdb` beside the published file) are offered as earlier as-of choices.

Charts that need a relation or column which is not in the warehouse yet (e.g. lifecycle
and RFM columns of marts.customer_profile) are told so through `has_columns` /
`relation_exists`, and the app says "not available in this warehouse" for them.

The segments offered are the registry's (segwh.segments), in its order, that the chosen
warehouse file has (marts.segment_summary), and a segment filters customers by membership
of its relation in schema `segments`: an earlier version built before a segment existed
simply does not offer it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from segwh.core.paths import warehouse_path
from segwh.core.versions import published_version
from segwh.segments import SEGMENTS  # the registry: macros/segment_flags.sql

# Money in the marts is decimal(18, 2) in the reporting currency (house style): a column of
# that type is shown with the currency code.
MONEY_TYPE = "DECIMAL(18,2)"

ALL_CUSTOMERS = "all customers"
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def published_path() -> Path:
    """The published warehouse: $DUCKDB_PATH, else build/warehouse.duckdb."""
    return warehouse_path()


@dataclass(frozen=True)
class WarehouseVersion:
    """One warehouse file the dashboard can read: the published one or a kept version."""

    path: Path
    label: str
    as_of: str


def query(path: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    """Runs `sql` on a fresh read-only connection to `path` and returns a DataFrame."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).df()


def relation_exists(path: Path, schema: str, name: str) -> bool:
    frame = query(
        path,
        "select count(*) as n from information_schema.tables "
        "where table_schema = ? and table_name = ?",
        [schema, name],
    )
    return int(frame["n"].iloc[0]) > 0


def columns_of(path: Path, schema: str, name: str) -> set[str]:
    frame = query(
        path,
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ?",
        [schema, name],
    )
    return {str(column).lower() for column in frame["column_name"]}


def has_columns(path: Path, schema: str, name: str, needed: list[str]) -> bool:
    return set(needed) <= columns_of(path, schema, name)


@dataclass(frozen=True)
class ReportingContext:
    """How to read the figures of one warehouse: currency, shop time zone, local as_of."""

    currency: str
    timezone: str
    as_of_local: str

    def money(self, value: float | None) -> str:
        """`1,234.56 USD`: every amount shown with the reporting currency's code."""
        if value is None or pd.isna(value):
            return "–"
        return f"{value:,.2f} {self.currency}".strip()


def reporting_context(path: Path) -> ReportingContext:
    """marts.reporting_context of `path`; an older warehouse without it is read as UTC."""
    if not relation_exists(path, "marts", "reporting_context"):
        frame = query(path, "select max(as_of) as as_of from marts.segment_summary")
        return ReportingContext("", "UTC", str(frame["as_of"].iloc[0]))
    frame = query(
        path,
        "select reporting_currency, shop_timezone, as_of_local from marts.reporting_context",
    )
    row = frame.iloc[0]
    return ReportingContext(
        str(row["reporting_currency"]), str(row["shop_timezone"]), str(row["as_of_local"])
    )


def money_columns(path: Path, schema: str, name: str) -> set[str]:
    """Columns of `schema.name` that hold money (decimal(18, 2), reporting currency)."""
    frame = query(
        path,
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ? and upper(data_type) = ?",
        [schema, name, MONEY_TYPE],
    )
    return {str(column).lower() for column in frame["column_name"]}


def _describe(path: Path, kind: str) -> WarehouseVersion | None:
    """Label and as_of of one warehouse file (None when it has no segment summary)."""
    try:
        context = reporting_context(path)
    except duckdb.Error:
        return None
    # as_of on the shop's wall clock, with the zone it is in
    as_of_text = f"{context.as_of_local} {context.timezone}"
    recorded = published_version(path)
    version = f", version {recorded}" if recorded else ""
    return WarehouseVersion(path, f"as of {as_of_text} ({kind}{version})", as_of_text)


def warehouse_versions(published: Path | None = None) -> list[WarehouseVersion]:
    """The published warehouse first, then the kept earlier versions, newest first."""
    published = published or published_path()
    found = []
    if published.exists():
        described = _describe(published, "published")
        if described:
            found.append(described)
    versions_dir = published.parent / "versions"
    if versions_dir.is_dir():
        for path in sorted(versions_dir.glob(f"{published.stem}-*.duckdb"), reverse=True):
            described = _describe(path, "earlier refresh")
            if described:
                found.append(described)
    return found


def segment_names(path: Path) -> list[str]:
    """The registry's segments that this warehouse has (marts.segment_summary), in the
    registry's order."""
    frame = query(path, "select segment from marts.segment_summary")
    present = {str(name) for name in frame["segment"]}
    return [segment for segment in SEGMENTS if segment in present]


def segment_filter(segment: str) -> str:
    """A where-clause condition on marts.customer_profile (alias `profiles`) for the chosen
    segment: membership of its relation segments.<segment>."""
    if segment == ALL_CUSTOMERS:
        return "true"
    if not IDENTIFIER.match(segment):
        raise ValueError(f"not a segment name: {segment!r}")
    return f'profiles.customer_id in (select customer_id from segments."{segment}")'
