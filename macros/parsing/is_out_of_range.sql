{#
    True when a required event timestamp is outside what the shop can have recorded:
    after the build's clock plus one day, or before var min_valid_date.
#}
{% macro is_out_of_range(timestamp_expression) -%}
    ({{ timestamp_expression }} > {{ timestamp_add('day', 1, build_clock()) }}
        or {{ timestamp_expression }}
        < cast('{{ checked_var("min_valid_date") }}' as {{ dbt.type_timestamp() }}))
{%- endmacro %}
