{#
    The relation a staging base model reads raw rows of `table_name` from, whatever the
    raw-data mode:
      - bundled sample (no raw var set): the seed of that name (all columns text);
      - raw_path or raw_schema: the view that prepare_raw_inputs() made in schema
        `raw_input`, exposing exactly the contract's columns as text (absent optional
        columns as nulls).
    Only staging base models call this, so source() stays in staging.
#}
{% macro raw_table(table_name) %}
    {%- if var('raw_path') is none and var('raw_schema') is none -%}
        {{ return(ref(table_name)) }}
    {%- else -%}
        {{ return(source('shop', table_name)) }}
    {%- endif -%}
{% endmacro %}
