{# A whole number written as text (`3`, `-1`, `+2`), else null. Expects clean text. #}
{% macro parse_integer(expression) -%}
    case
        when {{ regex_matches(expression, '[+-]?[0-9]+') }}
            then {{ try_cast(expression, dbt.type_bigint()) }}
    end
{%- endmacro %}
