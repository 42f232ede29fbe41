{# Which raw-data mode this invocation runs in: 'sample', 'raw_path' or 'raw_schema'. #}
{% macro raw_mode() %}
    {%- if var('raw_path') is not none and var('raw_schema') is not none -%}
        {{ exceptions.raise_compiler_error(
            "Set either var raw_path or var raw_schema, not both.") }}
    {%- elif var('raw_path') is not none -%}
        {{ return('raw_path') }}
    {%- elif var('raw_schema') is not none -%}
        {{ return('raw_schema') }}
    {%- else -%}
        {{ return('sample') }}
    {%- endif -%}
{% endmacro %}
