{#
    What this run reads of every raw table (docs/data-path.md "Where raw data comes from" and
    "What a refresh reads"), for the hook prepare_raw_inputs. Returns
    {'tables': {table: {'layout': ..., 'parts': [part, ...]}}, 'problems': [line, ...]}
    with one part per source of the table's rows:
      - layout `export`: one file `<t>.csv|parquet`, or a raw_schema table without a
        loaded-at column: the whole truth. Read when it is new or changed (a table has no
        size: read every run; staging compares its rows with the stored ones);
      - layout `deliveries`: a folder `<t>/` of .csv/.parquet files, each a source known by
        its relative path, size and modification time: new and changed files are read,
        the others are kept, and a file that is gone is `dropped` (its rows go);
      - layout `loaded_at`: a raw_schema table with a loaded-at column (loaded_at_columns):
        the rows past the stored watermark, up to the column's maximum now, are one
        batch (a source named after its watermark);
      - layout `none`: an optional table (erasures) that is not there.
    The erasures (file, folder or table, with a loaded-at column or not) are read in full
    by every run.
    A part: source, action (`read`, `kept`, `dropped`), size, modified, watermark, and for
    a read part: label, columns, and `located` (a file) or `from_sql` (a table).
    `full`: read everything (no earlier load to build on). `previous`: the sources of the
    earlier loads, {table: {source: {size, modified, watermark}}} (previous_raw_sources).
#}
{% macro raw_layouts(full, previous) %}
    {%- set tables = {} -%}
    {%- set problems = [] -%}
    {%- set names = raw_contract().keys() | list + ['erasures'] -%}
    {%- set mode = raw_mode() -%}
    {%- set listing = list_raw_directory(var('raw_path')) if mode == 'raw_path' else [] -%}
    {%- for table_name in names -%}
        {%- set required = raw_contract()[table_name].required if table_name != 'erasures'
            else ['customer_id'] -%}
        {%- set known = previous.get(table_name, {}) -%}
        {%- set parts = [] -%}
        {%- set layout = {'layout': 'export'} -%}
        {%- if mode == 'sample' -%}
            {%- if table_name != 'erasures' -%}
                {%- do parts.append({'source': 'seed', 'action': 'read'}) -%}
            {%- else -%}
                {%- do layout.update({'layout': 'none'}) -%}
            {%- endif -%}
        {%- elif mode == 'raw_path' -%}
            {%- set located = locate_raw_file(var('raw_path'), listing, table_name) -%}
            {%- if located.problem is defined -%}
                {%- do problems.append(located.problem) -%}
            {%- elif located.files is defined -%}
                {%- do layout.update({'layout': 'none' if located.missing is defined
                    else 'deliveries' if located.folder else 'export'}) -%}
                {%- set present = [] -%}
                {%- for file in located.files -%}
                    {%- do present.append(file.relative) -%}
                    {%- set before = known.get(file.relative) -%}
                    {#- the erasures are read in full by every run: a row arriving late must
                        meet every erased id, not only those of a changed file -#}
                    {%- set unchanged = before is not none and not full
                        and before.size == file.size and before.modified == file.modified
                        and table_name != 'erasures' -%}
                    {%- set part = {'source': file.relative, 'size': file.size,
                        'modified': file.modified, 'action': 'kept' if unchanged else 'read'} -%}
                    {%- if not unchanged -%}
                        {%- set label = 'file ' ~ file.path -%}
                        {%- set opened = raw_file_columns(file.path, file.format,
                            table_name ~ '__' ~ loop.index0) -%}
                        {%- if opened.problem is defined -%}
                            {%- do problems.append('Raw ' ~ label ~ ' ' ~ opened.problem) -%}
                        {%- else -%}
                            {%- set problem = missing_required_problem(label, opened.columns,
                                required, file.format == 'csv') -%}
                            {%- if problem -%}
                                {%- do problems.append(problem) -%}
                            {%- endif -%}
                            {%- do part.update({'label': label, 'columns': opened.columns,
                                'located': file}) -%}
                        {%- endif -%}
                    {%- endif -%}
                    {%- do parts.append(part) -%}
                {%- endfor -%}
                {%- if not full -%}
                    {%- for source_name in known if source_name not in present -%}
                        {%- do parts.append({'source': source_name, 'action': 'dropped'}) -%}
                    {%- endfor -%}
                {%- endif -%}
            {%- endif -%}
        {%- else -%}
            {%- set relation = adapter.get_relation(
                database=target.database, schema=var('raw_schema'), identifier=table_name) -%}
            {%- if relation is none and table_name == 'erasures' -%}
                {%- do layout.update({'layout': 'none'}) -%}
            {%- elif relation is none -%}
                {%- do problems.append("Raw table " ~ var('raw_schema') ~ "." ~ table_name
                    ~ " does not exist (var raw_schema). The raw contract needs the tables: "
                    ~ raw_contract().keys() | join(', ')) -%}
            {%- else -%}
                {%- set columns = [] -%}
                {%- set loaded = namespace(column=none) -%}
                {%- for column in raw_column_types(relation) -%}
                    {%- do columns.append({'name': column.name, 'type': column.type,
                                           'sql': adapter.quote(column.name)}) -%}
                    {%- if loaded.column is none
                        and (column.name | trim | lower) in loaded_at_columns() -%}
                        {%- set loaded.column = columns[-1] -%}
                    {%- endif -%}
                {%- endfor -%}
                {%- set label = 'table ' ~ relation -%}
                {%- set problem = missing_required_problem(label, columns, required, false) -%}
                {%- if problem -%}
                    {%- do problems.append(problem) -%}
                {%- endif -%}
                {%- set part = {'source': 'table', 'action': 'read', 'label': label,
                    'columns': columns, 'from_sql': relation} -%}
                {%- if loaded.column is not none and table_name != 'erasures' -%}
                    {%- do layout.update({'layout': 'loaded_at'}) -%}
                    {%- do part.update(loaded_at_batch(relation, loaded.column,
                        none if full else known.values() | map(attribute='watermark')
                            | select | max)) -%}
                {%- endif -%}
                {%- do parts.append(part) -%}
            {%- endif -%}
        {%- endif -%}
        {%- do layout.update({'parts': parts}) -%}
        {%- do tables.update({table_name: layout}) -%}
    {%- endfor -%}
    {{ return({'tables': tables, 'problems': problems}) }}
{% endmacro %}
