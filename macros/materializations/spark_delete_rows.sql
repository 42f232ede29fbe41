{#
    Spark (parquet): what `delete from <relation> where <condition>` does, for a hook of an
    incremental table (spark_delete_hook_condition): nothing when no row matches (one
    count), `truncate table` for every row (`condition` ''), else a rewrite of the rows
    kept (spark_rewrite_table). A null condition keeps the row, as in DELETE.
#}
{% macro spark_delete_rows(relation, condition) %}
    {%- if condition == '' -%}
        {%- call statement('truncate_' ~ relation.identifier) -%}
            truncate table {{ relation }}
        {%- endcall -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set doomed = run_query('select count(*) from ' ~ relation ~ ' where ' ~ condition)
        .columns[0].values()[0] -%}
    {%- if doomed == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- do spark_rewrite_table(relation, 'select * from ' ~ relation
        ~ ' where not coalesce(' ~ condition ~ ', false)') -%}
    {{ log('incremental ' ~ relation ~ ': deleted ' ~ doomed ~ ' rows by rewriting the table',
           info=false) }}
{% endmacro %}
