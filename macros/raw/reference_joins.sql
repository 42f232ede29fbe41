{#
    The left joins of a row (`relation_alias`) of `table_name` to the clean relations its
    references name (raw_contract), each aliased `<column>_reference`, for reference_reason.
#}
{% macro reference_joins(table_name, relation_alias) -%}
    {%- for reference in raw_contract()[table_name].references %}
    left join {{ ref(reference.model) }} as {{ reference.column }}_reference
        on {{ relation_alias }}.{{ reference.column }} = {{ reference.column }}_reference.{{ reference.column }}
    {%- endfor %}
{%- endmacro %}
