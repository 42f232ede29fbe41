-- The clean carts: the current, valid version of each id that is not deleted (a tombstone),
-- with _versions (how many valid raw rows were merged into it). A view on
-- base_shop__carts (no copy).
{{ config(materialized='view') }}

with

base_rows as (
    select * from {{ ref('base_shop__carts') }}
),

final as (
    select
        base_rows.cart_id,
        base_rows.customer_id,
        base_rows.created_at,
        base_rows.updated_at,
        base_rows.completed_order_id,
        base_rows.cart_value,
        base_rows.currency_code,
        base_rows.item_count,
        base_rows._versions,
        base_rows._loaded_at
    from base_rows
    where base_rows.is_current
        and not base_rows.is_tombstone
)

select * from final
