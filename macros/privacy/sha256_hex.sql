{#
    SHA-256 of a text expression as 64 lower-case hex digits (null in, null out).
    DuckDB: sha256(x); Spark: sha2(x, 256); other engines: sha256(x).
#}
{% macro sha256_hex(expression) %}
    {{ return(adapter.dispatch('sha256_hex', 'segmentation')(expression)) }}
{% endmacro %}

{% macro default__sha256_hex(expression) -%}
    lower(sha256({{ expression }}))
{%- endmacro %}

{% macro duckdb__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro spark__sha256_hex(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}
