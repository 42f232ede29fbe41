{#
    on-run-start hook. In raw_path and raw_schema modes, checks every raw table before
    anything is built and exposes it as a view `raw_input.<table>` holding exactly the
    contract's columns as text:
      - a missing file or table, or a missing required column, fails the invocation at
        once with a message naming the file (or table) and the column;
      - an absent optional column becomes a column of nulls;
      - extra columns are ignored; header names match case- and space-insensitively.
    In the sample mode it does nothing (the seeds are already in the contract's shape).
#}
{% macro prepare_raw_inputs() %}
    {%- if not execute or raw_mode() == 'sample' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set contract = raw_contract() -%}
    {%- do create_raw_input_schema('raw_input') -%}
    {%- for table_name, spec in contract.items() -%}
        {%- if raw_mode() == 'raw_path' -%}
            {%- set located = locate_raw_file(var('raw_path'), table_name) -%}
            {%- set label = located.path -%}
            {%- set from_sql = raw_file_sql(located.path, located.format, table_name) -%}
        {%- else -%}
            {%- set relation = adapter.get_relation(
                database=target.database, schema=var('raw_schema'), identifier=table_name) -%}
            {%- if relation is none -%}
                {{ exceptions.raise_compiler_error(
                    "Raw table " ~ var('raw_schema') ~ "." ~ table_name
                    ~ " does not exist (var raw_schema). The raw contract needs the tables: "
                    ~ contract.keys() | join(', ')) }}
            {%- endif -%}
            {%- set label = 'table ' ~ relation -%}
            {%- set from_sql = relation -%}
        {%- endif -%}
        {%- set probe = run_query('select * from ' ~ from_sql ~ ' as raw_probe limit 0') -%}
        {%- set found = {} -%}
        {%- for column_name in probe.column_names -%}
            {%- do found.update({column_name | trim | lower: column_name}) -%}
        {%- endfor -%}
        {%- for column_name in spec.required -%}
            {%- if column_name not in found -%}
                {{ exceptions.raise_compiler_error(
                    "Raw " ~ label ~ " is missing the required column '" ~ column_name
                    ~ "' (columns found: " ~ probe.column_names | join(', ') ~ ").") }}
            {%- endif -%}
        {%- endfor -%}
        {%- set select_list = [] -%}
        {%- for column_name in spec.columns -%}
            {%- if column_name in found -%}
                {%- do select_list.append(
                    'cast(' ~ adapter.quote(found[column_name]) ~ ' as '
                    ~ dbt.type_string() ~ ') as ' ~ column_name) -%}
            {%- else -%}
                {%- do select_list.append(
                    'cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column_name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- call statement('raw_input_' ~ table_name) -%}
            create or replace view raw_input.{{ table_name }} as
            select {{ select_list | join(', ') }} from {{ from_sql }} as raw_rows
        {%- endcall -%}
        {{ log("raw input " ~ table_name ~ ": " ~ label, info=True) }}
    {%- endfor -%}
    {#- hooks run inside a transaction that dbt rolls back: keep the views -#}
    {%- do adapter.commit() -%}
    {{ return('') }}
{% endmacro %}
