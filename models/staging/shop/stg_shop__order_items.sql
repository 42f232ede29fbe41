-- The clean order_items: the current, valid version of each id that is not deleted (a tombstone),
-- with _versions (how many valid raw rows were merged into it). A view on
-- base_shop__order_items (no copy).
{{ config(materialized='view') }}

with

base_rows as (
    select * from {{ ref('base_shop__order_items') }}
),

final as (
    select
        base_rows.order_item_id,
        base_rows.order_id,
        base_rows.product_id,
        base_rows.quantity,
        base_rows.unit_price,
        base_rows._versions,
        base_rows._loaded_at
    from base_rows
    where base_rows.is_current
        and not base_rows.is_tombstone
)

select * from final
