-- The per-customer metrics of docs/segments.md, one row per member of the population,
-- computed as of as_of.
with

population as (
    select * from {{ ref('int_population') }}
),

counted_orders as (
    select * from {{ ref('int_counted_purchases') }}
),

customer_sessions as (
    select * from {{ ref('int_customers_sessions') }}
),

abandoned_carts as (
    select * from {{ ref('int_carts_abandoned') }}
),

places as (
    select * from {{ ref('int_customers_located') }}
),

order_metrics as (
    select
        counted_orders.customer_id,
        count(*) as order_count,
        sum(counted_orders.order_total_reporting) as lifetime_value,
        min(counted_orders.ordered_at) as first_order_at,
        max(counted_orders.ordered_at) as last_order_at,
        cast(sum(case when counted_orders.has_coupon then 1 else 0 end) as {{ dbt.type_bigint() }})
            as coupon_order_count
    from counted_orders
    group by counted_orders.customer_id
),

last_abandoned_carts as (
    select
        ranked.customer_id,
        ranked.abandoned_cart_count,
        ranked.cart_id as last_abandoned_cart_id,
        ranked.created_at as last_abandoned_cart_at,
        ranked.cart_value_reporting as last_abandoned_cart_value,
        ranked.item_count as last_abandoned_cart_item_count
    from (
        select
            abandoned_carts.*,
            count(*) over (partition by abandoned_carts.customer_id) as abandoned_cart_count,
            row_number() over (
                partition by abandoned_carts.customer_id
                order by abandoned_carts.created_at desc, abandoned_carts.cart_id desc
            ) as recency_rank
        from abandoned_carts
    ) as ranked
    where ranked.recency_rank = 1
),

final as (
    select
        population.customer_id,
        population.as_of,
        population.registered_at,
        coalesce(order_metrics.order_count, 0) as order_count,
        cast(coalesce(order_metrics.lifetime_value, 0) as decimal(18, 2)) as lifetime_value,
        -- lifetime value / orders, rounded half up to the cent in integer cents (a decimal
        -- division would go through a double on some engines and round 0.575 down)
        cast(
            floor(
                (
                    2 * cast(order_metrics.lifetime_value * 100 as {{ dbt.type_bigint() }})
                    + order_metrics.order_count
                )
                / (2.0 * order_metrics.order_count)
            ) / 100
            as decimal(18, 2)
        ) as avg_order_value,
        order_metrics.first_order_at,
        order_metrics.last_order_at,
        cast(
            {{ days_between(
                local_date('order_metrics.last_order_at'),
                local_date('population.as_of')) }}
            as {{ dbt.type_bigint() }}
        ) as days_since_last_order,
        coalesce(order_metrics.coupon_order_count, 0) as coupon_order_count,
        cast(order_metrics.coupon_order_count as double)
        / order_metrics.order_count as coupon_order_share,
        coalesce(customer_sessions.visit_count, 0) as visit_count,
        coalesce(customer_sessions.recent_visit_count, 0) as recent_visit_count,
        customer_sessions.last_visit_at,
        coalesce(last_abandoned_carts.abandoned_cart_count, 0) as abandoned_cart_count,
        last_abandoned_carts.last_abandoned_cart_id,
        last_abandoned_carts.last_abandoned_cart_at,
        last_abandoned_carts.last_abandoned_cart_value,
        last_abandoned_carts.last_abandoned_cart_item_count,
        population.country_code,
        -- places under their most frequent spelling (int_customers_located)
        places.region,
        places.city,
        places.work_city,
        population.sms_opt_in,
        population.email_opt_in
    from population
    left join order_metrics
        on population.customer_id = order_metrics.customer_id
    left join customer_sessions
        on population.customer_id = customer_sessions.customer_id
    left join last_abandoned_carts
        on population.customer_id = last_abandoned_carts.customer_id
    left join places
        on population.customer_id = places.customer_id
)

select * from final
