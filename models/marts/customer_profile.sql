-- One wide row per customer of the population: every metric of segments.md and one
-- boolean per segment. Holds no raw e-mail or phone number.
with

customers as (
    select * from {{ ref('int_customers_segmented') }}
),

final as (
    select
        customers.customer_id,
        customers.as_of,
        customers.registered_at,
        customers.country_code,
        customers.region,
        customers.city,
        customers.work_city,
        customers.order_count,
        customers.lifetime_value,
        customers.avg_order_value,
        customers.first_order_at,
        customers.last_order_at,
        customers.days_since_last_order,
        customers.coupon_order_count,
        customers.coupon_order_share,
        customers.visit_count,
        customers.recent_visit_count,
        customers.last_visit_at,
        customers.abandoned_cart_count,
        customers.last_abandoned_cart_at,
        customers.sms_opt_in,
        customers.email_opt_in,
        customers.is_vip,
        customers.is_hesitant,
        customers.is_registered_no_order,
        customers.is_geographic,
        customers.is_loyal,
        customers.is_one_time_buyer,
        customers.is_coupon_lover,
        customers.is_cart_abandoner
    from customers
)

select * from final
