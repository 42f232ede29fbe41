{#
    The files of one raw table in a raw_path directory, from its listing
    (list_raw_directory): {'files': [file, ...], 'folder': true | false} with each file
    as listed plus its 'format' ('parquet' | 'csv'): one file `<table>.parquet|csv` (a
    full export), or the .parquet/.csv files of a folder `<table>/` (deliveries; other
    files there, such as `_SUCCESS`, are ignored). {'problem': one line naming the
    file(s)} when there is none, or more than one source for the table: `<table>.parquet`
    and `<table>.csv`, or such a file and a folder `<table>/` (docs/data-path.md: each is an
    error; one of them must not be silently ignored). The optional table `erasures` may be
    absent: {'files': [], 'folder': false, 'missing': true}.
#}
{% macro locate_raw_file(directory, listing, table_name) %}
    {%- set base = directory.rstrip('/') ~ '/' ~ table_name -%}
    {%- set found = [] -%}
    {%- set folder_files = [] -%}
    {%- set has_folder = namespace(value=false) -%}
    {%- for file in listing -%}
        {%- set extension = file.relative.rsplit('.', 1)[-1] | lower -%}
        {%- if file.relative in [table_name ~ '.parquet', table_name ~ '.csv'] -%}
            {%- do found.append(dict(file, format=extension)) -%}
        {%- elif file.relative.startswith(table_name ~ '/') -%}
            {%- set has_folder.value = true -%}
            {%- if extension in ('csv', 'parquet') -%}
                {%- do folder_files.append(dict(file, format=extension)) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if found | length > 1 -%}
        {{ return({'problem': "Raw table " ~ table_name ~ " has two files, " ~ base ~ ".parquet and "
            ~ base ~ ".csv: keep one (var raw_path = " ~ directory ~ ")."}) }}
    {%- elif found and has_folder.value -%}
        {{ return({'problem': "Raw table " ~ table_name ~ " has both a file " ~ base ~ "."
            ~ found[0].format ~ " and a folder " ~ base ~ "/: keep one (var raw_path = " ~ directory ~ ")."}) }}
    {%- elif has_folder.value -%}
        {{ return({'files': folder_files | sort(attribute='relative'), 'folder': true}) }}
    {%- elif not found and table_name == 'erasures' -%}
        {{ return({'files': [], 'folder': false, 'missing': true}) }}
    {%- elif not found -%}
        {{ return({'problem': "Raw file missing: neither " ~ base ~ ".parquet nor " ~ base
            ~ ".csv exists, nor a folder " ~ base ~ "/ (var raw_path = " ~ directory ~ ")."}) }}
    {%- endif -%}
    {{ return({'files': found, 'folder': false}) }}
{% endmacro %}
