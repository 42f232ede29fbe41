-- The clean orders: the valid rows of stg_shop__orders_checked (a view, no copy).
{{ config(materialized='view') }}
with

checked as (
    select * from {{ ref('stg_shop__orders_checked') }}
),

final as (
    select
        checked.order_id,
        checked.customer_id,
        checked.ordered_at,
        checked.updated_at,
        checked.status,
        checked.is_purchase,
        checked.currency_code,
        checked.order_total,
        checked.discount_total,
        checked.coupon_code,
        checked.has_coupon,
        checked.sales_channel,
        checked._versions,
        checked._loaded_at
    from checked
    where checked.reject_reason is null
)

select * from final
