{#
    The path of an existing raw file as the engine will read it (Spark: absolute URI), or
    none when there is no file at `path`. Checked by the warehouse engine itself.
#}
{% macro find_raw_file(path) %}
    {{ return(adapter.dispatch('find_raw_file', 'segmentation')(path)) }}
{% endmacro %}

{% macro default__find_raw_file(path) %}
    {%- set result = run_query("select file from glob('" ~ path | replace("'", "''") ~ "')") -%}
    {%- if result.rows | length > 0 -%}
        {{ return(path) }}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}

{% macro spark__find_raw_file(path) %}
    {#- Spark SQL cannot test a path without failing on a missing one: list the directory
        (file names only; binaryFile does not read contents that are not selected). A
        missing directory still fails, with Spark's "Path does not exist" message. -#}
    {%- set directory = path.rsplit('/', 1)[0] -%}
    {%- set file_name = path.rsplit('/', 1)[1] -%}
    {%- set listing = run_query("select path from binaryFile.`" ~ directory ~ "`") -%}
    {%- for listed in listing.columns[0].values() -%}
        {%- if listed.rsplit('/', 1)[1] == file_name -%}
            {{ return(listed) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{% endmacro %}
