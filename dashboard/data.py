"""Read-only access to the published warehouse for the dashboard.

Every query opens its own read-only DuckDB connection and closes it: the refresh publishes a
new file by renaming it onto DUCKDB_PATH, so reopening per rerun picks up a new publish and
never holds a lock that would get in the way. Older publishes kept by the refresh
(`versions/*.duckdb` beside the published file) are offered as earlier as-of choices.

Charts that need a relation or column which is not in the warehouse yet (e.g. lifecycle
and RFM columns of marts.customer_profile) are told so through `has_columns` /
`relation_exists`, and the app says "not available in this warehouse" for them.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = REPO_ROOT / "build" / "warehouse.duckdb"
# Natural Earth 1:110m countries (TopoJSON, ids = ISO 3166-1 numeric), committed: see
# dashboard/geo/README.md. Nothing is downloaded at run time.
WORLD_GEOMETRY = Path(__file__).resolve().parent / "geo" / "countries-110m.json"
# Money in the marts is decimal(18, 2) in the reporting currency (house style): a column of
# that type is shown with the currency code.
MONEY_TYPE = "DECIMAL(18,2)"

# segment (relation in schema segments) -> its boolean in marts.customer_profile
SEGMENT_FLAGS: dict[str, str] = {
    "vip": "is_vip",
    "hesitant": "is_hesitant",
    "registered_no_order": "is_registered_no_order",
    "geographic": "is_geographic",
    "loyal": "is_loyal",
    "one_time_buyers": "is_one_time_buyer",
    "coupon_lovers": "is_coupon_lover",
    "cart_abandoners": "is_cart_abandoner",
}
ALL_CUSTOMERS = "all customers"
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def published_path() -> Path:
    """The published warehouse: $DUCKDB_PATH, else build/warehouse.duckdb."""
    return Path(os.environ.get("DUCKDB_PATH") or DEFAULT_DB)


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
    version = ""
    if relation_exists(path, "refresh", "publishes"):
        frame = query(path, "select max(version) as version from refresh.publishes")
        if frame["version"].iloc[0] is not None:
            version = f", version {frame['version'].iloc[0]}"
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


def segment_filter(segment: str) -> str:
    """A where-clause condition on marts.customer_profile for the chosen segment."""
    if segment == ALL_CUSTOMERS:
        return "true"
    flag = SEGMENT_FLAGS[segment]
    assert _IDENTIFIER.match(flag)
    return f"profiles.{flag}"


def segment_summary(path: Path) -> pd.DataFrame:
    return query(
        path,
        "select segment, member_count, share_of_customers, cast(revenue as double) as revenue, "
        "share_of_revenue from marts.segment_summary order by member_count desc, segment",
    )


def headline(path: Path, segment: str) -> dict[str, float]:
    frame = query(
        path,
        "select count(*) as customers, "
        "coalesce(sum(case when profiles.order_count >= 1 then 1 else 0 end), 0) as buyers, "
        "coalesce(cast(sum(profiles.lifetime_value) as double), 0) as revenue "
        f"from marts.customer_profile as profiles where {segment_filter(segment)}",
    )
    return {key: float(frame[key].iloc[0]) for key in ("customers", "buyers", "revenue")}


def by_country_city(path: Path, segment: str) -> pd.DataFrame:
    """Customers, buyers and revenue per country, region and city (customer_profile, whose
    places are grouped by their normalized key and shown under their most frequent
    spelling, + countries)."""
    return query(
        path,
        "select coalesce(countries.country_name, 'Unknown') as country, "
        "coalesce(profiles.region, 'Unknown') as region, "
        "coalesce(profiles.city, 'Unknown') as city, count(*) as customers, "
        "sum(case when profiles.order_count >= 1 then 1 else 0 end) as buyers, "
        "cast(sum(profiles.lifetime_value) as double) as revenue "
        "from marts.customer_profile as profiles "
        "left join reference.countries as countries "
        "on profiles.country_code = countries.country_code "
        f"where {segment_filter(segment)} group by 1, 2, 3 "
        "order by customers desc, country, region, city",
    )


def by_country(path: Path, segment: str) -> pd.DataFrame | None:
    """Customers, buyers and revenue per country with its ISO numeric code, for the world
    map (None when the warehouse's countries have no numeric codes yet)."""
    if not has_columns(path, "reference", "countries", ["iso_numeric"]):
        return None
    return query(
        path,
        "select countries.iso_numeric, countries.country_name as country, "
        "count(*) as customers, "
        "sum(case when profiles.order_count >= 1 then 1 else 0 end) as buyers, "
        "cast(sum(profiles.lifetime_value) as double) as revenue "
        "from marts.customer_profile as profiles "
        "inner join reference.countries as countries "
        "on profiles.country_code = countries.country_code "
        f"where {segment_filter(segment)} group by 1, 2 order by customers desc, country",
    )


@lru_cache(maxsize=1)
def world_geometry() -> dict:
    """The committed Natural Earth countries (TopoJSON, object `countries`)."""
    return json.loads(WORLD_GEOMETRY.read_text(encoding="utf-8"))


def customer_dimensions_source(path: Path, needed: list[str]) -> str | None:
    """SQL for a per-customer relation that has the columns `needed`, or None.

    marts.customer_profile when it carries them; otherwise the profile joined with
    semantic.semantic_customers (acquisition channel, gender and education today).
    """
    profile_columns = columns_of(path, "marts", "customer_profile")
    if set(needed) <= profile_columns:
        return "select * from marts.customer_profile"
    semantic_columns = columns_of(path, "semantic", "semantic_customers")
    missing = set(needed) - profile_columns
    if missing <= semantic_columns:
        extra = ", ".join(f"semantic.{column}" for column in sorted(missing))
        return (
            f"select profile.*, {extra} from marts.customer_profile as profile "
            "left join semantic.semantic_customers as semantic "
            "on profile.customer_id = semantic.customer_id"
        )
    return None


def distribution(path: Path, segment: str, columns: list[str]) -> pd.DataFrame | None:
    """Customers per value of `columns` (None when the warehouse lacks them)."""
    for column in columns:
        assert _IDENTIFIER.match(column)
    source = customer_dimensions_source(path, columns)
    if source is None:
        return None
    select = ", ".join(
        f"coalesce(cast(profiles.{column} as varchar), 'unknown') as {column}" for column in columns
    )
    return query(
        path,
        f"select {select}, count(*) as customers, "
        "cast(sum(profiles.lifetime_value) as double) as revenue "
        f"from ({source}) as profiles where {segment_filter(segment)} "
        f"group by {', '.join(str(i + 1) for i in range(len(columns)))} "
        "order by customers desc",
    )


def channel_pareto(path: Path, segment: str) -> pd.DataFrame | None:
    """Customers per acquisition channel, ranked, with the cumulative share (Pareto)."""
    frame = distribution(path, segment, ["acquisition_channel"])
    if frame is None:
        return None
    frame = frame.sort_values(["customers", "acquisition_channel"], ascending=[False, True])
    frame = frame.reset_index(drop=True)
    total = frame["customers"].sum()
    frame["cumulative_share"] = frame["customers"].cumsum() / total if total else 0.0
    frame["is_pareto_core"] = frame["cumulative_share"].shift(fill_value=0.0) < 0.8
    frame["rank"] = range(1, len(frame) + 1)
    return frame


def transitions(path: Path, segment: str) -> pd.DataFrame | None:
    """Moves into and out of segments per refresh (None when there is no history)."""
    if not relation_exists(path, "marts", "segment_transitions"):
        return None
    condition = "true"
    params: list = []
    if segment != ALL_CUSTOMERS:
        condition = "(from_segment = ? or to_segment = ?)"
        params = [segment, segment]
    return query(
        path,
        "select refreshed_at, coalesce(from_segment, '(none)') as from_segment, "
        "coalesce(to_segment, '(none)') as to_segment, count(*) as customers "
        f"from marts.segment_transitions where {condition} "
        "group by 1, 2, 3 order by 1, 2, 3",
        params,
    )


def refresh_count(path: Path) -> int:
    """Distinct refresh times in the segment history (0 without history)."""
    if not relation_exists(path, "marts", "segment_membership_history"):
        return 0
    frame = query(
        path, "select count(distinct valid_from) as n from marts.segment_membership_history"
    )
    return int(frame["n"].iloc[0])


def customer(path: Path, customer_id: str) -> pd.DataFrame:
    """The customer's row of marts.customer_profile (empty when unknown)."""
    return query(
        path,
        "select * from marts.customer_profile where customer_id = ?",
        [customer_id.strip()],
    )
