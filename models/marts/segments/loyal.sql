-- Loyal (docs/segments.md): at least loyal_min_orders counted orders and more than
-- the average buyer.
with

customers as (
    select * from {{ ref('int_customers_segmented') }}
),

final as (
    select
        customers.customer_id,
        customers.order_count,
        customers.avg_orders_per_buyer,
        customers.lifetime_value,
        customers.first_order_at,
        customers.last_order_at,
        customers.sms_opt_in,
        customers.email_opt_in,
        customers.as_of
    from customers
    where customers.is_loyal
)

select * from final
