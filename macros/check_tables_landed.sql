{#
    on-run-end hook: no silent loss on Spark. A cluster whose workers cannot see the
    warehouse location the driver reads turns a table into one that reads back empty, with
    no error. After the run, every table this run built is counted, all in one query; a
    table that reads back no rows while its model's query returns one fails the run with
    one line naming it (the query is only run again for the empty tables). Seeds are
    counted as they load (spark__load_csv_rows). DuckDB writes its own file: no check.
#}
{% macro check_tables_landed(results) %}
    {{ return(adapter.dispatch('check_tables_landed', 'segmentation')(results)) }}
{% endmacro %}

{% macro default__check_tables_landed(results) %}
    {{ return('') }}
{% endmacro %}

{% macro spark__check_tables_landed(results) %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set built = [] -%}
    {%- for result in results
        if result.node.resource_type == 'model' and result.status == 'success'
        and result.node.config.materialized in ('table', 'incremental') -%}
        {%- do built.append(result.node) -%}
    {%- endfor -%}
    {%- if built | length == 0 -%}
        {{ return('') }}
    {%- endif -%}
    {%- set counts = [] -%}
    {%- for node in built -%}
        {%- do counts.append("select '" ~ node.unique_id ~ "' as node_id, count(*) as row_count from "
            ~ node.schema ~ "." ~ node.alias) -%}
    {%- endfor -%}
    {%- set empty = [] -%}
    {%- for row in run_query(counts | join(' union all ')).rows if row[1] == 0 -%}
        {%- do empty.append(row[0]) -%}
    {%- endfor -%}
    {%- for node in built if node.unique_id in empty -%}
        {%- set expected = run_query('select 1 as found from (' ~ node.compiled_code
            ~ ') as model_rows limit 1') -%}
        {%- if expected.rows | length > 0 -%}
            {%- set location = run_query('set spark.sql.warehouse.dir').columns[1].values()[0] -%}
            {{ exceptions.raise_compiler_error(
                "Table " ~ node.schema ~ "." ~ node.alias ~ " reads back 0 rows but its model "
                ~ "returns rows: its files were written where the Spark driver does not read "
                ~ "them. Put the warehouse (spark.sql.warehouse.dir = " ~ location
                ~ ") on storage every host of the cluster reads (hdfs://, s3a://).") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
