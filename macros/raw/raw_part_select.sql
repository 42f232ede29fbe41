{#
    The select of one raw source (a file or a table, `from_sql`) in the view
    raw_input.<table>: the contract's columns (`contract_columns`) as text, found among
    the source's `columns` case- and space-insensitively (absent ones as nulls; extra ones
    ignored), then `_source` (the source's name) and `_deleted` (the tombstone flag as
    text, from the first of tombstone_columns found; null when there is none).
    `batch_filter`: a condition on the source's rows (a loaded-at batch), or none.
#}
{% macro raw_part_select(columns, contract_columns, from_sql, source_name, batch_filter) %}
    {%- set found = {} -%}
    {%- for column in columns -%}
        {%- do found.update({column.name | trim | lower: column}) -%}
    {%- endfor -%}
    {%- set select_list = [] -%}
    {%- for column_name in contract_columns -%}
        {%- if column_name in found -%}
            {%- do select_list.append(raw_value_text(found[column_name].sql,
                found[column_name].type) ~ ' as ' ~ column_name) -%}
        {%- else -%}
            {%- do select_list.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column_name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do select_list.append('cast(' ~ raw_path_literal(source_name) ~ ' as '
        ~ dbt.type_string() ~ ') as _source') -%}
    {%- set flag = tombstone_columns() | select('in', found) | first -%}
    {%- if flag -%}
        {%- do select_list.append(raw_value_text(found[flag].sql, found[flag].type)
            ~ ' as _deleted') -%}
    {%- else -%}
        {%- do select_list.append('cast(null as ' ~ dbt.type_string() ~ ') as _deleted') -%}
    {%- endif -%}
    {%- set sql -%}
        select {{ select_list | join(', ') }}
        {%- if from_sql is not none %}
        from {{ from_sql }} as raw_rows
        {%- endif %}
        {%- if batch_filter %}
        where {{ batch_filter }}
        {%- endif %}
    {%- endset -%}
    {{ return(sql) }}
{% endmacro %}
