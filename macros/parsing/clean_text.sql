{#
    Raw text as the contract reads it: surrounding whitespace (spaces, tabs, line
    breaks) trimmed, and an empty or whitespace-only value is null.
#}
{% macro clean_text(expression) %}
    {{ return(adapter.dispatch('clean_text', 'segmentation')(expression)) }}
{% endmacro %}

{% macro default__clean_text(expression) -%}
    nullif(trim({{ expression }}, ' ' || chr(9) || chr(10) || chr(13)), '')
{%- endmacro %}

{% macro spark__clean_text(expression) -%}
    nullif(trim(both ' ' || chr(9) || chr(10) || chr(13) from {{ expression }}), '')
{%- endmacro %}
