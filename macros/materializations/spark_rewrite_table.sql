{#
    Spark (parquet, no DELETE, no MERGE): replaces the rows of `relation` with the rows of
    `select_sql` (which may read `relation`): written first to the scratch table
    `<relation>__next` (Spark refuses to overwrite a table it reads in the same
    statement), put in place with `insert overwrite table`, then dropped. Every file of
    the table is written again, twice (the copy, then the table). The copy is dropped
    last: if it is still there when the next run starts, a rewrite stopped half-way and
    that run stops (spark_check_no_leftover).
#}
{% macro spark_rewrite_table(relation, select_sql) %}
    {%- set next_relation = spark_scratch_relation(relation, 'next') -%}
    {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='quoted')
        | join(', ') -%}
    {%- call statement('rewrite_' ~ relation.identifier ~ '_next') -%}
        create table {{ next_relation }} using parquet as
        select {{ columns }} from ({{ select_sql }}) as next_rows
    {%- endcall -%}
    {%- call statement('rewrite_' ~ relation.identifier) -%}
        insert overwrite table {{ relation }} select {{ columns }} from {{ next_relation }}
    {%- endcall -%}
    {%- do adapter.drop_relation(next_relation) -%}
{% endmacro %}
