{#
    The reject reason of a row (`relation_alias`) of `table_name` that passed its own
    checks, from its references (raw_contract: unknown_customer, unknown_order,
    unknown_product, in the contract's order): the first reference column that is set and
    not found among the clean rows it names; null when every reference is clean. The
    clean relations are joined by reference_joins, aliased `<column>_reference`.
#}
{% macro reference_reason(table_name, relation_alias) -%}
    {%- set references = raw_contract()[table_name].references -%}
    {%- if not references -%}
    cast(null as {{ dbt.type_string() }})
    {%- else -%}
    case
        {%- for reference in references %}
        when {{ relation_alias }}.{{ reference.column }} is not null
            and {{ reference.column }}_reference.{{ reference.column }} is null
            then '{{ reference.reason }}'
        {%- endfor %}
    end
    {%- endif -%}
{%- endmacro %}
