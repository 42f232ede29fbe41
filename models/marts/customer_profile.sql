-- One wide row per customer of the population: every metric of docs/segments.md, one boolean
-- per segment, and the customer picture: lifecycle stage, spend tier, demographics,
-- channel, interests, purchase cycle, RFM and predicted lifetime value. Holds no raw
-- e-mail or phone number (only email_sha256).
with

customers as (
    select * from {{ ref('int_customers_segmented') }}
),

described as (
    select * from {{ ref('int_customers_attributes') }}
),

scored as (
    select * from {{ ref('int_customers_stages_and_scores') }}
),

category_spend as (
    select * from {{ ref('int_customers_category_spend') }}
),

purchase_cycles as (
    select * from {{ ref('int_customers_purchase_cycle') }}
),

top_categories as (
    select
        category_spend.customer_id,
        category_spend.category as top_category
    from category_spend
    where category_spend.category_rank = 1
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
        customers.is_cart_abandoner,
        customers.is_at_risk_high_value,
        scored.lifecycle_stage,
        scored.spend_tier,
        described.age,
        described.age_band,
        described.gender,
        described.education,
        described.occupation,
        described.marital_status,
        described.children_count,
        described.income_band,
        described.customer_type,
        described.company_type,
        described.acquisition_channel,
        top_categories.top_category,
        described.primary_device,
        purchase_cycles.median_days_between_orders,
        purchase_cycles.expected_next_order_at,
        coalesce(purchase_cycles.is_due_for_next_order, false) as is_due_for_next_order,
        purchase_cycles.peak_order_month,
        scored.recency_score,
        scored.frequency_score,
        scored.monetary_score,
        scored.rfm_group,
        customers.repeat_purchase_days,
        customers.repeat_recency_days,
        customers.days_since_first_purchase,
        customers.mean_repeat_order_value,
        customers.expected_orders_next_horizon,
        customers.probability_alive,
        customers.expected_order_value,
        customers.predicted_clv,
        customers.predicted_value_lost,
        customers.predicted_spend_tier,
        customers.clv_horizon_days,
        customers.clv_null_reason,
        described.email_sha256
    from customers
    left join described
        on customers.customer_id = described.customer_id
    left join scored
        on customers.customer_id = scored.customer_id
    left join top_categories
        on customers.customer_id = top_categories.customer_id
    left join purchase_cycles
        on customers.customer_id = purchase_cycles.customer_id
)

select * from final
