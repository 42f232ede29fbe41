{#
    A FROM-clause expression reading one raw file with every value as text. CSV follows
    RFC 4180 (header row, comma, double quotes); nothing is trimmed or typed here.
#}
{% macro raw_file_sql(path, file_format) %}
    {{ return(adapter.dispatch('raw_file_sql', 'segmentation')(path, file_format)) }}
{% endmacro %}

{% macro default__raw_file_sql(path, file_format) %}
    {%- set quoted = "'" ~ path | replace("'", "''") ~ "'" -%}
    {%- if file_format == 'parquet' -%}
        {{ return('read_parquet(' ~ quoted ~ ')') }}
    {%- else -%}
        {{ return('read_csv(' ~ quoted ~ ", header = true, all_varchar = true, delim = ',', "
            ~ "quote = '\"', escape = '\"')") }}
    {%- endif -%}
{% endmacro %}
