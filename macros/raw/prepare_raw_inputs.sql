{#
    on-run-start hook: decides what this run reads of every raw table (the read plan,
    raw_input.read_plan; docs/data-path.md) and exposes the rows to read as a view
    `raw_input.<table>` holding exactly the contract's columns as text, plus `_source`
    (which file, table or loaded-at batch the row comes from) and `_deleted` (the raw
    tombstone flag `_deleted` / `_fivetran_deleted`, as text; null when absent):
      - a typed column (Parquet, a warehouse table) is read as its value, written as one
        canonical text per type (raw_value_text: a zoned timestamp as its UTC instant);
      - an absent optional column becomes a column of nulls; extra columns are ignored;
        header names match case- and space-insensitively;
      - a CSV line that cannot be read as a row goes to raw_input.malformed_rows (the
        quarantine reads it: reason malformed_row), and the rest of the file loads.
    Layouts (raw_layouts): one export file or a raw table without a loaded-at column (the
    whole truth, read again when it changed), a folder of deliveries (only new or changed
    files are read), a raw table with a loaded-at column (only rows past the watermark).
    A table that cannot be read at all fails the invocation before anything is built,
    with one line per file or table naming it (every such problem of the directory at
    once): a missing file or table, two files (or a file and a folder) for one table, an
    empty or binary file, a CSV file without a comma-separated header row, a missing
    required column.
    In the sample mode the staging models read the seeds (the source's schema is the
    seeds'); the hook only writes the read plan. `dbt source freshness` reads no raw data:
    its query reads the built base tables (received_event_time_query), so the hook does
    nothing then. drop_raw_inputs (on-run-end) drops the schema raw_input again: the
    built file keeps no relation onto the raw files.
    `dbt run-operation prepare_raw_inputs` exposes them by hand and keeps them (no
    on-run-end hook): the bench's engine floor runs the models' SQL on them.
#}
{% macro prepare_raw_inputs() %}
    {#- `dbt source freshness` reads the built base tables (received_event_time_query), not
        the raw data: nothing to prepare for it -#}
    {%- if not execute or flags.WHICH not in ('run', 'build', 'test', 'compile', 'show',
                                               'run-operation') -%}
        {{ return('') }}
    {%- endif -%}
    {%- set contract = raw_contract() -%}
    {%- do create_raw_input_schema('raw_input') -%}
    {%- do create_malformed_rows_table() -%}
    {%- set previous = previous_raw_sources() -%}
    {%- set full = previous.full -%}
    {%- set layouts = raw_layouts(full, previous.sources) -%}
    {%- set problems = layouts.problems -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "The raw data cannot be read; nothing was built:\n" ~ problems | join('\n')) }}
    {%- endif -%}
    {%- set plan_rows = [] -%}
    {%- set csv_files = [] -%}
    {%- for table_name, layout in layouts.tables.items() -%}
        {%- set spec = contract[table_name] if table_name in contract
            else {'columns': ['customer_id', 'requested_at']} -%}
        {%- set selects = [] -%}
        {%- for part in layout.parts -%}
            {%- set source_name = part.source -%}
            {%- do plan_rows.append({'table': table_name, 'source': source_name,
                'layout': layout.layout, 'action': part.action, 'size': part.get('size'),
                'modified': part.get('modified'), 'watermark': part.get('watermark'),
                'is_new': not full and source_name not in previous.sources.get(table_name, {})}) -%}
            {%- if part.action == 'read' and raw_mode() != 'sample' -%}
                {#- said before reading: an engine error while reading follows its name -#}
                {{ log("raw input " ~ table_name ~ ": " ~ part.label, info=True) }}
                {%- set from_sql = part.from_sql -%}
                {%- if part.located is defined -%}
                    {%- set from_sql = raw_file_relation(part.located.path, part.located.format,
                        table_name ~ '__' ~ loop.index0, part.columns, table_name,
                        source_name) -%}
                    {%- if part.located.format == 'csv' -%}
                        {%- do csv_files.append(part.located.path) -%}
                    {%- endif -%}
                {%- endif -%}
                {%- do selects.append(raw_part_select(part.columns, spec.columns, from_sql,
                    source_name, part.get('batch_filter'))) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if not selects -%}
            {%- do selects.append(raw_part_select([], spec.columns, none, '', '1 = 0')) -%}
        {%- endif -%}
        {%- if raw_mode() != 'sample' -%}
        {%- call statement('raw_input_' ~ table_name) -%}
            create or replace view raw_input.{{ table_name }} as
            {{ selects | join('\nunion all\n') }}
        {%- endcall -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do write_read_plan(plan_rows, full) -%}
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
