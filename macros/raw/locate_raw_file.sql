{#
    The file of one raw table in a raw_path directory, from its listing
    (list_raw_directory): {'path': ..., 'format': 'parquet' | 'csv'}, or {'problem': one
    line naming the file(s)} when there is none, or more than one source for the table:
    `<table>.parquet` and `<table>.csv`, or such a file and a folder `<table>/`
    (raw-data.md: each is an error; one of them must not be silently ignored).
#}
{% macro locate_raw_file(directory, listing, table_name) %}
    {%- set base = directory.rstrip('/') ~ '/' ~ table_name -%}
    {%- set found = [] -%}
    {%- set folder_files = [] -%}
    {%- for file in listing -%}
        {%- if file.relative in [table_name ~ '.parquet', table_name ~ '.csv'] -%}
            {%- do found.append({'path': file.path, 'format': file.relative.rsplit('.', 1)[1]}) -%}
        {%- elif file.relative.startswith(table_name ~ '/') -%}
            {%- do folder_files.append(file.path) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if found | length > 1 -%}
        {{ return({'problem': "Raw table " ~ table_name ~ " has two files, " ~ base ~ ".parquet and "
            ~ base ~ ".csv: keep one (var raw_path = " ~ directory ~ ")."}) }}
    {%- elif found and folder_files -%}
        {{ return({'problem': "Raw table " ~ table_name ~ " has both a file " ~ base ~ "."
            ~ found[0].format ~ " and a folder " ~ base ~ "/: keep one (var raw_path = " ~ directory ~ ")."}) }}
    {%- elif not found -%}
        {{ return({'problem': "Raw file missing: neither " ~ base ~ ".parquet nor " ~ base
            ~ ".csv exists (var raw_path = " ~ directory ~ ")."}) }}
    {%- endif -%}
    {{ return(found[0]) }}
{% endmacro %}
