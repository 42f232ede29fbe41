{#
    on-run-start hook. In raw_path and raw_schema modes, checks every raw table before
    anything is built and exposes it as a view `raw_input.<table>` holding exactly the
    contract's columns as text:
      - a typed column (Parquet, a warehouse table) is read as its value, written as one
        canonical text per type (raw_value_text: a zoned timestamp as its UTC instant);
      - an absent optional column becomes a column of nulls; extra columns are ignored;
        header names match case- and space-insensitively;
      - a CSV line that cannot be read as a row goes to raw_input.malformed_rows (the
        quarantine reads it: reason malformed_row), and the rest of the file loads.
    A table that cannot be read at all fails the invocation before anything is built,
    with one line per file or table naming it (every such problem of the directory at
    once): a missing file or table, two files (or a file and a folder) for one table, an
    empty or binary file, a CSV file without a comma-separated header row, a missing
    required column.
    In the sample mode it does nothing (the seeds are already in the contract's shape).
#}
{% macro prepare_raw_inputs() %}
    {%- if not execute or raw_mode() == 'sample' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set contract = raw_contract() -%}
    {%- do create_raw_input_schema('raw_input') -%}
    {%- do create_malformed_rows_table() -%}
    {%- set listing = list_raw_directory(var('raw_path')) if raw_mode() == 'raw_path' else [] -%}
    {%- set problems = [] -%}
    {%- set opened_tables = [] -%}
    {%- set csv_files = [] -%}
    {%- for table_name, spec in contract.items() -%}
        {%- set opened = {} -%}
        {%- if raw_mode() == 'raw_path' -%}
            {%- set located = locate_raw_file(var('raw_path'), listing, table_name) -%}
            {%- if located.problem is defined -%}
                {%- do opened.update({'problem': located.problem}) -%}
            {%- else -%}
                {%- set label = 'file ' ~ located.path -%}
                {%- set file_columns = raw_file_columns(located.path, located.format, table_name) -%}
                {%- if file_columns.problem is defined -%}
                    {%- do opened.update({'problem': 'Raw ' ~ label ~ ' ' ~ file_columns.problem}) -%}
                {%- else -%}
                    {%- do opened.update({'label': label, 'columns': file_columns.columns,
                                          'located': located}) -%}
                {%- endif -%}
            {%- endif -%}
        {%- else -%}
            {%- set relation = adapter.get_relation(
                database=target.database, schema=var('raw_schema'), identifier=table_name) -%}
            {%- if relation is none -%}
                {%- do opened.update({'problem': "Raw table " ~ var('raw_schema') ~ "."
                    ~ table_name ~ " does not exist (var raw_schema). The raw contract needs "
                    ~ "the tables: " ~ contract.keys() | join(', ')}) -%}
            {%- else -%}
                {%- set columns = [] -%}
                {%- for column in raw_column_types(relation) -%}
                    {%- do columns.append({'name': column.name, 'type': column.type,
                                           'sql': adapter.quote(column.name)}) -%}
                {%- endfor -%}
                {%- do opened.update({'label': 'table ' ~ relation, 'columns': columns,
                                      'from_sql': relation}) -%}
            {%- endif -%}
        {%- endif -%}
        {%- if opened.problem is not defined -%}
            {%- set problem = missing_required_problem(opened.label, opened.columns, spec.required,
                opened.located is defined and opened.located.format == 'csv') -%}
            {%- if problem -%}
                {%- do opened.update({'problem': problem}) -%}
            {%- endif -%}
        {%- endif -%}
        {%- if opened.problem is defined -%}
            {%- do problems.append(opened.problem) -%}
        {%- endif -%}
        {%- do opened.update({'table_name': table_name, 'spec': spec}) -%}
        {%- do opened_tables.append(opened) -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "The raw data cannot be read; nothing was built:\n" ~ problems | join('\n')) }}
    {%- endif -%}
    {#- every table is readable: read the files, and expose each table as its view -#}
    {%- for opened in opened_tables -%}
        {#- said before reading: an engine error while reading follows its file's name -#}
        {{ log("raw input " ~ opened.table_name ~ ": " ~ opened.label, info=True) }}
        {%- if opened.located is defined -%}
            {%- do opened.update({'from_sql': raw_file_relation(opened.located.path,
                opened.located.format, opened.table_name, opened.columns)}) -%}
            {%- if opened.located.format == 'csv' -%}
                {%- do csv_files.append(opened.located.path) -%}
            {%- endif -%}
        {%- endif -%}
        {%- set found = {} -%}
        {%- for column in opened.columns -%}
            {%- do found.update({column.name | trim | lower: column}) -%}
        {%- endfor -%}
        {%- set select_list = [] -%}
        {%- for column_name in opened.spec.columns -%}
            {%- if column_name in found -%}
                {%- do select_list.append(raw_value_text(found[column_name].sql,
                    found[column_name].type) ~ ' as ' ~ column_name) -%}
            {%- else -%}
                {%- do select_list.append(
                    'cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column_name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- call statement('raw_input_' ~ opened.table_name) -%}
            create or replace view raw_input.{{ opened.table_name }} as
            select {{ select_list | join(', ') }} from {{ opened.from_sql }} as raw_rows
        {%- endcall -%}
    {%- endfor -%}
    {%- if csv_files and target.type == 'spark' -%}
        {{ log("Spark target: raw CSV lines that cannot be read as a row are quarantined as "
            ~ "malformed_row like on DuckDB, but without a line number (line_number is null), "
            ~ "and a line with bytes not valid in the encoding is recognized by the U+FFFD "
            ~ "Spark puts in their place (its raw text is rebuilt from its values).",
            info=True) }}
    {%- endif -%}
    {#- hooks run inside a transaction that dbt rolls back: keep the views -#}
    {%- do adapter.commit() -%}
    {{ return('') }}
{% endmacro %}

{#
    The problem line for a raw file or table (`label`) whose columns lack a required
    column, or none. A CSV file without any of them is reported as not comma-separated
    (a binary file, another delimiter): its first line is shown.
#}
{% macro missing_required_problem(label, columns, required, is_csv) %}
    {%- set names = [] -%}
    {%- for column in columns -%}
        {%- do names.append(column.name | trim | lower) -%}
    {%- endfor -%}
    {%- set missing = required | reject('in', names) | list -%}
    {%- set found_text = columns | map(attribute='name') | join(', ') -%}
    {%- set found_text = found_text[:200] ~ ('...' if found_text | length > 200 else '') -%}
    {%- if not missing -%}
        {{ return(none) }}
    {%- elif is_csv and missing | length == required | length -%}
        {%- set hint = namespace(text='') -%}
        {%- for separator, name in [(';', 'semicolons'), ('\t', 'tabs'), ('|', 'bars')] -%}
            {%- if not hint.text and separator in found_text -%}
                {%- set hint.text = ' It looks separated by ' ~ name ~ '.' -%}
            {%- endif -%}
        {%- endfor -%}
        {{ return("Raw " ~ label ~ " is not a comma-separated CSV file with a header row: none "
            ~ "of the required columns " ~ required | join(', ') ~ " is in its first line ("
            ~ found_text ~ ")." ~ hint.text) }}
    {%- endif -%}
    {{ return("Raw " ~ label ~ " is missing the required column '" ~ missing[0]
        ~ "' (columns found: " ~ found_text ~ ").") }}
{% endmacro %}
