{#
    on-run-end hook: drops the schema raw_input (the views onto the raw files or tables,
    the CSV files' load tables, the read plan and the malformed lines), so that the built
    file holds the warehouse, not the plumbing (issue 14 item 5: they would expose raw
    personal data to every BI reader and break as soon as the raw files move). The
    staging models have copied what they keep. Runs after a failed model too.
#}
{% macro drop_raw_inputs() %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- if adapter.get_relation(database=target.database, schema='raw_input',
                                identifier='read_plan') is none
        and target.type == 'duckdb' -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(adapter.dispatch('drop_raw_inputs', 'segmentation')()) }}
{% endmacro %}

{% macro default__drop_raw_inputs() %}
    {%- call statement('drop_raw_inputs') -%}
        drop schema if exists raw_input cascade
    {%- endcall -%}
    {%- do adapter.commit() -%}
    {{ return('') }}
{% endmacro %}
