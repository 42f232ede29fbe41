{#
    The materialization of the staging base tables base_shop__<t>, of the ledger
    stg_shop__raw_sources and of stg_shop__malformed_rows: 'incremental' on every engine
    (a refresh reads only what changed: docs/data-path.md). On Spark the project's own
    incremental materialization writes them (macros/materializations/incremental.sql:
    append and delete+insert on parquet; docs/spark.md).
#}
{% macro base_table_materialization() %}
    {{ return('incremental') }}
{% endmacro %}
