{#
    The row's clean values joined with `|` in the contract's column order (null as the
    empty string). Used as the last deduplication tie-break (the row sorting last wins)
    and shown in quarantine so that a rejected row can be found in the export.
#}
{% macro raw_record_text(table_name, relation_alias) -%}
    {%- set parts = [] -%}
    {%- for column_name in raw_contract()[table_name].columns -%}
        {%- do parts.append("coalesce(" ~ relation_alias ~ "." ~ column_name ~ ", '')") -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}
