"""Chart helpers shared by the dashboard's sections."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from segwh.dashboard import figures

NOT_AVAILABLE = "not available in this warehouse"


def not_available(title: str, needs: str) -> None:
    st.info(f"{title}: {NOT_AVAILABLE} (needs {needs}).")


def percent(value: float | None) -> str:
    return "–" if value is None or pd.isna(value) else f"{value * 100:.1f} %"


def bar_chart(frame: pd.DataFrame, category: str, value: str, title: str) -> alt.Chart:
    return (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            x=alt.X(f"{value}:Q", title=value.replace("_", " ")),
            y=alt.Y(f"{category}:N", sort="-x", title=None),
            tooltip=list(frame.columns),
        )
    )


def world_map(countries: pd.DataFrame, value: str, title: str) -> alt.Chart:
    """A world map of `value` per country, from the committed Natural Earth geometry."""
    geometry = alt.Data(
        values=figures.world_geometry(), format=alt.DataFormat(type="topojson", feature="countries")
    )
    return (
        alt.Chart(geometry, title=title)
        .mark_geoshape(stroke="white", strokeWidth=0.5)
        .transform_lookup(
            lookup="id",
            from_=alt.LookupData(
                countries, key="iso_numeric", fields=["country", "customers", "revenue"]
            ),
            default="0",
        )
        .encode(
            color=alt.Color(f"{value}:Q", title=value, scale=alt.Scale(scheme="blues")),
            tooltip=[
                alt.Tooltip("properties.name:N", title="country"),
                alt.Tooltip("customers:Q"),
                alt.Tooltip("revenue:Q", format=",.2f"),
            ],
        )
        .project(type="equalEarth")
        .properties(height=320)
    )
