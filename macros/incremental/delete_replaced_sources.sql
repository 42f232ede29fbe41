{#
    Pre-hook of the tables that hold rows of every raw table by source (the ledger
    stg_shop__raw_sources, the malformed lines stg_shop__malformed_rows): before the run
    inserts the sources it read, the rows of the sources it replaces (read again or gone:
    read_plan) go; every row when the run reads everything. `source_column` names the
    source column.
#}
{% macro delete_replaced_sources(source_column) %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set conditions = [] -%}
    {%- for table_name in raw_contract().keys() | list + ['erasures'] -%}
        {%- set plan = read_plan(table_name) -%}
        {%- if plan.full -%}
            {{ return('delete from ' ~ this) }}
        {%- endif -%}
        {%- if plan.replaced -%}
            {%- do conditions.append("(source_table = '" ~ table_name ~ "' and "
                ~ source_column ~ " in " ~ sql_list(plan.replaced) ~ ")") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not conditions -%}
        {{ return('') }}
    {%- endif -%}
    {{ return('delete from ' ~ this ~ ' where ' ~ conditions | join(' or ')) }}
{% endmacro %}
