{#
    A raw CSV line (`expression`) as its comma-separated fields between commas
    (`,f1,f2,…,`), each field without the spaces and double quotes around it: a field
    equal to an id `x` is then found as `,x,` (stg_shop__malformed_rows: the lines of an
    erased customer). A heuristic for lines that could not be read as a row: a quoted
    field holding a comma is split there.
#}
{% macro malformed_line_fields(expression) -%}
    {{ dbt.concat([
        "','",
        regex_replace_all(regex_replace_all(expression, '^[ "]+|[ "]+$', ''),
                          '[ "]*,[ "]*', ','),
        "','"
    ]) }}
{%- endmacro %}
