"""The dashboard's figures: each a query on one warehouse file for one segment filter."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from segwh.core.paths import REPO_ROOT
from segwh.dashboard.warehouse import (
    ALL_CUSTOMERS,
    IDENTIFIER,
    columns_of,
    has_columns,
    query,
    relation_exists,
    segment_filter,
)

# Natural Earth 1:110m countries (TopoJSON, ids = ISO 3166-1 numeric), committed: see
# dashboard/geo/README.md. Nothing is downloaded at run time.
WORLD_GEOMETRY = REPO_ROOT / "dashboard" / "geo" / "countries-110m.json"
# the share of customers the Pareto core brings: the var declared in dbt_project.yml
PARETO_VAR = "pareto_core_share"


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
        assert IDENTIFIER.match(column)
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


@lru_cache(maxsize=1)
def declared_pareto_core_share() -> float:
    """The var pareto_core_share as dbt_project.yml declares it (its default)."""
    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    return float(project["vars"][PARETO_VAR])


def pareto_core_share(path: Path) -> float:
    """The Pareto share the warehouse at `path` was built with (marts.reporting_context,
    where a `--vars` override of the build is recorded; marts.channel_performance uses the
    same for all customers, the dashboard applies it to any segment); dbt_project.yml's
    default for a warehouse built before the column existed."""
    if PARETO_VAR in columns_of(path, "marts", "reporting_context"):
        frame = query(path, f"select {PARETO_VAR} from marts.reporting_context")
        if len(frame) and frame[PARETO_VAR].iloc[0] is not None:
            return float(frame[PARETO_VAR].iloc[0])
    return declared_pareto_core_share()


def channel_pareto(
    path: Path, segment: str, share: float | None = None
) -> pd.DataFrame | None:
    """Customers per acquisition channel, ranked, with the cumulative share (Pareto); the
    core is the channels ranked above which less than `share` (default: the var
    pareto_core_share) of the customers come."""
    share = pareto_core_share(path) if share is None else share
    frame = distribution(path, segment, ["acquisition_channel"])
    if frame is None:
        return None
    frame = frame.sort_values(["customers", "acquisition_channel"], ascending=[False, True])
    frame = frame.reset_index(drop=True)
    total = frame["customers"].sum()
    frame["cumulative_share"] = frame["customers"].cumsum() / total if total else 0.0
    frame["is_pareto_core"] = frame["cumulative_share"].shift(fill_value=0.0) < share
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


# --- lifetime value (BG/NBD + Gamma-Gamma; DuckDB builds only) ---------------------------

CLV_COLUMNS = ["lifetime_value", "predicted_clv", "probability_alive", "predicted_value_lost",
               "is_at_risk_high_value"]
SCATTER_POINTS = 5000
AT_RISK_ROWS = 50


def clv_available(path: Path) -> bool:
    return has_columns(path, "marts", "customer_profile", CLV_COLUMNS)


def predicted_vs_historical(path: Path, segment: str) -> pd.DataFrame:
    """Buyers with a prediction: historical lifetime_value against predicted_clv (at most
    SCATTER_POINTS of them, a fixed sample, for the scatter chart)."""
    return query(
        path,
        "select profiles.customer_id, cast(profiles.lifetime_value as double) as lifetime_value, "
        "cast(profiles.predicted_clv as double) as predicted_clv, profiles.probability_alive, "
        "profiles.is_at_risk_high_value "
        "from marts.customer_profile as profiles "
        f"where profiles.predicted_clv is not null and {segment_filter(segment)} "
        f"using sample {SCATTER_POINTS} rows (reservoir, 16)",
    )


def churn_risk(path: Path, segment: str) -> pd.DataFrame:
    """Buyers per band of probability_alive (0.0-0.1 ... 0.9-1.0), with what they are worth."""
    return query(
        path,
        "select least(floor(profiles.probability_alive * 10), 9) / 10 as band_start, "
        "count(*) as customers, cast(sum(profiles.predicted_clv) as double) as predicted_clv, "
        "cast(sum(profiles.predicted_value_lost) as double) as predicted_value_lost "
        "from marts.customer_profile as profiles "
        f"where profiles.probability_alive is not null and {segment_filter(segment)} "
        "group by 1 order by 1",
    ).assign(band=lambda frame: [f"{start:.1f}-{start + 0.1:.1f}" for start in frame["band_start"]])


def at_risk_list(path: Path, segment: str) -> pd.DataFrame:
    """Members of at_risk_high_value, largest predicted value lost first (AT_RISK_ROWS)."""
    return query(
        path,
        "select profiles.customer_id, cast(profiles.predicted_value_lost as double) "
        "as predicted_value_lost, profiles.probability_alive, "
        "cast(profiles.predicted_clv as double) as predicted_clv, "
        "cast(profiles.lifetime_value as double) as lifetime_value, profiles.order_count, "
        "profiles.days_since_last_order "
        "from marts.customer_profile as profiles "
        f"where profiles.is_at_risk_high_value and {segment_filter(segment)} "
        "order by profiles.predicted_value_lost desc, profiles.customer_id "
        f"limit {AT_RISK_ROWS}",
    )


def clv_fit(path: Path) -> dict | None:
    """The row of marts.clv_model_fit (None when the warehouse has none)."""
    if not relation_exists(path, "marts", "clv_model_fit"):
        return None
    frame = query(path, "select * from marts.clv_model_fit")
    return None if frame.empty else frame.iloc[0].to_dict()
