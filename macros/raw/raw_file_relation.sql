{#
    The rows of one raw file (its columns from raw_file_columns), as a FROM-clause
    relation that the view raw_input.<table> selects from. A CSV line that cannot be read
    as a row (too many or too few fields, an unterminated quote, bytes not valid in the
    file's encoding: docs/data-path.md) is not in it: it is added to raw_input.malformed_rows
    with its table, file, line number and text, and the quarantine reads it from there.
#}
{% macro raw_file_relation(path, file_format, file_key, columns, table_name, source_name) %}
    {{ return(adapter.dispatch('raw_file_relation', 'segmentation')(
        path, file_format, file_key, columns, table_name, source_name)) }}
{% endmacro %}

{#
    DuckDB reads a CSV file once, here: into the table raw_input.<table>__<i>__file (every
    column, so every value is checked against the encoding), with store_rejects. The
    rejects are temporary tables of this connection: the malformed lines are copied to
    raw_input.malformed_rows before the hook ends. `line` counts CSV records (the header
    is 1): the file's line number unless an earlier value spans several lines.
#}
{% macro default__raw_file_relation(path, file_format, file_key, columns, table_name, source_name) %}
    {%- if file_format == 'parquet' -%}
        {{ return('read_parquet(' ~ raw_path_literal(path) ~ ')') }}
    {%- endif -%}
    {%- set file_table = 'raw_input.' ~ file_key ~ '__file' -%}
    {%- set rejects = 'raw_rejects_' ~ file_key -%}
    {%- set scans = 'raw_reject_scans_' ~ file_key -%}
    {%- set column_types = [] -%}
    {%- for column in columns -%}
        {%- do column_types.append("'" ~ column.sql ~ "': 'VARCHAR'") -%}
    {%- endfor -%}
    {%- call statement('load_' ~ file_key ~ '__file') -%}
        drop table if exists temp.{{ rejects }};
        drop table if exists temp.{{ scans }};
        create or replace table {{ file_table }} as
        select * from read_csv(
            {{ raw_path_literal(path) }},
            header = true, auto_detect = false, columns = { {{- column_types | join(', ') -}} },
            delim = ',', quote = '"', escape = '"', strict_mode = true,
            encoding = {{ raw_path_literal(raw_encoding()) }},
            store_rejects = true, rejects_table = '{{ rejects }}', rejects_scan = '{{ scans }}'
        );
        insert into raw_input.malformed_rows
        select
            '{{ table_name }}',
            {{ raw_path_literal(path) }},
            {{ raw_path_literal(source_name) }},
            rejected.line,
            trim(min(rejected.csv_line), chr(13) || chr(10)),
            string_agg(distinct rejected.error_type, ', ' order by rejected.error_type)
        from temp.{{ rejects }} as rejected
        group by rejected.line
    {%- endcall -%}
    {{ return(file_table) }}
{% endmacro %}

{#
    Spark reads a CSV file once, here, like DuckDB: the external table
    raw_input.<table>__<i>__csv (PERMISSIVE mode with a corrupt-record column: a line with
    too many or too few fields or an unterminated quote comes with its text there) is
    written into the parquet table raw_input.<table>__<i>__file with its malformed-line
    reason computed once, in the column _malformed_reason; the view and the malformed
    lines read that table. Spark decodes bytes that are not valid in the encoding as
    U+FFFD instead of rejecting the line: a row holding U+FFFD is taken as malformed too
    (its text rebuilt from its values). Spark gives no line numbers (line_number is null);
    prepare_raw_inputs says so at the start of the run.
    Why a table and not a filter on the CSV table: a condition over every column of the
    file (the U+FFFD check), under the view's renaming of each column, makes Spark's
    optimizer derive one constraint per combination of old and new column names (2^n
    for n columns: 2 million for the 21 columns of customers), which ran the Thrift
    Server out of its 2 GB heap (docs/spark.md "Raw CSV files on Spark"). A condition on
    the one column _malformed_reason derives one. And every query on a view over the CSV table
    would parse the file again (multiLine: one task per file); the parquet table is read
    instead, and Spark's rule that a query must not read only the corrupt-record column
    (its docs recommend caching the parsed result) no longer applies to the readers.
#}
{% macro spark__raw_file_relation(path, file_format, file_key, columns, table_name, source_name) %}
    {%- set file_table = 'raw_input.' ~ file_key ~ '__file' -%}
    {%- if file_format == 'parquet' -%}
        {{ return(file_table) }}
    {%- endif -%}
    {%- set csv_table = 'raw_input.' ~ file_key ~ '__csv' -%}
    {%- set column_list = [] -%}
    {%- for column in columns -%}
        {%- do column_list.append(column.sql) -%}
    {%- endfor -%}
    {%- set has_replacement = "instr(concat_ws('', " ~ column_list | join(', ')
        ~ "), decode(unhex('EFBFBD'), 'UTF-8')) > 0" -%}
    {#- raw_file_columns registered file_table as the CSV file (header only): replaced -#}
    {%- call statement('drop_' ~ file_key ~ '__file') -%}
        drop table if exists {{ file_table }}
    {%- endcall -%}
    {%- call statement('drop_' ~ file_key ~ '__csv') -%}
        drop table if exists {{ csv_table }}
    {%- endcall -%}
    {%- call statement('register_' ~ file_key ~ '__csv') -%}
        create table {{ csv_table }} (
            {%- for name in column_list %}
            {{ name }} string,
            {%- endfor %}
            _corrupt_record string
        )
        using csv
        options (
            path {{ raw_path_literal(path) }},
            header 'true', sep ',', quote '"', escape '"', multiLine 'true',
            inferSchema 'false', encoding {{ raw_path_literal(raw_encoding()) }},
            mode 'PERMISSIVE', columnNameOfCorruptRecord '_corrupt_record'
        )
    {%- endcall -%}
    {#- every column read: Spark refuses a query that reads only the corrupt-record column -#}
    {%- call statement('load_' ~ file_key ~ '__file') -%}
        create table {{ file_table }} using parquet as
        select
            {%- for name in column_list %}
            {{ name }},
            {%- endfor %}
            _corrupt_record,
            case
                when _corrupt_record is not null then 'MALFORMED'
                when {{ has_replacement }} then 'INVALID ENCODING'
            end as _malformed_reason
        from {{ csv_table }}
    {%- endcall -%}
    {%- call statement('malformed_' ~ file_key) -%}
        insert into raw_input.malformed_rows
        select
            '{{ table_name }}',
            {{ raw_path_literal(path) }},
            {{ raw_path_literal(source_name) }},
            cast(null as bigint),
            coalesce(_corrupt_record, concat_ws(',', {{ column_list | join(', ') }})),
            _malformed_reason
        from {{ file_table }}
        where _malformed_reason is not null
    {%- endcall -%}
    {{ return('(select * from ' ~ file_table ~ ' where _malformed_reason is null)') }}
{% endmacro %}
