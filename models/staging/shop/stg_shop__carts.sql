-- The clean carts: the valid rows of stg_shop__carts_checked (a view, no copy).
{{ config(materialized='view') }}
with

checked as (
    select * from {{ ref('stg_shop__carts_checked') }}
),

final as (
    select
        checked.cart_id,
        checked.customer_id,
        checked.created_at,
        checked.updated_at,
        checked.completed_order_id,
        checked.cart_value,
        checked.currency_code,
        checked.item_count,
        checked._versions,
        checked._loaded_at
    from checked
    where checked.reject_reason is null
)

select * from final
