{#
    `amount` (in some currency) in the reporting currency, rounded to cents:
    amount × `rate` (a to_reporting_rate of int_currency_rates_rebased), half away from
    zero, as decimal(18, 2). Null stays null.
#}
{% macro to_reporting_currency(amount, rate) -%}
    cast(round(cast({{ amount }} as decimal(18, 6)) * {{ rate }}, 2) as decimal(18, 2))
{%- endmacro %}
