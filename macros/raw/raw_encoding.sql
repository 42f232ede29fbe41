{#
    The encoding of the raw CSV files (var raw_encoding: utf-8, latin-1 or utf-16; the
    var is validated with the others), as the engine's CSV reader names it.
#}
{% macro raw_encoding() %}
    {{ return(adapter.dispatch('raw_encoding', 'segmentation')()) }}
{% endmacro %}

{% macro default__raw_encoding() %}
    {{ return(var('raw_encoding', 'utf-8') | string | lower) }}
{% endmacro %}

{% macro spark__raw_encoding() %}
    {%- set names = {'utf-8': 'UTF-8', 'latin-1': 'ISO-8859-1', 'utf-16': 'UTF-16'} -%}
    {%- set name = default__raw_encoding() -%}
    {{ return(names.get(name, name)) }}
{% endmacro %}
