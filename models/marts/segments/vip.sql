-- VIP (docs/segments.md): buyers whose
-- lifetime value is at or above T, the k-th highest lifetime value among buyers
-- (k = ceil(buyers * vip_top_percent / 100)); ties at T are all in.
with

customers as (
    select * from {{ ref('int_customers_segmented') }}
),

final as (
    select
        customers.customer_id,
        customers.lifetime_value,
        customers.order_count,
        customers.vip_threshold,
        customers.buyer_count,
        customers.sms_opt_in,
        customers.email_opt_in,
        customers.as_of
    from customers
    where customers.is_vip
)

select * from final
