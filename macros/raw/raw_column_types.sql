{#
    The columns of a raw relation (`from_sql`: a table, or a FROM-clause reader such as
    read_parquet(...)) in order, as a list of {'name': ..., 'type': ...} with each type as
    the engine describes it (raw_value_text reads it).
#}
{% macro raw_column_types(from_sql) %}
    {{ return(adapter.dispatch('raw_column_types', 'segmentation')(from_sql)) }}
{% endmacro %}

{% macro default__raw_column_types(from_sql) %}
    {%- set described = run_query('describe select * from ' ~ from_sql ~ ' as raw_probe') -%}
    {%- set columns = [] -%}
    {%- for row in described.rows -%}
        {%- do columns.append({'name': row[0], 'type': row[1]}) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}

{% macro spark__raw_column_types(from_sql) %}
    {%- set described = run_query('describe query select * from ' ~ from_sql ~ ' as raw_probe') -%}
    {%- set columns = [] -%}
    {%- for row in described.rows -%}
        {%- do columns.append({'name': row[0], 'type': row[1]}) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}
