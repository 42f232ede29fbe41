{#
    Calendar days from `first_date` to `second_date` (dates), null when either is null.
    dbt's datediff raises on nulls on Spark, so Spark gets its own.
#}
{% macro days_between(first_date, second_date) %}
    {{ return(adapter.dispatch('days_between', 'segmentation')(first_date, second_date)) }}
{% endmacro %}

{% macro default__days_between(first_date, second_date) -%}
    {{ dbt.datediff(first_date, second_date, 'day') }}
{%- endmacro %}

{% macro spark__days_between(first_date, second_date) -%}
    datediff({{ second_date }}, {{ first_date }})
{%- endmacro %}
