"""Segment dashboard for BI and marketing: `make dashboard` (streamlit run dashboard/app.py).

Reads the published warehouse ($DUCKDB_PATH) read-only, one connection per query, so every
rerun sees the latest publish. Filters: the as-of refresh (the published file and the
earlier versions the refresh keeps) and a segment. URL parameters `segment` and `customer`
preselect the segment filter and the customer lookup (for links and the browser test).
"""

from __future__ import annotations

import streamlit as st

from segwh.dashboard import figures, warehouse
from segwh.dashboard import sections_audience as audience
from segwh.dashboard import sections_value as value


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

    audience.section_segments(path, segment, context)
    audience.section_geography(path, segment, context)
    audience.section_demographics(path, segment)
    audience.section_channels(path, segment)
    audience.section_lifecycle_rfm(path, segment)
    value.section_lifetime_value(path, segment, context)
    value.section_transitions(path, segment, context)
    value.section_lookup(path, context)


main()
