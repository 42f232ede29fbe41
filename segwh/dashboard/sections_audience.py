"""Dashboard sections on who the customers are: segments, places, demographics,
acquisition channels, lifecycle and RFM."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from segwh.dashboard import figures, warehouse
from segwh.dashboard.charts import bar_chart, not_available, percent, world_map


def section_segments(path, segment: str, context: warehouse.ReportingContext) -> None:
    st.header("Segments")
    summary = figures.segment_summary(path)
    left, right = st.columns(2)
    left.altair_chart(
        bar_chart(summary, "segment", "member_count", "Segment size (members)"),
        use_container_width=True,
    )
    right.altair_chart(
        bar_chart(summary, "segment", "share_of_revenue", "Share of revenue"),
        use_container_width=True,
    )
    shown = pd.DataFrame(
        {
            "segment": summary["segment"],
            "members": summary["member_count"].map(lambda value: f"{int(value)}"),
            "% of customers": summary["share_of_customers"].map(percent),
            f"revenue ({context.currency})": summary["revenue"].map(context.money),
            "% of revenue": summary["share_of_revenue"].map(percent),
        }
    )
    if segment != warehouse.ALL_CUSTOMERS:
        shown = shown[shown["segment"] == segment]
    st.table(shown.set_index("segment"))


def section_geography(path, segment: str, context: warehouse.ReportingContext) -> None:
    st.header("Customers and revenue by country, region and city")
    places = figures.by_country_city(path, segment)
    if places.empty:
        st.write("No customers in this selection.")
        return
    revenue_title = f"revenue ({context.currency})"
    countries = figures.by_country(path, segment)
    if countries is None:
        not_available("World map", "reference.countries.iso_numeric")
    else:
        left, right = st.columns(2)
        left.altair_chart(
            world_map(countries, "customers", "Customers by country"), use_container_width=True
        )
        right.altair_chart(
            world_map(countries, "revenue", f"Revenue by country ({context.currency})"),
            use_container_width=True,
        )
    top = (
        places.groupby("country", as_index=False)[["customers", "buyers", "revenue"]]
        .sum()
        .sort_values("customers", ascending=False)
        .head(15)
    )
    left, right = st.columns(2)
    left.altair_chart(
        bar_chart(top, "country", "customers", "Customers by country (top 15)"),
        use_container_width=True,
    )
    right.altair_chart(
        bar_chart(
            top.rename(columns={"revenue": revenue_title}),
            "country",
            revenue_title,
            f"Revenue by country (top 15, {context.currency})",
        ),
        use_container_width=True,
    )
    shown = places.assign(revenue=places["revenue"].map(context.money)).rename(
        columns={"revenue": revenue_title}
    )
    st.dataframe(shown, hide_index=True, use_container_width=True, height=260)


def section_demographics(path, segment: str) -> None:
    st.header("Demographics")
    left, middle, right = st.columns(3)
    with left:
        frame = figures.distribution(path, segment, ["age_band", "gender"])
        if frame is None:
            not_available("Age band × gender", "customer_profile.age_band and gender")
        else:
            st.altair_chart(
                alt.Chart(frame, title="Age band × gender")
                .mark_bar()
                .encode(
                    x=alt.X("age_band:N", title="age band"),
                    y=alt.Y("customers:Q"),
                    color=alt.Color("gender:N"),
                    tooltip=list(frame.columns),
                ),
                use_container_width=True,
            )
    with middle:
        frame = figures.distribution(path, segment, ["education"])
        if frame is None:
            not_available("Education", "customer_profile.education")
        else:
            st.altair_chart(
                bar_chart(frame, "education", "customers", "Education"),
                use_container_width=True,
            )
    with right:
        frame = figures.distribution(path, segment, ["income_band"])
        if frame is None:
            not_available("Income band", "customer_profile.income_band")
        else:
            st.altair_chart(
                bar_chart(frame, "income_band", "customers", "Income band"),
                use_container_width=True,
            )


def section_channels(path, segment: str) -> None:
    st.header("Acquisition channels (Pareto)")
    pareto = figures.channel_pareto(path, segment)
    if pareto is None:
        not_available("Acquisition-channel Pareto", "an acquisition_channel per customer")
        return
    base = alt.Chart(pareto, title="Customers per channel and cumulative share").encode(
        x=alt.X("acquisition_channel:N", sort=list(pareto["acquisition_channel"]), title=None)
    )
    bars = base.mark_bar().encode(
        y=alt.Y("customers:Q"),
        color=alt.Color(
            "is_pareto_core:N",
            title=f"in the first {figures.pareto_core_share(path) * 100:g} %",
            scale=alt.Scale(domain=[True, False], range=["#1f77b4", "#c7c7c7"]),
        ),
        tooltip=list(pareto.columns),
    )
    line = base.mark_line(point=True, color="black").encode(
        y=alt.Y("cumulative_share:Q", axis=alt.Axis(format="%"), title="cumulative share")
    )
    st.altair_chart(alt.layer(bars, line).resolve_scale(y="independent"), use_container_width=True)
    core = pareto[pareto["is_pareto_core"]]["acquisition_channel"].tolist()
    st.caption(
        f"Channels bringing the first {figures.pareto_core_share(path) * 100:g} % of customers: "
        f"{', '.join(core)}"
    )


def section_lifecycle_rfm(path, segment: str) -> None:
    st.header("Lifecycle and RFM")
    left, right = st.columns(2)
    with left:
        frame = figures.distribution(path, segment, ["lifecycle_stage"])
        if frame is None:
            not_available("Lifecycle stages", "customer_profile.lifecycle_stage")
        else:
            st.altair_chart(
                bar_chart(frame, "lifecycle_stage", "customers", "Lifecycle stage"),
                use_container_width=True,
            )
    with right:
        frame = figures.distribution(path, segment, ["rfm_group"])
        if frame is None:
            not_available("RFM groups", "customer_profile.rfm_group")
        else:
            st.altair_chart(
                bar_chart(frame, "rfm_group", "customers", "RFM group"),
                use_container_width=True,
            )
