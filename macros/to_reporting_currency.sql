{#
    `amount` (in some currency) in the reporting currency, rounded to cents:
    amount × `rate` (a to_reporting_rate of int_currency_rates_rebased), half away from
    zero, as decimal(18, 2). Null stays null.
    An amount already in the reporting currency (rate exactly 1) is only rounded: the same
    value, but without the 36-digit product, whose rounding is slow on DuckDB (several
    seconds per 10M rows); most amounts are in the reporting currency.
#}
{% macro to_reporting_currency(amount, rate) -%}
    case
        when {{ rate }} = 1
            then cast(round(cast({{ amount }} as decimal(18, 6)), 2) as decimal(18, 2))
        else cast(round(cast({{ amount }} as decimal(18, 6)) * {{ rate }}, 2) as decimal(18, 2))
    end
{%- endmacro %}
