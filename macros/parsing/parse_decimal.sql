{# A decimal number written as text (`12`, `-3.50`, `.5`), else null. Expects clean text. #}
{% macro parse_decimal(expression) %}
    {{ return(adapter.dispatch('parse_decimal', 'segmentation')(expression)) }}
{% endmacro %}

{% macro default__parse_decimal(expression) -%}
    case
        when {{ regex_matches(expression, '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)') }}
            then {{ try_cast(expression, 'decimal(38, 6)') }}
    end
{%- endmacro %}

{#
    DuckDB casts text to decimal(38, 6) (a 128-bit decimal) about 60 times slower than to
    decimal(18, 6): try the narrow type first and widen the result; only numbers that do
    not fit 12 integer digits take the wide cast. Same values, same rounding.
#}
{% macro duckdb__parse_decimal(expression) -%}
    case
        when {{ regex_matches(expression, '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)') }}
            then coalesce(
                cast(try_cast({{ expression }} as decimal(18, 6)) as decimal(38, 6)),
                try_cast({{ expression }} as decimal(38, 6))
            )
    end
{%- endmacro %}
