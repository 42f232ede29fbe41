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
    list costs about 2 s per 30M values here; a value whose first character is above the
    space (code > 32) and whose last character is none of the four trimmed ones is returned
    as it is, the rest go through trim. Same result: such a value has nothing to trim and
    is not empty. The end is tested with ends_with (bytes): right(x, 1) counts characters
    and costs about 1 s per 30M values.
#}
{% macro duckdb__clean_text(expression) -%}
    case
        when ascii({{ expression }}) > 32
            and not (ends_with({{ expression }}, ' ') or ends_with({{ expression }}, chr(9))
                or ends_with({{ expression }}, chr(10)) or ends_with({{ expression }}, chr(13)))
            then {{ expression }}
        else nullif(trim({{ expression }}, ' ' || chr(9) || chr(10) || chr(13)), '')
    end
{%- endmacro %}

{% macro spark__clean_text(expression) -%}
    nullif(trim(both ' ' || chr(9) || chr(10) || chr(13) from {{ expression }}), '')
{%- endmacro %}
