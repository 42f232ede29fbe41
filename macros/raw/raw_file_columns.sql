{#
    Opens one raw file of a raw_path directory (`file_key`: <table>__<i>, unique per file) and returns its columns, before any row
    is read: {'columns': [{'name', 'type', 'sql'}, ...]} (`sql` = how the reader that
    raw_file_relation returns names the column), or {'problem': a phrase to put after
    the file's name} when the file cannot be read at all.
    CSV on DuckDB: the header row is read by segwh_csv_header (segwh/duckdb_plugin.py:
    an empty, binary or undecodable file is a problem, not a DuckDB error), in the
    encoding of var raw_encoding; the columns are then read by position (column_<i>).
#}
{% macro raw_file_columns(path, file_format, file_key) %}
    {{ return(adapter.dispatch('raw_file_columns', 'segmentation')(path, file_format, file_key)) }}
{% endmacro %}

{% macro default__raw_file_columns(path, file_format, file_key) %}
    {%- if file_format == 'parquet' -%}
        {%- set columns = [] -%}
        {%- for column in raw_column_types('read_parquet(' ~ raw_path_literal(path) ~ ')') -%}
            {%- do columns.append({'name': column.name, 'type': column.type,
                                   'sql': adapter.quote(column.name)}) -%}
        {%- endfor -%}
        {{ return({'columns': columns}) }}
    {%- endif -%}
    {%- set answer = fromjson(run_query('select segwh_csv_header(' ~ raw_path_literal(path)
        ~ ', ' ~ raw_path_literal(raw_encoding()) ~ ')').columns[0].values()[0]) -%}
    {%- if answer.problem is defined -%}
        {{ return({'problem': answer.problem}) }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for name in answer.columns -%}
        {%- do columns.append({'name': name, 'type': 'VARCHAR', 'sql': 'column_' ~ loop.index0}) -%}
    {%- endfor -%}
    {{ return({'columns': columns}) }}
{% endmacro %}

{% macro spark__raw_file_columns(path, file_format, file_key) %}
    {#- Spark reads files through an external table (dropping it leaves the file alone);
        a CSV file's header row names its columns here. -#}
    {%- set file_table = 'raw_input.' ~ file_key ~ '__file' -%}
    {%- call statement('drop_' ~ file_key ~ '__file') -%}
        drop table if exists {{ file_table }}
    {%- endcall -%}
    {%- call statement('register_' ~ file_key ~ '__file') -%}
        create table {{ file_table }}
        using {{ file_format }}
        options (
            path {{ raw_path_literal(path) }}
            {%- if file_format == 'csv' %},
            header 'true', sep ',', quote '"', escape '"', multiLine 'true',
            inferSchema 'false', encoding {{ raw_path_literal(raw_encoding()) }}
            {%- endif %}
        )
    {%- endcall -%}
    {%- set columns = [] -%}
    {%- for column in raw_column_types(file_table) -%}
        {%- do columns.append({'name': column.name, 'type': column.type,
            'sql': ('column_' ~ loop.index0) if file_format == 'csv' else adapter.quote(column.name)}) -%}
    {%- endfor -%}
    {%- if not columns -%}
        {{ return({'problem': 'is empty: a CSV export has at least its header row'}) }}
    {%- endif -%}
    {{ return({'columns': columns}) }}
{% endmacro %}
