{#
    on-run-start hook: says once, at the start of a run, what this engine skips, so that a
    missing relation is never a surprise. Spark here has no Delta/Iceberg: the snapshot of
    segment membership and the two history marts built on it are DuckDB-only. Lifetime value
    needs dbt Python models, which run on DuckDB only (macro clv_is_available).
#}
{% macro note_engine_differences() %}
    {%- if execute and target.type == 'spark' -%}
        {{ log("Spark target: skipping the DuckDB-only snapshot segment_membership_snapshot "
            ~ "and marts segment_membership_history, segment_transitions (snapshots need "
            ~ "Delta/Iceberg on Spark).", info=True) }}
    {%- endif -%}
    {%- if execute and not clv_is_available() -%}
        {{ log(target.type ~ " target: lifetime value (CLV) is DuckDB-only: the dbt Python "
            ~ "models int_clv_models_fitted and int_customers_clv_predicted and the mart "
            ~ "clv_model_fit are skipped; in marts.customer_profile the prediction columns "
            ~ "(expected_orders_next_horizon, probability_alive, expected_order_value, "
            ~ "predicted_clv, predicted_value_lost, predicted_spend_tier) are null with "
            ~ "clv_null_reason 'clv_duckdb_only', and segments.at_risk_high_value is empty. "
            ~ "Every other model and test runs.", info=True) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
