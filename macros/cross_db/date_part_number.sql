{#
    A date part ('year', 'month', 'day') of a date or timestamp as an integer. dbt-core
    ships no cross-database date_part, so it is dispatched here: ANSI extract() works on
    DuckDB, Postgres and Spark 3.
#}
{% macro date_part_number(part, expression) %}
    {{ return(adapter.dispatch('date_part_number', 'segmentation')(part, expression)) }}
{% endmacro %}

{% macro default__date_part_number(part, expression) -%}
    cast(extract({{ part }} from {{ expression }}) as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro spark__date_part_number(part, expression) -%}
    cast({{ part }}({{ expression }}) as bigint)
{%- endmacro %}
