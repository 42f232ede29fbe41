{#
    Seeds on Spark (session method): dbt-spark substitutes seed values into the INSERT
    without escaping quotes, so a value such as "Côte d'Ivoire" or a raw export's stray
    quote breaks the statement. This override writes each value as an escaped string
    literal (Spark escapes with backslashes) and casts it to the column's type.
#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                    {%- set type = column_override.get(col_name, inferred_type) -%}
                    {%- set value = row[loop.index0] -%}
                    {%- if value is none -%}
                        cast(null as {{ type }})
                    {%- else -%}
                        cast('{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ type }})
                    {%- endif -%}
                    {%- if not loop.last %},{% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set landed = run_query('select count(*) from ' ~ this.render()).columns[0].values()[0] -%}
    {%- if landed != agate_table.rows | length -%}
        {{ exceptions.raise_compiler_error(
            "Seed " ~ this.render() ~ " reads back " ~ landed ~ " of its "
            ~ agate_table.rows | length ~ " rows: the Spark workers wrote where the driver "
            ~ "does not read. Put the warehouse (spark.sql.warehouse.dir) on storage every "
            ~ "host of the cluster reads (hdfs://, s3a://).") }}
    {%- endif -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
