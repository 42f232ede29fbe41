-- Hesitant (docs/segments.md): at least hesitant_min_visits visits in the last
-- recent_days days and fewer counted orders than the average buyer (never bought
-- included).
with

customers as (
    select * from {{ ref('int_customers_segmented') }}
),

final as (
    select
        customers.customer_id,
        customers.recent_visit_count,
        customers.visit_count,
        customers.order_count,
        customers.avg_orders_per_buyer,
        customers.last_visit_at,
        customers.sms_opt_in,
        customers.email_opt_in,
        customers.as_of
    from customers
    where customers.is_hesitant
)

select * from final
