{#
    The calendar date, in the shop's zone (var shop_timezone), of a UTC instant. Every
    calendar day of the warehouse (days since the last order, gaps between orders, the
    order month, ages, the rate of the day) is one of these.
#}
{% macro local_date(expression) -%}
    cast({{ utc_to_local(expression) }} as date)
{%- endmacro %}
