{#
    Lifetime value (BG/NBD + Gamma-Gamma) is fitted by dbt Python models, which dbt-duckdb
    runs inside the dbt process; dbt-spark runs Python models only on Databricks. So CLV is
    DuckDB-only: the Python models are enabled, and the models reading them join the
    predictions, only when this is true. Elsewhere the prediction columns are null with
    clv_null_reason 'clv_duckdb_only', and the run says so at its start.
#}
{% macro clv_is_available() %}
    {{ return(target.type == 'duckdb') }}
{% endmacro %}
