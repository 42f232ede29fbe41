-- Cart abandoners (docs/segments.md): at least one abandoned cart, with the last
-- abandoned cart's time, value (reporting currency) and item count.
with

customers as (
    select * from {{ ref('int_customers_segmented') }}
),

final as (
    select
        customers.customer_id,
        customers.abandoned_cart_count,
        customers.last_abandoned_cart_id,
        customers.last_abandoned_cart_at,
        customers.last_abandoned_cart_value,
        customers.last_abandoned_cart_item_count,
        customers.order_count,
        customers.sms_opt_in,
        customers.email_opt_in,
        customers.as_of
    from customers
    where customers.is_cart_abandoner
)

select * from final
