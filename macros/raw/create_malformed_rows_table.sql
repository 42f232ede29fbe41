{#
    Creates (empty) the table raw_input.malformed_rows that prepare_raw_inputs fills with
    the raw CSV lines that could not be read as a row: table, file, source (the file's
    path relative to raw_path), line number (null
    where the engine gives none), the line's text and what is wrong with it.
#}
{% macro create_malformed_rows_table() %}
    {%- call statement('drop_malformed_rows') -%}
        drop table if exists raw_input.malformed_rows
    {%- endcall -%}
    {%- call statement('create_malformed_rows') -%}
        create table raw_input.malformed_rows (
            source_table {{ dbt.type_string() }},
            source_file {{ dbt.type_string() }},
            _source {{ dbt.type_string() }},
            line_number {{ dbt.type_bigint() }},
            raw_line {{ dbt.type_string() }},
            error_type {{ dbt.type_string() }}
        )
    {%- endcall -%}
{% endmacro %}
