-- At-risk high value (docs/lifetime-value.md): buyers in the top vip_top_percent % by
-- lifetime value (the VIPs) whose probability_alive (BG/NBD) is below
-- at_risk_max_probability_alive: the customers a win-back campaign is for, with what the
-- shop stands to lose (predicted_value_lost). Empty where CLV is not computed (Spark).
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
        customers.last_order_at,
        customers.days_since_last_order,
        customers.probability_alive,
        customers.expected_orders_next_horizon,
        customers.predicted_clv,
        customers.predicted_value_lost,
        customers.clv_horizon_days,
        customers.sms_opt_in,
        customers.email_opt_in,
        customers.as_of
    from customers
    where customers.is_at_risk_high_value
)

select * from final
