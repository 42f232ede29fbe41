-- The erased customers as a hash only: customer_id_hash = sha256_hex of the trimmed id, one
-- row each. The refresh (segwh.refresh) finds the kept versions of the published warehouse
-- that still hold an erased customer with it; nothing here reveals the id itself.
{{ config(materialized='table') }}

with

erasures as (
    select * from {{ ref('base_shop__erasures') }}
),

final as (
    select {{ sha256_hex('erasures.customer_id') }} as customer_id_hash
    from erasures
)

select * from final
