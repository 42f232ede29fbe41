-- Registered but never ordered (docs/segments.md): no counted order and more than
-- no_order_min_visits visits in their lifetime.
with

customers as (
    select * from {{ ref('int_customers_segmented') }}
),

final as (
    select
        customers.customer_id,
        customers.registered_at,
        customers.visit_count,
        customers.recent_visit_count,
        customers.order_count,
        customers.last_visit_at,
        customers.sms_opt_in,
        customers.email_opt_in,
        customers.as_of
    from customers
    where customers.is_registered_no_order
)

select * from final
