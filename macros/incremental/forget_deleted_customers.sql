{#
    Post-hook of the segment history history.segment_membership_changes: a customer who is
    gone from the raw data leaves the segment history too, like every other table of the
    warehouse: deleted from the customers export (no row with that id in
    staging.base_shop__customers any more), erased on request (their rows there hold a
    hash of the id instead), or deleted by a tombstone (their current version is a tombstone). A
    customer whose row is now rejected still exists: their memberships end, they are not
    forgotten. DuckDB only: Spark's parquet tables take no DELETE (the README says so).
#}
{% macro forget_deleted_customers() %}
    {%- if not execute or target.type != 'duckdb' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set customers = existing_model_relation('base_shop__customers') -%}
    {%- if customers is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set statement -%}
        delete from {{ this }}
        where customer_id in (
            select history.customer_id
            from {{ this }} as history
            left join (
                select distinct existing.customer_id
                from {{ customers }} as existing
                where existing.customer_id is not null
                    and not (existing.is_current and existing.is_tombstone)
            ) as customers
                on history.customer_id = customers.customer_id
            where customers.customer_id is null
        )
    {%- endset -%}
    {{ return(statement) }}
{% endmacro %}
