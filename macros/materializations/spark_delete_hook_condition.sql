{#
    Spark (parquet): the rows a hook statement `sql` deletes from `relation`, when the
    statement is a DELETE of that table: '' for `delete from <relation>` (every row), the
    condition for `delete from <relation> where <condition>`; none for any other
    statement (run as it is). The project's hooks of the incremental tables
    (delete_replaced_rows, delete_replaced_sources, delete_placeholder_rows) write such
    DELETEs, which DuckDB runs and parquet tables refuse: the Spark incremental
    materialization (incremental.sql) carries them out by rewriting the table.
#}
{% macro spark_delete_hook_condition(sql, relation) %}
    {%- set statement = sql | trim -%}
    {%- set head = 'delete from ' ~ relation -%}
    {%- if statement | lower == head | lower -%}
        {{ return('') }}
    {%- endif -%}
    {%- set head = head ~ ' where ' -%}
    {%- if statement[:head | length] | lower == head | lower -%}
        {{ return(statement[head | length:]) }}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}
