{# The select list that reads every contract column of `table_name` as clean text. #}
{% macro clean_raw_columns(table_name, relation_alias) -%}
    {%- for column_name in raw_contract()[table_name].columns %}
    {{ clean_text(relation_alias ~ '.' ~ column_name) }} as {{ column_name }}
    {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
