{#
    The materialization of the staging base tables base_shop__<t>, of the ledger
    stg_shop__raw_sources and of stg_shop__malformed_rows: 'incremental' on DuckDB (a
    refresh reads only what changed: docs/data-path.md), 'table' elsewhere (Spark here
    has parquet tables only: every run rebuilds them from every raw row; incremental on
    Spark is a later issue).
#}
{% macro base_table_materialization() %}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{% endmacro %}
