"""Dashboard sections on what the customers are worth and how they move: lifetime value,
segment transitions, and one customer's profile."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from segwh.dashboard import figures, warehouse
from segwh.dashboard.charts import not_available


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
