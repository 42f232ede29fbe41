{#
    A FROM-clause relation reading the CSV file at `path` (header row, comma, RFC 4180)
    through the engine, every column as text. `name` names it, for engines that must
    register the file first.
#}
{% macro csv_file_relation(path, name) %}
    {{ return(adapter.dispatch('csv_file_relation', 'segmentation')(path, name)) }}
{% endmacro %}

{% macro default__csv_file_relation(path, name) %}
    {{ return("read_csv('" ~ path | replace("'", "''") ~ "', header = true, "
        ~ "all_varchar = true, delim = ',', quote = '\"', escape = '\"')") }}
{% endmacro %}

{% macro spark__csv_file_relation(path, name) %}
    {#- Spark reads a CSV file with options only through a table or a view: a temporary
        view (this session only; nothing is written). Spark string literals escape with \. -#}
    {%- set view_name = 'csv_file__' ~ name -%}
    {%- call statement('csv_file__' ~ name) -%}
        create or replace temporary view {{ view_name }}
        using csv
        options (
            path '{{ path | replace("\\", "\\\\") | replace("'", "\\'") }}',
            header 'true', sep ',', quote '"', escape '"', inferSchema 'false'
        )
    {%- endcall -%}
    {{ return(view_name) }}
{% endmacro %}
