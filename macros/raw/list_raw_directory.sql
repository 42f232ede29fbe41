{#
    The files of a raw_path directory and of its folders one level down, as the engine
    will read them (Spark: absolute URIs), each as {'path', 'relative', 'size',
    'modified'}: `relative` is the part after the directory (`orders.csv`,
    `orders/2025-06-30.csv`), `size` in bytes and `modified` the modification time as
    text (a file is known by its relative path, size and modification time). Listed by
    the warehouse engine itself, without reading the files' contents (DuckDB: read_blob
    with only its metadata columns selected; Spark: binaryFile, likewise).
    locate_raw_file picks each table's files here.
#}
{% macro list_raw_directory(directory) %}
    {{ return(adapter.dispatch('list_raw_directory', 'segmentation')(directory)) }}
{% endmacro %}

{% macro default__list_raw_directory(directory) %}
    {%- set base = directory.rstrip('/') -%}
    {%- set paths = run_query(
        'select file from glob(' ~ raw_path_literal(base ~ '/*') ~ ') union all '
        ~ 'select file from glob(' ~ raw_path_literal(base ~ '/*/*') ~ ')'
        ).columns[0].values() -%}
    {%- set files = [] -%}
    {%- if paths | length == 0 -%}
        {{ return(files) }}
    {%- endif -%}
    {%- set literals = [] -%}
    {%- for path in paths -%}
        {%- do literals.append(raw_path_literal(path)) -%}
    {%- endfor -%}
    {#- only the metadata columns: the contents are not read -#}
    {%- set result = run_query(
        'select filename, size, cast(last_modified as varchar) from read_blob(['
        ~ literals | join(', ') ~ '])') -%}
    {%- for row in result.rows -%}
        {%- do files.append({'path': row[0], 'relative': row[0][base | length + 1:],
                             'size': row[1] | int, 'modified': row[2]}) -%}
    {%- endfor -%}
    {{ return(files) }}
{% endmacro %}

{% macro spark__list_raw_directory(directory) %}
    {#- Spark SQL cannot test a path without failing on a missing one: list the directory
        with the binaryFile source (path, length and modification time only: contents
        that are not selected are not read). A missing directory still fails, with
        Spark's "Path does not exist". -#}
    {%- call statement('list_raw_directory') -%}
        create or replace temporary view raw_directory_listing
        using binaryFile
        options (path {{ raw_path_literal(directory) }}, recursiveFileLookup 'true')
    {%- endcall -%}
    {%- set listing = run_query('select path, length, cast(modificationTime as string) '
        ~ 'from raw_directory_listing') -%}
    {%- set files = [] -%}
    {%- set marker = directory.rstrip('/') ~ '/' -%}
    {%- set marker = marker[2:] if marker.startswith('./') else marker -%}
    {#- a URI's path only: Spark lists `file:///data/shop` as `file:/data/shop/...` and
        `hdfs://host:port/data` with its authority -#}
    {%- if '://' in marker -%}
        {%- set after_scheme = marker.split('://', 1)[1] -%}
        {%- set marker = '/' ~ after_scheme.split('/', 1)[1] if '/' in after_scheme
            else marker -%}
    {%- endif -%}
    {%- for row in listing.rows -%}
        {#- the part after the directory (a URI holds it absolute, after `file:`) -#}
        {%- set relative = row[0].split(marker, 1)[1] if marker in row[0] else row[0] -%}
        {%- if relative.count('/') <= 1 -%}
            {%- do files.append({'path': row[0], 'relative': relative, 'size': row[1] | int,
                                 'modified': row[2]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(files) }}
{% endmacro %}
