-- The clean products: the current, valid version of each id that is not deleted (a tombstone),
-- with _versions (how many valid raw rows were merged into it). A view on
-- base_shop__products (no copy).
{{ config(materialized='view') }}

with

base_rows as (
    select * from {{ ref('base_shop__products') }}
),

final as (
    select
        base_rows.product_id,
        base_rows.product_name,
        base_rows.category,
        base_rows.list_price,
        base_rows._versions
    from base_rows
    where base_rows.is_current
        and not base_rows.is_tombstone
)

select * from final
