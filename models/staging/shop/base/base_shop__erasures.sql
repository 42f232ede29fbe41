-- The customers who asked to be forgotten (docs/data-path.md "Erasure on request"): their trimmed
-- ids, once each, as the raw erasures table lists them (read in full by every run). Ephemeral:
-- it lives inside the queries of the staging base tables that erase the rows (and of
-- stg_shop__erasures, which keeps only a hash); the built file never holds these ids.
-- The bundled sample has no erasures.
{{ config(materialized='ephemeral') }}

with

{% if raw_mode() == 'sample' -%}
erasures as (
    select cast(null as {{ dbt.type_string() }}) as customer_id
    where 1 = 0
),
{%- else -%}
erasures as (
    select {{ clean_text('raw_erasures.customer_id') }} as customer_id
    from {{ source('shop', 'erasures') }} as raw_erasures
),
{%- endif %}

final as (
    select distinct erasures.customer_id
    from erasures
    where erasures.customer_id is not null
)

select * from final
