{#
    A FROM-clause relation reading one raw file with every value as text. CSV follows
    RFC 4180 (header row, comma, double quotes); nothing is trimmed or typed here.
    `table_name` names the raw table, for engines that must register the file first.
#}
{% macro raw_file_sql(path, file_format, table_name) %}
    {{ return(adapter.dispatch('raw_file_sql', 'segmentation')(path, file_format, table_name)) }}
{% endmacro %}

{% macro default__raw_file_sql(path, file_format, table_name) %}
    {%- set quoted = "'" ~ path | replace("'", "''") ~ "'" -%}
    {%- if file_format == 'parquet' -%}
        {{ return('read_parquet(' ~ quoted ~ ')') }}
    {%- else -%}
        {{ return('read_csv(' ~ quoted ~ ", header = true, all_varchar = true, delim = ',', "
            ~ "quote = '\"', escape = '\"')") }}
    {%- endif -%}
{% endmacro %}

{% macro spark__raw_file_sql(path, file_format, table_name) %}
    {#- Spark reads files through an external table (dropping it leaves the file alone) -#}
    {%- set file_table = 'raw_input.' ~ table_name ~ '__file' -%}
    {%- call statement('drop_' ~ table_name ~ '__file') -%}
        drop table if exists {{ file_table }}
    {%- endcall -%}
    {%- call statement('register_' ~ table_name ~ '__file') -%}
        create table {{ file_table }}
        using {{ file_format }}
        options (
            path '{{ path }}'
            {%- if file_format == 'csv' %},
            header 'true', sep ',', quote '"', escape '"', multiLine 'true',
            inferSchema 'false', encoding 'UTF-8'
            {%- endif %}
        )
    {%- endcall -%}
    {{ return(file_table) }}
{% endmacro %}
