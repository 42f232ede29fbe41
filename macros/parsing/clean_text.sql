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

{#
    DuckDB: most raw values have no surrounding whitespace, and trim() with a character
    list costs about 2 s per 30M values here; a value whose first and last characters are
    above the space (code > 32) is returned as it is, the rest go through trim. Same
    result: such a value has nothing to trim and is not empty.
#}
{% macro duckdb__clean_text(expression) -%}
    case
        when ascii({{ expression }}) > 32 and ascii(right({{ expression }}, 1)) > 32
            then {{ expression }}
        else nullif(trim({{ expression }}, ' ' || chr(9) || chr(10) || chr(13)), '')
    end
{%- endmacro %}

{% macro spark__clean_text(expression) -%}
    nullif(trim(both ' ' || chr(9) || chr(10) || chr(13) from {{ expression }}), '')
{%- endmacro %}
