{#
    Writes the read plan of this run (prepare_raw_inputs) as the table raw_input.read_plan:
    one row per raw table and source with its layout, the action (`read`, `kept`,
    `dropped`), size, modification time, watermark, whether no earlier load holds rows of
    the source (`is_new`: a new file or loaded-at batch) and whether the run reads
    everything (`is_full`). The staging models read it through read_plan(); drop_raw_inputs drops it
    with the rest of raw_input at the end of the run.
#}
{% macro write_read_plan(rows, full) %}
    {%- set literal = raw_path_literal -%}
    {%- call statement('read_plan') -%}
        drop table if exists raw_input.read_plan
    {%- endcall -%}
    {%- call statement('create_read_plan') -%}
        create table raw_input.read_plan (
            source_table {{ dbt.type_string() }},
            source_name {{ dbt.type_string() }},
            layout {{ dbt.type_string() }},
            action {{ dbt.type_string() }},
            size_bytes {{ dbt.type_bigint() }},
            modified_at {{ dbt.type_string() }},
            watermark {{ dbt.type_string() }},
            is_new boolean,
            is_full boolean
        )
    {%- endcall -%}
    {%- set values = [] -%}
    {%- for row in rows -%}
        {%- do values.append('(' ~ [literal(row.table), literal(row.source), literal(row.layout),
            literal(row.action), 'null' if row.size is none else row.size | int,
            'null' if row.modified is none else literal(row.modified),
            'null' if row.watermark is none else literal(row.watermark),
            'true' if row.is_new else 'false', 'true' if full else 'false'] | join(', ') ~ ')') -%}
    {%- endfor -%}
    {%- if values -%}
        {%- call statement('fill_read_plan') -%}
            insert into raw_input.read_plan values {{ values | join(', ') }}
        {%- endcall -%}
    {%- endif -%}
{% endmacro %}
