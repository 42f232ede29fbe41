{#
    on-run-start hook: says once, at the start of a run, what this engine skips, so that a
    missing relation is never a surprise. `skipped` lists, per engine, what does not run
    there and why (segment history runs everywhere: models/history). Lifetime value needs
    dbt Python models, which run on DuckDB only (macro clv_is_available): it is added to
    the list of every engine where clv_is_available() is false.
#}
{% macro note_engine_differences() %}
    {%- set skipped = {'spark': []} -%}
    {%- set here = skipped.get(target.type, []) -%}
    {%- if not clv_is_available() -%}
        {%- set here = here + [
            "lifetime value (CLV), which is DuckDB-only: the dbt Python models "
            ~ "int_clv_models_fitted and int_customers_clv_predicted and the mart "
            ~ "clv_model_fit are skipped; in marts.customer_profile the prediction columns "
            ~ "(expected_orders_next_horizon, probability_alive, expected_order_value, "
            ~ "predicted_clv, predicted_value_lost, predicted_spend_tier) are null with "
            ~ "clv_null_reason 'clv_duckdb_only', and segments.at_risk_high_value is empty"] -%}
    {%- endif -%}
    {%- if execute and here -%}
        {{ log(target.type | capitalize ~ " target: skipping " ~ here | join('; ')
            ~ ". Every other model and test runs.", info=True) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
