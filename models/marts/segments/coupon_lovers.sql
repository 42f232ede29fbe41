-- Coupon lovers (docs/segments.md): at least coupon_lover_min_orders counted orders
-- and a coupon on at least coupon_lover_min_share of them.
with

customers as (
    select * from {{ ref('int_customers_segmented') }}
),

final as (
    select
        customers.customer_id,
        customers.order_count,
        customers.coupon_order_count,
        customers.coupon_order_share,
        customers.lifetime_value,
        customers.sms_opt_in,
        customers.email_opt_in,
        customers.as_of
    from customers
    where customers.is_coupon_lover
)

select * from final
