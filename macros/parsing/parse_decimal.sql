{# A decimal number written as text (`12`, `-3.50`, `.5`), else null. Expects clean text. #}
{% macro parse_decimal(expression) -%}
    case
        when {{ regex_matches(expression, '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)') }}
            then {{ try_cast(expression, 'decimal(38, 6)') }}
    end
{%- endmacro %}
