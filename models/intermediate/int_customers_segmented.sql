-- One boolean per segment of docs/segments.md for every member of the population, with the
-- store-wide figures the rules compare against. Thresholds are vars; fractions are
-- compared as exact integer products, never as rounded averages.
{%- set vip = fraction_var('vip_top_percent') %}
{%- set coupon_share = fraction_var('coupon_lover_min_share') %}
{%- set at_risk_alive = fraction_var('at_risk_max_probability_alive') %}

with

customers as (
    -- the metrics of int_customers_metrics with the lifetime-value columns
    select * from {{ ref('int_customers_valued') }}
),

store as (
    select
        count(*) as customer_count,
        cast(sum(case when customers.order_count >= 1 then 1 else 0 end) as {{ dbt.type_bigint() }})
            as buyer_count,
        cast(sum(customers.order_count) as {{ dbt.type_bigint() }}) as counted_order_count
    from customers
),

buyers as (
    select * from customers
    where customers.order_count >= 1
),

-- per distinct lifetime value, the buyers with a lower one (rows_below: no window over
-- all buyers)
value_ranks as {{ rows_below('buyers', 'buyers.lifetime_value') }},

vip_threshold as (
    -- T = the k-th highest lifetime value, k = ceil(n * vip_top_percent / 100): the
    -- highest value v with at least k buyers at or above it, i.e. the value at the first
    -- position p (highest first) with p * 100 >= n * vip_top_percent
    select max(value_ranks.ranked_value) as vip_threshold
    from value_ranks
    cross join store
    where
        {{ vip.numerator }} > 0
        and (cast(store.buyer_count as {{ dbt.type_bigint() }}) - value_ranks.rows_below)
        * {{ 100 * vip.denominator }}
        >= cast(store.buyer_count as {{ dbt.type_bigint() }}) * {{ vip.numerator }}
),

flagged as (
    select
        customers.*,
        store.customer_count,
        store.buyer_count,
        store.counted_order_count,
        case
            when store.buyer_count > 0
                then cast(store.counted_order_count as double) / store.buyer_count
        end as avg_orders_per_buyer,
        vip_threshold.vip_threshold,
        coalesce(
            customers.order_count >= 1
            and customers.lifetime_value >= vip_threshold.vip_threshold,
            false
        ) as is_vip,
        -- order_count < counted orders / buyers  <=>  order_count * buyers < counted orders
        (
            customers.recent_visit_count >= {{ int_var('hesitant_min_visits') }}
            and customers.order_count * store.buyer_count < store.counted_order_count
        ) as is_hesitant,
        (
            customers.order_count = 0
            and customers.visit_count > {{ int_var('no_order_min_visits') }}
        ) as is_registered_no_order,
        true as is_geographic,
        (
            customers.order_count >= {{ int_var('loyal_min_orders') }}
            and customers.order_count * store.buyer_count > store.counted_order_count
        ) as is_loyal,
        customers.order_count = 1 as is_one_time_buyer,
        -- coupon share >= n/d  <=>  coupon orders * d >= n * orders
        (
            customers.order_count >= 1
            and customers.order_count >= {{ int_var('coupon_lover_min_orders') }}
            and customers.coupon_order_count * {{ coupon_share.denominator }}
            >= {{ coupon_share.numerator }} * customers.order_count
        ) as is_coupon_lover,
        customers.abandoned_cart_count >= 1 as is_cart_abandoner
    from customers
    cross join store
    cross join vip_threshold
),

final as (
    select
        flagged.*,
        -- VIPs the model says have probably churned: probability_alive < n/d  <=>
        -- probability_alive * d < n (null probability, e.g. on Spark: not at risk)
        coalesce(
            flagged.is_vip
            and flagged.probability_alive * {{ at_risk_alive.denominator }}
            < {{ at_risk_alive.numerator }},
            false
        ) as is_at_risk_high_value
    from flagged
)

select * from final
