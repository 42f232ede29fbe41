{#
    Finds the file of one raw table in a raw_path directory: <table>.parquet, else
    <table>.csv. Fails with a clear message when neither exists.
#}
{% macro locate_raw_file(directory, table_name) %}
    {%- set base = directory.rstrip('/') ~ '/' ~ table_name -%}
    {%- for file_format in ['parquet', 'csv'] -%}
        {%- set found = find_raw_file(base ~ '.' ~ file_format) -%}
        {%- if found is not none -%}
            {{ return({'path': found, 'format': file_format}) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        "Raw file missing: neither " ~ base ~ ".parquet nor " ~ base
        ~ ".csv exists (var raw_path = " ~ directory ~ ").") }}
{% endmacro %}
