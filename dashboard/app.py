"""Segment dashboard for BI and marketing: `make dashboard` (streamlit run dashboard/app.py).

Reads the published warehouse ($DUCKDB_PATH) read-only, one connection per query, so every
rerun sees the latest publish. Filters: the as-of refresh (the published file and the
earlier versions the refresh keeps) and a segment. URL parameters `segment` and `customer`
preselect the segment filter and the customer lookup (for links and the browser test).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from segwh.dashboard import figures, warehouse

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
            title=f"in the first {figures.pareto_core_share() * 100:g} %",
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
        f"Channels bringing the first {figures.pareto_core_share() * 100:g} % of customers: "
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


def fit_caption(fit: dict | None) -> str:
    """One line on the fitted models (marts.clv_model_fit)."""
    if fit is None:
        return "Model fit: not available in this warehouse (marts.clv_model_fit)."
    if fit["status"] == "not_fitted":
        return f"Not fitted ({fit['bgnbd_null_reason']}): predictions are null."
    text = (
        f"Fitted on {int(fit['buyer_count'])} buyers ({int(fit['repeat_buyer_count'])} repeat "
        f"buyers), horizon {int(fit['clv_horizon_days'])} days. BG/NBD r = {fit['bgnbd_r']:.3g}, "
        f"α = {fit['bgnbd_alpha']:.3g} days, a = {fit['bgnbd_a']:.3g}, b = {fit['bgnbd_b']:.3g}"
    )
    if fit["status"] == "fitted":
        text += (
            f"; Gamma-Gamma p = {fit['gg_p']:.3g}, q = {fit['gg_q']:.3g}, "
            f"γ = {fit['gg_gamma']:.3g}"
        )
    if fit.get("notes"):
        text += f". Note: {fit['notes']}"
    return text + "."


def section_lifetime_value(path, segment: str, context: warehouse.ReportingContext) -> None:
    with st.container(key="lifetime_value"):
        st.header("Lifetime value and churn risk")
        if not figures.clv_available(path):
            not_available("Lifetime value", "customer_profile.predicted_clv, probability_alive")
            return
        st.caption(fit_caption(figures.clv_fit(path)))
        left, right = st.columns(2)
        points = figures.predicted_vs_historical(path, segment)
        if points.empty:
            left.info("No buyer with a prediction in this selection.")
        else:
            left.altair_chart(
                alt.Chart(points, title="Predicted vs historical value (per buyer)")
                .mark_circle(opacity=0.6)
                .encode(
                    x=alt.X("lifetime_value:Q",
                          title=f"historical lifetime value ({context.currency})"),
                    y=alt.Y("predicted_clv:Q",
                          title=f"predicted value, next horizon ({context.currency})"),
                    color=alt.Color(
                        "probability_alive:Q", title="P(alive)",
                        scale=alt.Scale(domain=[0, 1], scheme="redyellowgreen"),
                    ),
                    tooltip=list(points.columns),
                ),
                use_container_width=True,
            )
        risk = figures.churn_risk(path, segment)
        if risk.empty:
            right.info("No buyer with a churn probability in this selection.")
        else:
            right.altair_chart(
                alt.Chart(risk, title="Churn risk: buyers per probability of being alive")
                .mark_bar()
                .encode(
                    x=alt.X("band:N", title="P(alive)", sort=list(risk["band"])),
                    y=alt.Y("customers:Q"),
                    tooltip=["band", "customers", "predicted_clv", "predicted_value_lost"],
                ),
                use_container_width=True,
            )
        st.subheader(
            f"At-risk high-value customers, by predicted value lost ({context.currency})"
        )
        at_risk = figures.at_risk_list(path, segment)
        if at_risk.empty:
            st.info(
                "No VIP is below the at-risk threshold (var at_risk_max_probability_alive) "
                "in this selection."
            )
        else:
            money = context.money
            st.table(at_risk.set_index("customer_id").style.format({
                "predicted_value_lost": money, "predicted_clv": money,
                "lifetime_value": money, "probability_alive": "{:.3f}",
            }))


def section_transitions(path, segment: str, context: warehouse.ReportingContext) -> None:
    st.header("Segment transitions over time")
    refreshes = figures.refresh_count(path)
    moves = figures.transitions(path, segment)
    if moves is None:
        not_available("Segment transitions", "marts.segment_transitions")
        return
    if refreshes < 2:
        st.info(
            f"The segment history holds {refreshes} refresh(es): moves between segments "
            "appear after the next refresh."
        )
        return
    # refresh times are stored in UTC; shown on the shop's clock
    local = moves["refreshed_at"].dt.tz_localize("UTC").dt.tz_convert(context.timezone)
    moves = moves.assign(refreshed_at=local.dt.strftime("%Y-%m-%d %H:%M:%S"))
    st.altair_chart(
        alt.Chart(moves, title="Customers entering each segment, per refresh")
        .mark_bar()
        .encode(
            x=alt.X("refreshed_at:N", title="refresh", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(customers):Q", title="customers"),
            color=alt.Color("to_segment:N", title="entered"),
            tooltip=list(moves.columns),
        ),
        use_container_width=True,
    )
    st.dataframe(moves, hide_index=True, use_container_width=True, height=220)


def section_lookup(path, context: warehouse.ReportingContext) -> None:
    st.header("Customer lookup")
    default = st.query_params.get("customer", "")
    customer_id = st.text_input("Customer id", value=default, key="customer_id")
    if not customer_id.strip():
        st.caption("Type a customer id (e.g. from a segment list) to see the profile.")
        return
    row = figures.customer(path, customer_id)
    if row.empty:
        st.warning(f"No customer {customer_id.strip()!r} at this as-of.")
        return
    record = row.iloc[0]
    money = warehouse.money_columns(path, "marts", "customer_profile")

    def shown_value(column: str) -> str:
        value = record[column]
        if column in money and not pd.isna(value):
            return f"{value} {context.currency}".strip()
        return str(value)

    shown = pd.DataFrame(
        {"field": list(row.columns), "value": [shown_value(column) for column in row.columns]}
    )
    st.table(shown.set_index("field"))


def main() -> None:
    st.set_page_config(page_title="Segment dashboard", layout="wide")
    st.title("Customer segments")
    versions = warehouse.warehouse_versions()
    if not versions:
        st.error(f"No warehouse at {warehouse.published_path()}: run `make build` first.")
        return
    labels = [version.label for version in versions]
    choice = st.sidebar.selectbox("As of (refresh)", labels, index=0)
    version = versions[labels.index(choice)]
    segments = [warehouse.ALL_CUSTOMERS, *warehouse.segment_names(version.path)]
    wanted = st.query_params.get("segment", warehouse.ALL_CUSTOMERS)
    segment = st.sidebar.selectbox(
        "Segment", segments, index=segments.index(wanted) if wanted in segments else 0
    )
    st.sidebar.caption(f"Reading {version.path.name} read-only, one connection per query.")

    path = version.path
    context = warehouse.reporting_context(path)
    totals = figures.headline(path, segment)
    st.caption(f"As of {version.as_of} · segment: {segment} · amounts in {context.currency}")
    columns = st.columns(3)
    columns[0].metric("Customers", f"{int(totals['customers'])}")
    columns[1].metric("Buyers", f"{int(totals['buyers'])}")
    columns[2].metric(f"Revenue ({context.currency})", context.money(totals["revenue"]))

    section_segments(path, segment, context)
    section_geography(path, segment, context)
    section_demographics(path, segment)
    section_channels(path, segment)
    section_lifecycle_rfm(path, segment)
    section_lifetime_value(path, segment, context)
    section_transitions(path, segment, context)
    section_lookup(path, context)


main()
