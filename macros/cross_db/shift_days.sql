{#
    `timestamp_expression` (a UTC instant) moved by `days` calendar days of the shop's
    zone: the same wall-clock time `days` days later (earlier when negative), as a UTC
    instant. On UTC that is days × 24 hours; across a DST change it is an hour more or
    less, as a shop's own "the last 90 days" is. Every "N days" window uses it.
#}
{% macro shift_days(days, timestamp_expression) -%}
    {%- if shop_timezone() == 'UTC' -%}
        {{ timestamp_add('day', days, timestamp_expression) }}
    {%- else -%}
        {{ local_to_utc(timestamp_add('day', days, utc_to_local(timestamp_expression))) }}
    {%- endif -%}
{%- endmacro %}
