{#
    Post-hook of the staging base tables base_shop__<t> (incremental run): deletes the
    stored copies of the rows without an id that the run has written again scrubbed
    (keyless_erasure_condition: their customer was erased since they were stored).
    delete+insert on the id cannot reach them (their id is null); the scrubbed copies the
    run wrote (is_erased) and every row it wrote (_loaded_at of this run) stay.
#}
{% macro delete_erased_keyless_rows(table_name) %}
    {%- if not execute or not is_incremental() or read_plan(table_name).full -%}
        {{ return('') }}
    {%- endif -%}
    {#- no alias: on Spark the project's incremental materialization carries out a
        `delete from <this> where ...` by rewriting the table (spark_delete_hook_condition) -#}
    {{ return('delete from ' ~ this ~ ' where _loaded_at < ' ~ loaded_at() ~ ' and '
        ~ keyless_erasure_condition(table_name, none)) }}
{% endmacro %}
