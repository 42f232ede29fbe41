-- One-time buyers (docs/segments.md): exactly one counted order.
with

customers as (
    select * from {{ ref('int_customers_segmented') }}
),

final as (
    select
        customers.customer_id,
        customers.order_count,
        customers.lifetime_value,
        customers.first_order_at,
        customers.days_since_last_order,
        customers.sms_opt_in,
        customers.email_opt_in,
        customers.as_of
    from customers
    where customers.is_one_time_buyer
)

select * from final
