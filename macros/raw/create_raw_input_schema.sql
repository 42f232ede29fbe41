{# Creates the schema that holds the raw_input views (raw_path / raw_schema modes). #}
{% macro create_raw_input_schema(schema_name) %}
    {{ return(adapter.dispatch('create_raw_input_schema', 'segmentation')(schema_name)) }}
{% endmacro %}

{% macro default__create_raw_input_schema(schema_name) %}
    {%- call statement('create_raw_input_schema') -%}
        create schema if not exists {{ schema_name }}
    {%- endcall -%}
{% endmacro %}
