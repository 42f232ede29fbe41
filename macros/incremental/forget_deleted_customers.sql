{#
    Post-hook of the segment history history.segment_membership_changes: a customer who is
    gone from the raw data leaves the segment history too, like every other table of the
    warehouse: deleted from the customers export (no row with that id in
    staging.base_shop__customers any more), erased on request (their rows there hold a
    hash of the id instead), or deleted by a tombstone (their current version is a
    tombstone).
    A customer whose row is now rejected still exists: their memberships end, they are not
    forgotten.
    DuckDB: one DELETE (the hook's statement). Spark: parquet tables take no DELETE, so
    the rows kept are written to a scratch table and put back with INSERT OVERWRITE (Spark
    cannot overwrite a table it reads in the same statement); run only when someone is to
    be forgotten, so a refresh without deletions rewrites nothing. The scratch table is
    dropped last: if it is still there, a rewrite stopped half-way and the run stops.
#}
{% macro forget_deleted_customers() %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set customers = existing_model_relation('base_shop__customers') -%}
    {%- if customers is none -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(adapter.dispatch('forget_deleted_customers', 'segmentation')(customers)) }}
{% endmacro %}

{% macro default__forget_deleted_customers(customers) %}
    {{ return('delete from ' ~ this ~ ' where customer_id in (' ~
              forgotten_customer_ids(customers) ~ ')') }}
{% endmacro %}

{% macro spark__forget_deleted_customers(customers) %}
    {%- set forgotten = run_query('select count(*) from (' ~ forgotten_customer_ids(customers)
                                  ~ ') as forgotten').columns[0].values()[0] -%}
    {%- if forgotten == 0 -%}
        {{ return('') }}
    {%- endif -%}
    {%- set kept = this.incorporate(path={'identifier': this.identifier ~ '__kept'}) -%}
    {%- if adapter.get_relation(database=kept.database, schema=kept.schema,
                                identifier=kept.identifier) is not none -%}
        {{ exceptions.raise_compiler_error(
            'segment history: ' ~ kept ~ ' exists: an earlier rewrite of ' ~ this
            ~ ' stopped before it finished and that table holds its rows; compare the two,'
            ~ ' put the right rows back (insert overwrite table ' ~ this ~ ' select * from '
            ~ kept ~ '), drop it and refresh again (docs/refresh.md, "On Spark")') }}
    {%- endif -%}
    {%- do run_query('create table ' ~ kept ~ ' using parquet as select * from ' ~ this
                     ~ ' where customer_id is null or customer_id not in ('
                     ~ forgotten_customer_ids(customers) ~ ')') -%}
    {%- do run_query('insert overwrite table ' ~ this ~ ' select * from ' ~ kept) -%}
    {%- do run_query('drop table ' ~ kept) -%}
    {{ log('segment history: forgot the changes of ' ~ forgotten
           ~ ' rows of deleted or erased customers', info=true) }}
    {{ return('') }}
{% endmacro %}
