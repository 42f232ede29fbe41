{#
    `timestamp_expression` plus `interval` units of `datepart` (day, hour, minute, second),
    keeping fractional seconds and passing nulls through. dbt's own dateadd is used
    where it does that; on Spark it would raise on a null and drop fractional seconds.
#}
{% macro timestamp_add(datepart, interval, timestamp_expression) %}
    {{ return(adapter.dispatch('timestamp_add', 'segmentation')(
        datepart, interval, timestamp_expression)) }}
{% endmacro %}

{% macro default__timestamp_add(datepart, interval, timestamp_expression) -%}
    {{ dbt.dateadd(datepart, interval, timestamp_expression) }}
{%- endmacro %}

{% macro spark__timestamp_add(datepart, interval, timestamp_expression) -%}
    timestampadd({{ datepart | upper }}, {{ interval }}, {{ timestamp_expression }})
{%- endmacro %}
