{#
    The files of a raw_path directory and of its folders one level down, as the engine
    will read them (Spark: absolute URIs), each as {'path': ..., 'relative': ...} with
    `relative` the part after the directory (`orders.csv`, `orders/2025-06-30.csv`).
    Listed by the warehouse engine itself. locate_raw_file picks each table's file here.
#}
{% macro list_raw_directory(directory) %}
    {{ return(adapter.dispatch('list_raw_directory', 'segmentation')(directory)) }}
{% endmacro %}

{% macro default__list_raw_directory(directory) %}
    {%- set base = directory.rstrip('/') -%}
    {%- set result = run_query(
        'select file from glob(' ~ raw_path_literal(base ~ '/*') ~ ') union all '
        ~ 'select file from glob(' ~ raw_path_literal(base ~ '/*/*') ~ ')') -%}
    {%- set files = [] -%}
    {%- for path in result.columns[0].values() -%}
        {%- do files.append({'path': path, 'relative': path[base | length + 1:]}) -%}
    {%- endfor -%}
    {{ return(files) }}
{% endmacro %}

{% macro spark__list_raw_directory(directory) %}
    {#- Spark SQL cannot test a path without failing on a missing one: list the directory
        with the binaryFile source (file names only: contents that are not selected are
        not read). A missing directory still fails, with Spark's "Path does not exist". -#}
    {%- call statement('list_raw_directory') -%}
        create or replace temporary view raw_directory_listing
        using binaryFile
        options (path {{ raw_path_literal(directory) }}, recursiveFileLookup 'true')
    {%- endcall -%}
    {%- set listing = run_query('select path from raw_directory_listing') -%}
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
    {%- for path in listing.columns[0].values() -%}
        {#- the part after the directory (a URI holds it absolute, after `file:`) -#}
        {%- set relative = path.split(marker, 1)[1] if marker in path else path -%}
        {%- if relative.count('/') <= 1 -%}
            {%- do files.append({'path': path, 'relative': relative}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(files) }}
{% endmacro %}
