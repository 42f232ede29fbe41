{#
    A boolean written as text, case-insensitively: true t yes y 1 -> true,
    false f no n 0 -> false, anything else -> null. Expects clean text.
#}
{% macro parse_boolean(expression) -%}
    case
        when lower({{ expression }}) in ('true', 't', 'yes', 'y', '1') then true
        when lower({{ expression }}) in ('false', 'f', 'no', 'n', '0') then false
    end
{%- endmacro %}
