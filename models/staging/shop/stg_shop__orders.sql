-- The clean orders: the current, valid version of each id that is not deleted (a tombstone),
-- with _versions (how many valid raw rows were merged into it). A view on
-- base_shop__orders (no copy).
{{ config(materialized='view') }}

with

base_rows as (
    select * from {{ ref('base_shop__orders') }}
),

final as (
    select
        base_rows.order_id,
        base_rows.customer_id,
        base_rows.ordered_at,
        base_rows.updated_at,
        base_rows.status,
        base_rows.is_purchase,
        base_rows.currency_code,
        base_rows.order_total,
        base_rows.discount_total,
        base_rows.coupon_code,
        base_rows.has_coupon,
        base_rows.sales_channel,
        base_rows._versions,
        base_rows._loaded_at
    from base_rows
    where base_rows.is_current
        and not base_rows.is_tombstone
)

select * from final
